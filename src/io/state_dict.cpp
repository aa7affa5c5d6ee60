#include "tapegrad/io/state_dict.hpp"

#include <cstring>
#include <limits>
#include <ostream>

#include "io/quoted_names.hpp"
#include "tapegrad/error.hpp"

namespace tg {

StateValue::StateValue() : kind_(Kind::dict), dict_(std::make_unique<StateDict>()) {}
StateValue::StateValue(Tensor value) : kind_(Kind::tensor), tensor_(std::move(value)) {
  if (!tensor_.defined()) throw ValueError("StateDict: a tensor value must be defined");
}
StateValue::StateValue(unsigned long value) : StateValue(static_cast<unsigned long long>(value)) {}
StateValue::StateValue(unsigned long long value) : kind_(Kind::integer), integer_(static_cast<int64_t>(value)) {
  if (value > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
    throw ValueError("StateDict: the integer " + std::to_string(value) + " does not fit in int64");
  }
}
StateValue::StateValue(int value) : kind_(Kind::integer), integer_(value) {}
StateValue::StateValue(long value) : kind_(Kind::integer), integer_(value) {}
StateValue::StateValue(long long value) : kind_(Kind::integer), integer_(value) {}
StateValue::StateValue(double value) : kind_(Kind::number), number_(value) {}
StateValue::StateValue(bool value) : kind_(Kind::boolean), integer_(value ? 1 : 0) {}
StateValue::StateValue(std::string value) : kind_(Kind::text), text_(std::move(value)) {}
StateValue::StateValue(StateDict value) : kind_(Kind::dict), dict_(std::make_unique<StateDict>(std::move(value))) {}

StateValue::StateValue(const StateValue& other)
    : kind_(other.kind_),
      tensor_(other.tensor_),
      integer_(other.integer_),
      number_(other.number_),
      text_(other.text_),
      dict_(other.dict_ ? std::make_unique<StateDict>(*other.dict_) : nullptr) {}
StateValue::StateValue(StateValue&& other) noexcept = default;
StateValue& StateValue::operator=(const StateValue& other) {
  if (this != &other) *this = StateValue(other);
  return *this;
}
StateValue& StateValue::operator=(StateValue&& other) noexcept = default;
StateValue::~StateValue() = default;

const char* StateValue::kind_name() const {
  switch (kind_) {
    case Kind::tensor: return "tensor";
    case Kind::integer: return "integer";
    case Kind::number: return "number";
    case Kind::boolean: return "bool";
    case Kind::text: return "text";
    case Kind::dict: return "StateDict";
  }
  return "?";
}

std::string StateValue::describe() const {
  switch (kind_) {
    case Kind::tensor: return "a tensor of shape " + tensor_.shape().str();
    case Kind::integer: return "an integer";
    default: return std::string("a ") + kind_name();
  }
}

namespace {
[[noreturn]] void wrong_kind(const StateValue& v, const char* wanted) {
  throw ValueError("StateDict: the value is " + v.describe() + ", not " + wanted);
}
}  // namespace

const Tensor& StateValue::to_tensor() const {
  if (kind_ != Kind::tensor) wrong_kind(*this, "a tensor");
  return tensor_;
}
int64_t StateValue::to_int() const {
  if (kind_ != Kind::integer) wrong_kind(*this, "an integer");
  return integer_;
}
double StateValue::to_double() const {
  if (kind_ == Kind::integer) return static_cast<double>(integer_);
  if (kind_ != Kind::number) wrong_kind(*this, "a number");
  return number_;
}
bool StateValue::to_bool() const {
  if (kind_ != Kind::boolean) wrong_kind(*this, "a bool");
  return integer_ != 0;
}
const std::string& StateValue::to_string() const {
  if (kind_ != Kind::text) wrong_kind(*this, "a text");
  return text_;
}
const StateDict& StateValue::to_dict() const {
  if (kind_ != Kind::dict) wrong_kind(*this, "a StateDict");
  return *dict_;
}
StateDict& StateValue::to_dict() {
  if (kind_ != Kind::dict) wrong_kind(*this, "a StateDict");
  return *dict_;
}
StateValue& StateValue::operator[](const std::string& key) { return to_dict()[key]; }
const StateValue& StateValue::at(const std::string& key) const { return to_dict().at(key); }

StateDict::StateDict(std::initializer_list<Item> items) {
  for (const Item& item : items) insert(item.first, item.second);
}

StateValue& StateDict::operator[](const std::string& key) {
  for (Item& item : items_)
    if (item.first == key) return item.second;
  items_.emplace_back(key, StateValue());
  return items_.back().second;
}

StateValue& StateDict::at(const std::string& key) {
  for (Item& item : items_)
    if (item.first == key) return item.second;
  const std::string known = detail::quoted_names(keys());
  throw KeyError("StateDict has no key '" + key + "' (its keys: " + (known.empty() ? "none" : known) + ")");
}
const StateValue& StateDict::at(const std::string& key) const { return const_cast<StateDict&>(*this).at(key); }

bool StateDict::contains(const std::string& key) const {
  for (const Item& item : items_)
    if (item.first == key) return true;
  return false;
}

void StateDict::insert(const std::string& key, StateValue value) { (*this)[key] = std::move(value); }

bool StateDict::erase(const std::string& key) {
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->first == key) {
      items_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<std::string> StateDict::keys() const {
  std::vector<std::string> out;
  for (const Item& item : items_) out.push_back(item.first);
  return out;
}

namespace {
bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.numel()) * sizeof(double)) == 0;
}
}  // namespace

bool operator==(const StateValue& a, const StateValue& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case StateValue::Kind::tensor: return same_bits(a.to_tensor(), b.to_tensor());
    case StateValue::Kind::integer: return a.to_int() == b.to_int();
    case StateValue::Kind::number: {
      const double x = a.to_double(), y = b.to_double();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case StateValue::Kind::boolean: return a.to_bool() == b.to_bool();
    case StateValue::Kind::text: return a.to_string() == b.to_string();
    case StateValue::Kind::dict: return a.to_dict() == b.to_dict();
  }
  return false;
}

bool operator==(const StateDict& a, const StateDict& b) {
  if (a.size() != b.size()) return false;
  auto ia = a.begin();
  for (auto ib = b.begin(); ib != b.end(); ++ia, ++ib)
    if (ia->first != ib->first || !(ia->second == ib->second)) return false;
  return true;
}

namespace {
void print_state(std::ostream& os, const StateDict& state, int indent) {
  for (const auto& [key, value] : state) {
    os << std::string(static_cast<std::size_t>(indent), ' ') << key << ": ";
    switch (value.kind()) {
      case StateValue::Kind::tensor: os << "tensor " << value.to_tensor().shape().str() << "\n"; break;
      case StateValue::Kind::integer: os << value.to_int() << "\n"; break;
      case StateValue::Kind::number: os << value.to_double() << "\n"; break;
      case StateValue::Kind::boolean: os << (value.to_bool() ? "true" : "false") << "\n"; break;
      case StateValue::Kind::text: os << "'" << value.to_string() << "'\n"; break;
      case StateValue::Kind::dict:
        os << "StateDict (" << value.to_dict().size() << ")\n";
        print_state(os, value.to_dict(), indent + 2);
        break;
    }
  }
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const StateDict& state) {
  print_state(os, state, 0);
  return os;
}

}  // namespace tg
