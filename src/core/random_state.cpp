// Saving and restoring a Generator: the engine's state in the C++ standard's text form (the
// 624 words of MT19937 and its position, [rand.req.eng]), which reads back into an engine that
// draws the same numbers on every platform.
#include <sstream>

#include "core/generator_engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "tapegrad/random.hpp"

namespace tg {

StateDict Generator::get_state() const {
  std::ostringstream engine;
  engine << engine_->mt;
  StateDict state;
  state["kind"] = "mt19937";
  state["engine"] = engine.str();
  state["has_spare_normal"] = has_spare_normal_;
  state["spare_normal"] = spare_normal_;
  return state;
}

StateDict Generator::state_dict() const { return get_state(); }

void Generator::set_state(const StateDict& state) {
  try {
    if (state.at("kind").to_string() != "mt19937") {
      throw ValueError("the generator kind is '" + state.at("kind").to_string() + "', not 'mt19937'");
    }
    std::istringstream text(state.at("engine").to_string());
    std::mt19937 engine;
    text >> engine;
    if (text.fail() || !(text >> std::ws).eof()) throw ValueError("'engine' is not the state of an mt19937");
    const bool has_spare = state.at("has_spare_normal").to_bool();
    const double spare = state.at("spare_normal").to_double();
    engine_->mt = engine;
    has_spare_normal_ = has_spare;
    spare_normal_ = spare;
  } catch (const Error& e) {
    throw ValueError(std::string("Generator::set_state: ") + e.what());
  }
}

}  // namespace tg
