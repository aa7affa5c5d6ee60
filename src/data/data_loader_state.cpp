// DataLoader::state_dict / load_state_dict: the pass, the position in it, its order and the
// generator that draws the next orders.
#include <string>

#include "tapegrad/data/data_loader.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/state_dict.hpp"

namespace tg::data {

StateDict DataLoader::state_dict() const {
  std::vector<double> order(order_.begin(), order_.end());
  StateDict state;
  state["epoch"] = epoch_;
  state["position"] = position_;
  state["batch_size"] = options_.batch_size;
  state["order"] = Tensor(order, Shape{static_cast<int64_t>(order.size())});
  state["generator"] = generator_.get_state();
  return state;
}

void DataLoader::load_state_dict(const StateDict& state) {
  const std::string where = "DataLoader::load_state_dict";
  int64_t epoch = 0, position = 0;
  std::vector<int64_t> order;
  Generator generator = generator_;
  try {
    epoch = state.at("epoch").to_int();
    position = state.at("position").to_int();
    const int64_t batch_size = state.at("batch_size").to_int();
    if (batch_size != options_.batch_size) {
      throw ValueError("the state is of a loader with batch_size " + std::to_string(batch_size) + ", this one has " +
                       std::to_string(options_.batch_size));
    }
    const Tensor& saved_order = state.at("order").to_tensor();
    const int64_t n = dataset_.size();
    if (saved_order.shape() != Shape{n}) {
      throw ValueError("the state's order has shape " + saved_order.shape().str() + ", but the dataset has " +
                       std::to_string(n) + " rows");
    }
    std::vector<bool> seen(static_cast<std::size_t>(n), false);
    for (double v : saved_order.to_vector()) {
      const auto row = static_cast<int64_t>(v);
      if (static_cast<double>(row) != v || row < 0 || row >= n || seen[static_cast<std::size_t>(row)]) {
        throw ValueError("the state's order is not a permutation of the " + std::to_string(n) + " rows");
      }
      seen[static_cast<std::size_t>(row)] = true;
      order.push_back(row);
    }
    if (epoch < 0 || position < 0 || position > num_batches()) {
      throw ValueError("epoch " + std::to_string(epoch) + " and position " + std::to_string(position) +
                       " are out of range (" + std::to_string(num_batches()) + " batches per pass)");
    }
    generator.set_state(state.at("generator"));
  } catch (const Error& e) {
    throw ValueError(where + ": " + e.what());
  }
  epoch_ = epoch;
  position_ = position;
  order_ = std::move(order);
  generator_ = generator;
  resume_pass_ = epoch > 0 && position < num_batches();
}

}  // namespace tg::data
