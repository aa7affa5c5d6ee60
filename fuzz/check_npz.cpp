// io::decode_npz. Input: the .npz (ZIP) archive's bytes. Well-formed: distinct member names,
// each member's bytes lie inside the archive, and (when every name is non-empty, as
// encode_npz requires) encode_npz of the members decodes back to the same members.
#include <set>

#include "check.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"

namespace tg::fuzz {

void check_npz(std::string_view input) {
  std::vector<std::pair<std::string, std::string>> members;
  try {
    members = io::decode_npz(input, "fuzz.npz");
  } catch (const tg::Error&) {
    return;
  }
  std::set<std::string> names;
  std::size_t bytes = 0;
  bool named = true;
  for (const auto& [name, data] : members) {
    require(names.insert(name).second, "decode_npz: a duplicate member name '" + name + "'");
    bytes += name.size() + data.size();
    named = named && !name.empty();
  }
  require(bytes <= input.size(), "decode_npz: the members hold more bytes than the archive");
  if (named) {
    require(io::decode_npz(io::encode_npz(members), "fuzz.npz (encoded again)") == members,
            "decode_npz: encode_npz of the members does not decode to the same members");
  }
}

}  // namespace tg::fuzz
