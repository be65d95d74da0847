// A fixed-size Bloom filter over txn_ids: flags a row whose key may have appeared earlier
// in the same file. It never misses a real repeat; a false alarm only sends the row down
// the slower exact path of the key rules. 32 MiB whatever the file size.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace costcover::ingest {

class RepeatFilter {
 public:
  RepeatFilter();
  // Adds the key; true when it may have been added before.
  [[nodiscard]] bool add(std::string_view key);

  // 32 MiB and 4 probes: about 1 false alarm in 3 000 rows at 10 million keys.
  static constexpr std::uint64_t kBits = 1ULL << 28U;
  static constexpr std::uint64_t kHashes = 4;

 private:
  static constexpr std::size_t kWords = kBits / 64;
  std::vector<std::uint64_t> bits_;
};

}  // namespace costcover::ingest
