// The message of the error of type E that f throws ("(no error)" if it throws none; an error of
// another type escapes and fails the test).
#pragma once

#include <string>

template <class E, class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no error)";
}
