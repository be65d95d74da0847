#include "ingest/repeat_filter.hpp"

namespace costcover::ingest {

RepeatFilter::RepeatFilter() : bits_(kWords, 0) {}

bool RepeatFilter::add(std::string_view key) {
  // FNV-1a, then a 64-bit finaliser (MurmurHash3's); two halves give the probes (double hashing).
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33U;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33U;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33U;
  const std::uint64_t h1 = h;
  const std::uint64_t h2 = (h >> 32U) | 1U;
  bool seen = true;
  for (std::uint64_t i = 0; i < kHashes; ++i) {
    const std::uint64_t bit = (h1 + i * h2) & (kBits - 1);
    std::uint64_t& word = bits_[bit >> 6U];
    const std::uint64_t mask = 1ULL << (bit & 63U);
    if ((word & mask) == 0) {
      seen = false;
      word |= mask;
    }
  }
  return seen;
}

}  // namespace costcover::ingest
