// The generator is reproducible, plausible and respects the cut-off.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "demo/generate.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::demo {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<GenerateStream> plan() {
  const std::int32_t first = ingest::days_from_civil(2027, 3, 1);
  const std::int32_t last = ingest::days_from_civil(2027, 3, 31);
  return {{"KTL", "purchase-invoice", "finance", 1200, first, last},
          {"KTL", "payslip", "hr", 300, first, last},
          {"VM", "purchase-invoice", "finance", 800, ingest::days_from_civil(2027, 3, 15), last}};
}

GenerateOptions options(const std::string& dir, std::uint64_t seed) {
  GenerateOptions o;
  o.year = 2027;
  o.month = 3;
  o.seed = seed;
  o.cutoff_micros = ingest::parse_timestamp("2030-01-01T00:00:00Z", nullptr)->micros;
  o.out_dir = dir;
  return o;
}

TEST(Generate, SameSeedSameBytesOtherSeedOtherBytes) {
  const auto base = std::filesystem::temp_directory_path() / ("ccgen_" + std::to_string(::getpid()));
  const auto a = generate_month(plan(), options((base / "a").string(), 7));
  const auto b = generate_month(plan(), options((base / "b").string(), 7));
  const auto c = generate_month(plan(), options((base / "c").string(), 8));
  ASSERT_EQ(a.size(), 2U);  // finance, hr
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(slurp(a[i].path), slurp(b[i].path));
    EXPECT_NE(slurp(a[i].path), slurp(c[i].path));
  }
  // Units near the forecasts (+-10 % noise), VM only from the 15th; transactions fewer
  // (1.12 units each on average), cancellations add rows.
  EXPECT_GT(a[0].units, (1200 + 800 * 17 / 31) * 85 / 100);
  EXPECT_LT(a[0].units, (1200 + 800) * 115 / 100);
  EXPECT_LT(a[0].rows, a[0].units);
  std::filesystem::remove_all(base);
}

TEST(Generate, RespectsTheCutOffAndTheFormat) {
  const auto base = std::filesystem::temp_directory_path() / ("ccgen2_" + std::to_string(::getpid()));
  auto o = options(base.string(), 1);
  o.cutoff_micros = ingest::parse_timestamp("2027-03-10T12:00:00+02:00", nullptr)->micros;
  const auto files = generate_month(plan(), o);
  std::ifstream in(files[0].path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "txn_id,agency,service,received_at,delivered_at,quantity,tags,status");
  std::int64_t rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::vector<std::string> f;
    std::stringstream s(line);
    std::string field;
    while (std::getline(s, field, ',')) f.push_back(field);
    if (line.back() == ',') f.emplace_back();
    ASSERT_EQ(f.size(), 8U) << line;
    const auto received = ingest::parse_timestamp(f[3], nullptr);
    const auto delivered = ingest::parse_timestamp(f[4], nullptr);
    ASSERT_TRUE(received && delivered) << line;
    EXPECT_LE(received->micros, delivered->micros) << line;
    EXPECT_LE(delivered->micros, o.cutoff_micros) << line;
    EXPECT_TRUE(f[7] == "delivered" || f[7] == "cancelled") << line;
  }
  EXPECT_EQ(rows, files[0].rows);
  EXPECT_GT(rows, 100);
  std::filesystem::remove_all(base);
}

TEST(Generate, RandomIsUnbiasedInRangeAndScaleParses) {
  Random r(42);
  for (int i = 0; i < 10000; ++i) EXPECT_LT(r.below(7), 7U);
  EXPECT_EQ(parse_scale("1"), 1'000'000);
  EXPECT_EQ(parse_scale("12.5"), 12'500'000);
  EXPECT_EQ(parse_scale("0.01"), 10'000);
  EXPECT_THROW((void)parse_scale("0"), std::invalid_argument);
  EXPECT_THROW((void)parse_scale("1e3"), std::invalid_argument);
}

}  // namespace
}  // namespace costcover::demo
