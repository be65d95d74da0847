// `costcover generate`: realistic, reproducible transaction CSVs in the format of
// docs/formats.md, for demos, tests and the ingest benchmark. Volumes per agency and service
// are drawn around the agreements' forecasts (a yearly forecast / 12) times a scale;
// weekends and holidays are quiet; processing times are mostly 0-5 Finnish business days
// with a tail; a few rows carry tags (late-from-client, rework-provider) and a few are
// cancelled later in the file. One file per service area (finance.csv, hr.csv,
// other.csv), each meant to be loaded with the area as its source name.
//
// Reproducible: the output depends only on the plan, the month, the seed, the scale and
// the cut-off time (rows delivered after it are not written), never on the platform
// (own PRNG, integer arithmetic only). Streams its output: memory does not grow with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace costcover::demo {

// One agency-service pair to generate, with its base monthly volume (units).
struct GenerateStream {
  std::string agency;
  std::string service;
  std::string area;  // finance | hr | other: the output file
  std::int64_t monthly_volume = 0;
  std::int32_t first_day = 0;  // days since 1970-01-01: the agreement's validity in the month
  std::int32_t last_day = 0;
};

struct GenerateOptions {
  int year = 0;
  int month = 0;
  std::uint64_t seed = 1;
  std::int64_t scale_millionths = 1'000'000;  // 1.0
  std::int64_t cutoff_micros = 0;             // nothing delivered after this
  std::string out_dir;
};

struct GeneratedFile {
  std::string path;
  std::string source;  // the area: load with --source <area>
  std::int64_t rows = 0;
  std::int64_t cancellations = 0;
  std::int64_t units = 0;  // quantity of the delivered rows (cancellation rows not counted)
};

// The streams of a month from the agreements in force in it (the highest version of each
// agreement whose validity overlaps the month). A service without a volume forecast gets
// kDefaultMonthlyVolume.
inline constexpr std::int64_t kDefaultMonthlyVolume = 100;
// The generated quantities average 1.12 units per transaction.
inline constexpr std::int64_t kUnitsPerHundredTransactions = 112;
[[nodiscard]] std::vector<GenerateStream> plan_month(const model::ContractSet& contracts, int year, int month);

// Writes the files; returns them in area order. Throws std::runtime_error on I/O errors.
std::vector<GeneratedFile> generate_month(const std::vector<GenerateStream>& streams, const GenerateOptions& options);

// Parses a scale like "1", "12.5", "0.01" into millionths; throws std::invalid_argument.
[[nodiscard]] std::int64_t parse_scale(const std::string& text);

// The PRNG (xoshiro256**, seeded with splitmix64), exposed for tests.
class Random {
 public:
  explicit Random(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound), bound > 0 (Lemire's method, unbiased).
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t s_[4];
};

}  // namespace costcover::demo
