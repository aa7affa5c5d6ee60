// io::decode_npy. Input: the .npy file's bytes. Well-formed: at most kMaxDims dimensions, none
// negative, as many values as the product of the shape, a tensor of that shape made from it,
// and encode_npy(array) decoding back to the same shape and the same doubles, bit for bit.
#include <cstring>

#include "check.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::fuzz {

namespace {
bool same(const io::Array& a, const io::Array& b) {
  return a.shape == b.shape && a.values.size() == b.values.size() &&
         (a.values.empty() || std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)) == 0);
}
}  // namespace

void check_npy(std::string_view input) {
  io::Array a;
  try {
    a = io::decode_npy(input, "fuzz.npy");
  } catch (const tg::Error&) {
    return;
  }
  require(a.shape.size() <= kMaxDims, "decode_npy: more dimensions than a Shape holds");
  // The element count, computed without overflow: the product of the non-zero dimensions
  // must fit an int64 (a Shape's numel()), and a zero dimension makes it zero.
  __int128 count = 1;
  for (const int64_t d : a.shape) {
    require(d >= 0, "decode_npy: a negative dimension");
    if (d != 0) count *= d;
    require(count <= INT64_MAX, "decode_npy: the shape's element count overflows int64 " + a.shape.str());
  }
  for (const int64_t d : a.shape) {
    if (d == 0) count = 0;
  }
  require(static_cast<__int128>(a.values.size()) == count, "decode_npy: the values do not fill the shape " +
                                                              a.shape.str());
  const Tensor t = io::to_tensor(a);
  require(t.shape() == a.shape && t.numel() == static_cast<int64_t>(a.values.size()),
          "to_tensor: the tensor's shape is not the array's");
  require(same(io::decode_npy(io::encode_npy(a), "fuzz.npy (encoded again)"), a),
          "decode_npy: encode_npy of the decoded array does not decode to the same array");
}

}  // namespace tg::fuzz
