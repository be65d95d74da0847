// SHA-256 against the FIPS 180-4 / NIST test vectors, one-shot and in pieces.
#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace costcover {
namespace {

const std::pair<std::string, const char*> kVectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {std::string(1'000'000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

TEST(Sha256, StandardVectors) {
  for (const auto& [message, digest] : kVectors) EXPECT_EQ(sha256_hex(message), digest) << message.size();
}

TEST(Sha256, PaddingBoundaries) {
  // Lengths around the 55/56/64-byte padding edges, checked one-shot against pieces.
  EXPECT_EQ(sha256_hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  for (const auto& [message, digest] : kVectors) {
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{3}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
      if (message.size() > 10'000 && piece < 63) continue;
      Sha256 hasher;
      for (std::size_t at = 0; at < message.size(); at += piece)
        hasher.update(std::string_view(message).substr(at, piece));
      EXPECT_EQ(hasher.hex_digest(), digest) << "pieces of " << piece;
    }
  }
}

}  // namespace
}  // namespace costcover
