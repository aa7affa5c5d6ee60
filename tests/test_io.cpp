// .npy and .npz encoding and decoding, checked against bytes written by NumPy 1.24 and Python's
// zipfile; CRC-32; atomic file writes. The byte literals were produced once with /usr/bin/python3
// (the calls are in the comments); the files encode_npz writes were loaded with np.load and
// passed `unzip -t`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <tapegrad/error.hpp>
#include <tapegrad/io/npy.hpp>
#include <tapegrad/tensor.hpp>

namespace {

namespace fs = std::filesystem;
using Members = std::vector<std::pair<std::string, std::string>>;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// np.save(f, np.array([[1., 2., 3.], [4., 5., 6.]]))
const std::string kNpy2x3 = from_hex(
    "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73"
    "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
    "202020202020202020202020202020202020202020202020202020202020200a000000000000f03f0000000000000040"
    "0000000000000840000000000000104000000000000014400000000000001840");

// np.savez(f, **{'layer1/weight': np.array([[0.5, -1.0, 2.0], [3.25, 4.0, -0.125]]),
//                'step': np.array(7)})   (its local headers carry a ZIP64 extra field)
const std::string kSavez = from_hex(
    "504b030414000000000000002100a45acc37b0000000b0000000110014006c61796572312f7765696768742e6e707901"
    "001000b000000000000000b000000000000000934e554d5059010076007b276465736372273a20273c6638272c202766"
    "6f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d2020202020202020"
    "202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20200a000000000000e03f000000000000f0bf00000000000000400000000000000a4000000000000010400000000000"
    "00c0bf504b03041400000000000000210023b8f06c880000008800000008001400737465702e6e707901001000880000"
    "00000000008800000000000000934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e"
    "5f6f72646572273a2046616c73652c20277368617065273a2028292c207d202020202020202020202020202020202020"
    "20202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a070000"
    "0000000000504b0102140314000000000000002100a45acc37b0000000b0000000110000000000000000000000800100"
    "0000006c61796572312f7765696768742e6e7079504b010214031400000000000000210023b8f06c8800000088000000"
    "0800000000000000000000008001f3000000737465702e6e7079504b0506000000000200020075000000b50100000000");

// A .npy file with this header dict (format 1.0, padded as NumPy pads) and these data bytes.
std::string npy_with_header(const std::string& dict, const std::string& data) {
  std::string header = dict;
  header.append(63 - (10 + header.size()) % 64, ' ');
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size() & 0xFF) +
         static_cast<char>(header.size() >> 8) + header + data;
}

std::string f8_bytes(std::initializer_list<double> values) {
  std::string out(values.size() * 8, '\0');
  std::memcpy(out.data(), std::data(values), out.size());  // little-endian hosts
  return out;
}

// The message of the tg::FormatError that decoding throws, "" if it throws none.
std::string npy_error(std::string_view bytes) {
  try {
    tg::io::decode_npy(bytes, "w.npy");
  } catch (const tg::FormatError& e) {
    return e.what();
  }
  return "";
}
std::string npz_error(std::string_view bytes) {
  try {
    tg::io::decode_npz(bytes, "ckpt.npz");
  } catch (const tg::FormatError& e) {
    return e.what();
  }
  return "";
}

void expect_same(const tg::io::Array& a, const tg::io::Array& b) {
  EXPECT_EQ(a.shape, b.shape);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {  // bitwise, so that NaN and -0.0 count
    EXPECT_EQ(std::bit_cast<uint64_t>(a.values[i]), std::bit_cast<uint64_t>(b.values[i])) << "value " << i;
  }
}

TEST(Crc32, KnownValues) {
  EXPECT_EQ(tg::io::crc32(""), 0u);
  EXPECT_EQ(tg::io::crc32("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(tg::io::crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(tg::io::crc32(kSavez.substr(67, 176)), 0x37CC5AA4u);  // as stored by Python's zipfile
}

TEST(Npy, EncodesTheBytesNumPyWrites) {
  const tg::io::Array a{tg::Shape{2, 3}, {1, 2, 3, 4, 5, 6}};
  EXPECT_EQ(tg::io::encode_npy(a), kNpy2x3);
  expect_same(tg::io::decode_npy(kNpy2x3, "a.npy"), a);

  // np.lib.format.write_array_header_1_0(f, {'descr': '<f8', 'fortran_order': False,
  //     'shape': (0, 0, 123456, 12345678, 12345678, 12345678)}): a full 64 bytes of padding.
  const std::string numpy_header = from_hex(
      "934e554d50590100b6007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73"
      "652c20277368617065273a2028302c20302c203132333435362c2031323334353637382c2031323334353637382c2031"
      "32333435363738292c207d20202020202020202020202020202020202020202020202020202020202020202020202020"
      "20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a");
  EXPECT_EQ(tg::io::encode_npy({tg::Shape{0, 0, 123456, 12345678, 12345678, 12345678}, {}}), numpy_header);

  EXPECT_THROW(tg::io::encode_npy({tg::Shape{2, 2}, {1, 2, 3}}), tg::ShapeError);
}

TEST(Npy, RoundTrips) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<tg::io::Array> arrays = {
      {tg::Shape{}, {3.5}},
      {tg::Shape{5}, {-0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), 4.9e-324}},
      {tg::Shape{2, 3, 2}, {1, -2, 3.25, 4, 5, 6, 7, 8, 9, 10, 11, 1e300}},
      {tg::Shape{0}, {}},
      {tg::Shape{2, 0, 3}, {}},
  };
  for (const tg::io::Array& a : arrays) {
    SCOPED_TRACE(a.shape.str());
    const std::string bytes = tg::io::encode_npy(a);
    EXPECT_EQ((bytes.size() - a.values.size() * 8) % 64, 0u) << "data aligned to 64 bytes";
    expect_same(tg::io::decode_npy(bytes, "a.npy"), a);
  }
}

TEST(Npy, DecodesOtherDtypesAndVersions) {
  // np.lib.format.write_array(f, np.array([1.5, -2.25], dtype='<f4'))
  const auto f4 = tg::io::decode_npy(
      from_hex(
          "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
          "652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020"
          "202020202020202020202020202020202020202020202020202020202020200a0000c03f000010c0"),
      "f4.npy");
  expect_same(f4, {tg::Shape{2}, {1.5, -2.25}});

  // np.lib.format.write_array(f, np.array([[1, -2], [3, 2147483647]], dtype='<i4'), version=(2, 0))
  const auto i4 = tg::io::decode_npy(
      from_hex(
          "934e554d50590200740000007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a204661"
          "6c73652c20277368617065273a2028322c2032292c207d20202020202020202020202020202020202020202020202020"
          "202020202020202020202020202020202020202020202020202020202020200a01000000feffffff03000000ffffff7f"),
      "i4.npy");
  expect_same(i4, {tg::Shape{2, 2}, {1, -2, 3, 2147483647}});

  // np.lib.format.write_array(f, np.array(-42, dtype='<i8'), version=(3, 0))
  const auto i8 = tg::io::decode_npy(
      from_hex(
          "934e554d50590300740000007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a204661"
          "6c73652c20277368617065273a2028292c207d2020202020202020202020202020202020202020202020202020202020"
          "202020202020202020202020202020202020202020202020202020202020200ad6ffffffffffffff"),
      "i8.npy");
  expect_same(i8, {tg::Shape{}, {-42}});
}

TEST(Npy, AcceptsOtherHeaderSpellings) {
  const std::string data = f8_bytes({1, 2, 3});
  for (const char* dict : {"{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
                           "{\"shape\": (3, ), \"fortran_order\": False, \"descr\": \"<f8\", }",
                           "{'descr':'<f8','fortran_order':False,'shape':(3,),}",
                           "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3L), }"}) {
    SCOPED_TRACE(dict);
    EXPECT_EQ(npy_error(npy_with_header(dict, data)), "");
  }
  expect_same(
      tg::io::decode_npy(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 1), }", data),
                         "w.npy"),
      {tg::Shape{3, 1}, {1, 2, 3}});
}

TEST(Npy, Tensors) {
  const tg::Tensor t({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}});
  const std::string bytes = tg::io::encode_npy(t);
  EXPECT_EQ(bytes, tg::io::encode_npy({tg::Shape{3, 2}, {1, 2, 3, 4, 5, 6}}));
  const tg::Tensor back = tg::io::to_tensor(tg::io::decode_npy(bytes, "t.npy"));
  EXPECT_EQ(back.shape(), (tg::Shape{3, 2}));
  EXPECT_EQ(back.to_vector(), t.to_vector());
  EXPECT_EQ(tg::io::to_tensor({tg::Shape{}, {2.5}}).item(), 2.5);
}

TEST(Npy, RejectsBadInput) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
  EXPECT_EQ(npy_error(""), "w.npy: empty file, not a .npy array");
  EXPECT_EQ(npy_error("PK\x03\x04 not an array"),
            "w.npy: bad magic: not a .npy file (it should start with \"\\x93NUMPY\")");
  EXPECT_EQ(npy_error(kNpy2x3.substr(0, 4)), "w.npy: truncated before the format version");
  EXPECT_EQ(npy_error(kNpy2x3.substr(0, 9)), "w.npy: truncated header length");
  EXPECT_EQ(npy_error(kNpy2x3.substr(0, 50)), "w.npy: truncated header: 118 bytes announced, 40 present");
  EXPECT_EQ(npy_error(kNpy2x3.substr(0, 128)),
            "w.npy: data is 0 bytes but shape (2, 3) of '<f8' needs 48 (truncated)");
  EXPECT_EQ(npy_error(kNpy2x3.substr(0, 175)),
            "w.npy: data is 47 bytes but shape (2, 3) of '<f8' needs 48 (truncated)");
  EXPECT_EQ(npy_error(kNpy2x3 + '\0'),
            "w.npy: data is 49 bytes but shape (2, 3) of '<f8' needs 48 (1 trailing bytes)");
  EXPECT_EQ(npy_error(npy_with_header(header, f8_bytes({1, 2, 3}))),
            "w.npy: data is 24 bytes but shape (2, 2) of '<f8' needs 32 (truncated)");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }",
                                      f8_bytes({1, 0}))),
            "w.npy: unsupported dtype '<c16' (supported: '<f8', '<f4', '<i8', '<i4')");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }",
                                      f8_bytes({1, 2, 3, 4}))),
            "w.npy: fortran_order True is not supported (C order only)");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                                      f8_bytes({1}))),
            "w.npy: unsupported dtype: only plain numeric dtypes such as '<f8' are supported");
  EXPECT_EQ(
      npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, "
                                "1, 1), }",
                                f8_bytes({1}))),
      "w.npy: shape with 9 dimensions; tapegrad supports at most 8");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, "
                                      "4294967296), }",
                                      "")),
            "w.npy: shape (4294967296, 4294967296) has more than 2^63 elements");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'shape': (2, 2), }", f8_bytes({1, 2, 3, 4}))),
            "w.npy: malformed .npy header: no 'fortran_order' key");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 2), }", "")),
            "w.npy: malformed .npy header at column 52: expected a non-negative integer");
  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4), }", "")),
            "w.npy: malformed .npy header at column 54: a one-element tuple needs a trailing comma");

  EXPECT_EQ(npy_error(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 03), }", "")),
            "w.npy: malformed .npy header at column 57: leading zeros in an integer");

  std::string version4 = kNpy2x3;
  version4[6] = 4;
  EXPECT_EQ(npy_error(version4), "w.npy: unsupported .npy format version 4.0");

  // Every single-bit error in the magic, version, header length or header is caught (the data has no
  // checksum in a .npy file; the .npz archive's CRC-32 covers it).
  for (std::size_t i = 0; i < 128; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = kNpy2x3;
      bytes[i] = static_cast<char>(bytes[i] ^ (1 << bit));
      const std::string message = npy_error(bytes);
      EXPECT_EQ(message.rfind("w.npy: ", 0), 0u) << "byte " << i << " bit " << bit << ": " << message;
    }
  }
}

TEST(Npz, EncodesTheBytesPythonZipfileWrites) {
  // zipfile.ZipFile(f, 'w').writestr(zi, data) for each member, with
  // zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)); zi.external_attr = 0o100644 << 16
  const Members members = {{"notes.txt", "hi\n"}, {"layer1/w.npy", std::string("\x00\x01", 2)}};
  const std::string expected = from_hex(
      "504b0304140000000000000021007a7a6fed0300000003000000090000006e6f7465732e74787468690a504b030414"
      "0000000000000021006922de3602000000020000000c0000006c61796572312f772e6e70790001504b010214031400"
      "00000000000021007a7a6fed0300000003000000090000000000000000000000a481000000006e6f7465732e747874"
      "504b01021403140000000000000021006922de3602000000020000000c0000000000000000000000a4812a0000006c"
      "61796572312f772e6e7079504b0506000000000200020071000000560000000000");
  EXPECT_EQ(tg::io::encode_npz(members), expected);
  EXPECT_EQ(tg::io::decode_npz(expected, "tiny.npz"), members);
}

TEST(Npz, RoundTrips) {
  const Members members = {
      {"z_last_name_first.npy", tg::io::encode_npy({tg::Shape{2, 2}, {1, 2, 3, 4}})},
      {"optimizer/adam/m.npy", tg::io::encode_npy({tg::Shape{}, {0.125}})},
      {"empty.npy", tg::io::encode_npy({tg::Shape{0}, {}})},
      {"notes.txt", "step 10\n"},
      {"nothing", ""},
      {"caf\xc3\xa9.npy", tg::io::encode_npy({tg::Shape{1}, {7}})},  // a UTF-8 name
  };
  const std::string bytes = tg::io::encode_npz(members);
  EXPECT_EQ(tg::io::encode_npz(members), bytes) << "deterministic";
  EXPECT_EQ(tg::io::decode_npz(bytes, "ckpt.npz"), members);
  EXPECT_EQ(tg::io::decode_npz(tg::io::encode_npz({}), "none.npz"), Members{});

  EXPECT_THROW(tg::io::encode_npz({{"a.npy", "1"}, {"a.npy", "2"}}), tg::ValueError);
  EXPECT_THROW(tg::io::encode_npz({{"", "1"}}), tg::ValueError);
}

TEST(Npz, DecodesNumPySavez) {
  const Members members = tg::io::decode_npz(kSavez, "savez.npz");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].first, "layer1/weight.npy");
  EXPECT_EQ(members[1].first, "step.npy");
  expect_same(tg::io::decode_npy(members[0].second, members[0].first),
              {tg::Shape{2, 3}, {0.5, -1.0, 2.0, 3.25, 4.0, -0.125}});
  expect_same(tg::io::decode_npy(members[1].second, members[1].first), {tg::Shape{}, {7}});
}

TEST(Npz, RejectsBadInput) {
  EXPECT_EQ(npz_error(""), "ckpt.npz: empty file, not a ZIP (.npz) archive");
  EXPECT_EQ(npz_error(kNpy2x3),
            "ckpt.npz: no end of central directory record: truncated, or not a ZIP (.npz) archive");
  for (const std::size_t size : {std::size_t{1}, std::size_t{29}, std::size_t{100}, std::size_t{300},
                                 kSavez.size() - 22, kSavez.size() - 1}) {
    const std::string message = npz_error(kSavez.substr(0, size));
    EXPECT_EQ(message.rfind("ckpt.npz: ", 0), 0u) << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << size << " bytes: " << message;
  }
  EXPECT_EQ(npz_error(kSavez + "junk"),
            "ckpt.npz: 4 trailing bytes after the end of central directory record");
  EXPECT_EQ(npz_error("junk" + kSavez),
            "ckpt.npz: the central directory (offset 437, 117 bytes) does not end where the end record "
            "starts (558): truncated or corrupted archive");

  std::string flipped = kSavez;
  flipped[200] ^= 0x10;  // in the data of layer1/weight.npy
  EXPECT_EQ(npz_error(flipped),
            "ckpt.npz: member 'layer1/weight.npy': CRC-32 mismatch (stored 0x37cc5aa4, computed 0x9dd52092): "
            "corrupted data");
  flipped = kSavez;
  flipped[14] ^= 0x01;  // the CRC-32 in the first local header
  EXPECT_EQ(npz_error(flipped),
            "ckpt.npz: member 'layer1/weight.npy': local header does not match the central directory");
  flipped = kSavez;
  flipped[kSavez.size() - 12] ^= 0x01;  // the member count in the end record
  EXPECT_EQ(npz_error(flipped), "ckpt.npz: multi-disk (split) archives are not supported");

  // Every single-bit error before the central directory (local headers, names, data) is caught.
  const std::string ours = tg::io::encode_npz({{"a.npy", kNpy2x3}, {"dir/b.txt", "hello"}});
  const std::size_t central_offset = 30 + 5 + kNpy2x3.size() + 30 + 9 + 5;
  for (std::size_t i = 0; i < central_offset; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = ours;
      bytes[i] = static_cast<char>(bytes[i] ^ (1 << bit));
      const std::string message = npz_error(bytes);
      EXPECT_EQ(message.rfind("ckpt.npz: ", 0), 0u) << "byte " << i << " bit " << bit << ": " << message;
    }
  }

  // np.savez_compressed(f, a=np.zeros(2))
  const std::string deflated = from_hex(
      "504b0304140000000800000021006e99b228470000009000000005001400612e6e707901001000900000000000000047"
      "000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a1aea3a09e965f54529498179f5f94920a"
      "12774bcc294e058a17672416a402f91a463a9a3a0ab50a14002e06340000504b01021403140000000800000021006e99"
      "b2284700000090000000050000000000000000000000800100000000612e6e7079504b05060000000001000100330000"
      "007e0000000000");
  EXPECT_EQ(npz_error(deflated),
            "ckpt.npz: member 'a.npy': compressed (method 8); only stored members are supported");

  std::string duplicate = tg::io::encode_npz({{"a.npy", "1"}, {"b.npy", "1"}});
  for (std::size_t at; (at = duplicate.find("b.npy")) != std::string::npos;) duplicate[at] = 'a';
  EXPECT_EQ(npz_error(duplicate), "ckpt.npz: member 'a.npy': duplicate member name");

  std::string zip64 = ours;
  std::memset(zip64.data() + zip64.size() - 6, 0xFF, 4);  // central directory offset: "see ZIP64"
  EXPECT_EQ(npz_error(zip64), "ckpt.npz: ZIP64 archives are not supported");
}

class WriteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tapegrad_test_io_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path dir_;
};

TEST_F(WriteFile, WritesAndOverwritesAtomically) {
  const std::string path = (dir_ / "ckpt.npz").string();
  tg::io::write_file_atomic(path, "first version");
  EXPECT_EQ(tg::io::read_file(path), "first version");
  const std::string big = tg::io::encode_npz(
      {{"w.npy", tg::io::encode_npy({tg::Shape{100000}, std::vector<double>(100000, 0.5)})}});
  tg::io::write_file_atomic(path, big);
  EXPECT_EQ(tg::io::read_file(path), big);
  tg::io::write_file_atomic(path, "");
  EXPECT_EQ(tg::io::read_file(path), "");
  EXPECT_EQ(entries(), std::vector<std::string>{"ckpt.npz"}) << "no temporary file is left";

  // A path without a directory part is written in the current directory.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  tg::io::write_file_atomic("plain.bin", std::string("\0\1\2", 3));
  fs::current_path(cwd);
  EXPECT_EQ(tg::io::read_file((dir_ / "plain.bin").string()), std::string("\0\1\2", 3));
}

TEST_F(WriteFile, ReportsFailures) {
  const std::string missing_dir = (dir_ / "no_such_dir" / "ckpt.npz").string();
  try {
    tg::io::write_file_atomic(missing_dir, "x");
    ADD_FAILURE() << "no IoError";
  } catch (const tg::IoError& e) {
    EXPECT_EQ(std::string(e.what()), "write_file_atomic: cannot create a temporary file next to " +
                                         missing_dir + ": No such file or directory");
  }

  // The rename fails over a non-empty directory: the temporary file is removed.
  fs::create_directories(dir_ / "taken" / "sub");
  const std::string taken = (dir_ / "taken").string();
  try {
    tg::io::write_file_atomic(taken, "x");
    ADD_FAILURE() << "no IoError";
  } catch (const tg::IoError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "write_file_atomic: cannot rename the temporary file over " + taken + ": ", 0),
              0u)
        << e.what();
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"taken"});

  const std::string missing = (dir_ / "missing.npz").string();
  try {
    tg::io::read_file(missing);
    ADD_FAILURE() << "no IoError";
  } catch (const tg::IoError& e) {
    EXPECT_EQ(std::string(e.what()), "read_file: cannot open " + missing + ": No such file or directory");
  }
  EXPECT_THROW(tg::io::read_file(dir_.string()), tg::IoError);  // a directory
}

}  // namespace
