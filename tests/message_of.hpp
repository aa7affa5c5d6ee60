// message_of<E>(f): runs f, expects it to throw an E, and returns the message, so that a test
// can compare the whole text: EXPECT_EQ(message_of<tg::ShapeError>([] { ... }), "...").
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
    return "";
  }
  ADD_FAILURE() << "no exception thrown";
  return "";
}
