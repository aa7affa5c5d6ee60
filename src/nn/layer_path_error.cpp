// A ShapeError raised deep inside a model, rethrown at every level of Module::operator() with
// the path of the layer that raised it: the leaf adds its one-line description, each parent
// the name under which it holds the child, so the outermost call reports
//   "MLP: layers.2 (Linear(in_features=3, out_features=1, bias=True)): Linear(in_features=3): ..."
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/nn/module.hpp"

namespace tg::nn::detail {

namespace {

class LayerPathError : public ShapeError {
 public:
  LayerPathError(std::string message, std::string path, std::string layer, std::string original, const Module* last)
      : ShapeError(std::move(message)),
        path(std::move(path)),
        layer(std::move(layer)),
        original(std::move(original)),
        last(last) {}
  std::string path;      // dotted, relative to `last`
  std::string layer;     // the leaf's one-line description
  std::string original;  // the leaf's message
  const Module* last;    // the module that rethrew it last (compared, never dereferenced)
};

std::string one_line(const Module& module) { return module.type_name() + "(" + module.extra_repr() + ")"; }

}  // namespace

void rethrow_with_layer_path(const Module& module, const ShapeError& error) {
  const auto* inner = dynamic_cast<const LayerPathError*>(&error);
  if (!inner) throw LayerPathError(error.what(), "", one_line(module), error.what(), &module);  // the leaf: unchanged
  std::string path = inner->path;
  for (const auto& [name, child] : module.named_children()) {
    if (child.get() == inner->last) {
      path = path.empty() ? name : name + "." + path;
      break;
    }
  }
  if (path.empty()) throw LayerPathError(inner->what(), "", inner->layer, inner->original, &module);
  throw LayerPathError(module.type_name() + ": " + path + " (" + inner->layer + "): " + inner->original, path, inner->layer,
                       inner->original, &module);
}

}  // namespace tg::nn::detail
