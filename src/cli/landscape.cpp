// `tapegrad landscape`: what the terrain of a test function looks like at a point — value,
// gradient, Hessian eigenvalues, condition number, and the verdict of tg::analyze_terrain.
#include <cmath>
#include <ostream>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/functions/terrain.hpp"

namespace tg::cli {

int landscape(const LandscapeArgs& args, std::ostream& out, std::ostream& err) {
  return guarded("landscape", err, [&] {
    if (args.function.empty()) throw UsageError("--function is required (tapegrad list functions)");
    const functions::TestFunction& f = find_function(args.function);
    const std::vector<double> at = parse_point("--at", args.at, f);
    if (args.hessian != "exact" && args.hessian != "fd")
      throw UsageError("--hessian must be exact or fd, got '" + args.hessian + "'");
    TerrainThresholds thresholds;
    thresholds.hessian = args.hessian == "fd" ? HessianMethod::finite_difference : HessianMethod::exact;
    const Terrain t = analyze_terrain(f.value, tg::tensor(at, f.shape), thresholds);

    std::vector<std::pair<std::string, std::string>> lines = {
        {"value", format_short(t.value)},
        {"gradient", format_point(t.gradient.to_vector())},
        {"gradient norm", format_short(t.gradient_norm)},
        {"Hessian", args.hessian == "fd" ? "central differences of gradients, eps = " + format_short(thresholds.eps)
                                         : "exact (double backward)"},
        {"Hessian eigenvalues", format_point(t.eigenvalues)},
        {"condition number", format_short(t.condition_number)},
        {"terrain", t.kind},
        {"reason", t.reason},
    };
    std::size_t nearest = f.points.size();
    double best = INFINITY;
    for (std::size_t i = 0; i < f.points.size(); ++i) {
      const functions::Point& p = f.points[i];
      if (p.x.size() != at.size()) continue;
      double sum = 0;
      for (std::size_t k = 0; k < at.size(); ++k) sum += (at[k] - p.x[k]) * (at[k] - p.x[k]);
      if (std::sqrt(sum) < best) {
        best = std::sqrt(sum);
        nearest = i;
      }
    }
    if (nearest < f.points.size()) {
      const functions::Point& p = f.points[nearest];
      lines.emplace_back("nearest known point", p.kind + " " + format_point(p.x) + ", f = " + format_short(p.value) +
                                                    ", at distance " + format_short(best));
    }

    out << f.name << " at " << format_point(at) << ": " << f.formula << "\n";
    for (const auto& [label, value] : lines) {
      out << "  " << label << std::string(22 - label.size(), ' ') << value << "\n";
    }
    return static_cast<int>(kOk);
  });
}

}  // namespace tg::cli
