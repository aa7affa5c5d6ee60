#include "oracle.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <tapegrad/io/npy.hpp>

namespace oracle {

namespace {

// "lr=0.1,betas=(0.8,0.99),amsgrad=true" -> {{"lr","0.1"}, {"betas","(0.8,0.99)"}, ...}
tg::optim::OptionList parse_options(const std::string& text) {
  tg::optim::OptionList out;
  if (text == "default") return out;
  int depth = 0;
  std::string item;
  auto flush = [&] {
    const auto eq = item.find('=');
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    item.clear();
  };
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      flush();
    } else {
      item += c;
    }
  }
  flush();
  return out;
}

Entry parse_key(const std::string& key) {
  Entry e;
  e.key = key;
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    const std::size_t slash = key.find('/', start);
    parts.push_back(key.substr(start, slash - start));
    start = slash + 1;
  }
  parts.push_back(key.substr(start));
  e.function = parts[0];
  e.optimizer = parts[1];
  e.options = parse_options(parts[2]);
  std::string coords = parts[3].substr(std::string("start=(").size());
  coords.pop_back();
  std::stringstream ss(coords);
  std::string v;
  while (std::getline(ss, v, ',')) e.start.push_back(std::stod(v));
  return e;
}

std::vector<Entry> load(const std::string& dir) {
  std::ifstream keys(dir + "/keys.txt");
  if (!keys) throw std::runtime_error("cannot read " + dir + "/keys.txt");
  const tg::io::Array params = tg::io::decode_npy(tg::io::read_file(dir + "/params.npy"), "params.npy");
  std::vector<Entry> out;
  std::string key;
  while (std::getline(keys, key)) {
    if (key.empty()) continue;
    Entry e = parse_key(key);
    const std::size_t base = out.size() * 51 * 2;
    for (std::size_t r = 0; r < 51; ++r)
      e.params.push_back({params.values[base + 2 * r], params.values[base + 2 * r + 1]});
    out.push_back(std::move(e));
  }
  if (out.size() * 51 * 2 != params.values.size()) throw std::runtime_error("keys.txt and params.npy disagree");
  return out;
}

}  // namespace

const std::vector<Entry>& entries() {
  static const std::vector<Entry> all = load(TAPEGRAD_ORACLE_DIR);
  return all;
}

const std::vector<Entry>& ext_entries(const std::string& name) {
  static std::map<std::string, std::vector<Entry>> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) it = loaded.emplace(name, load(std::string(TAPEGRAD_ORACLE_EXT_DIR) + "/" + name)).first;
  return it->second;
}

tg::Tensor evaluate(const std::string& function, const tg::Tensor& p) {
  const tg::Tensor x = p[0], y = p[1];
  if (function == "quadratic") return (x - 3.0).pow(2) + (y + 2.0).pow(2);
  if (function == "ravine") return x.pow(2) + 10.0 * y.pow(2);
  if (function == "rosenbrock") return (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2);
  if (function == "saddle") return x.pow(2) - y.pow(2);
  throw std::runtime_error("unknown test function " + function);
}

std::vector<std::vector<double>> run(const Entry& entry) {
  tg::Tensor p = tg::tensor(entry.start, tg::Shape{2}, /*requires_grad=*/true);
  auto opt = tg::optim::make_optimizer(entry.optimizer, {p}, entry.options);
  std::vector<std::vector<double>> rows{p.to_vector()};
  for (int step = 1; step <= 50; ++step) {
    opt->step([&] {
      opt->zero_grad();
      tg::Tensor f = evaluate(entry.function, p);
      f.backward();
      return f;
    });
    rows.push_back(p.to_vector());
  }
  return rows;
}

std::string compare(const Entry& entry, const std::vector<std::vector<double>>& rows) {
  for (std::size_t r = 0; r < entry.params.size(); ++r) {
    for (std::size_t c = 0; c < 2; ++c) {
      const double a = rows.at(r).at(c), b = entry.params[r][c];
      if (!(std::fabs(a - b) <= 1e-12 + 1e-9 * std::fabs(b))) {
        std::ostringstream os;
        os.precision(17);
        os << entry.key << ": row " << r << " component " << c << " is " << a << ", reference " << b;
        return os.str();
      }
    }
  }
  return "";
}

}  // namespace oracle
