// A fixture for tests of a whole sample month (tests/integration/invoicing): a fresh
// database with the sample contracts (copied into the test's folder, so a test may edit
// them), October 2026 generated at scale 0.2, ingested and counted; ready to bill.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_database.hpp"

namespace costcover::testing {

class SampleMonthTest : public ::testing::Test {
 public:
  static constexpr const char* kMonth = "2026-10";

 protected:
  explicit SampleMonthTest(const char* prefix) : dir_(prefix) {}

  void SetUp() override {
    namespace fs = std::filesystem;
    contracts_ = dir_.path() / "contracts";
    fs::copy(fs::path(source_dir()) / "contracts", contracts_, fs::copy_options::recursive);
    run("contracts load '" + contracts_.string() + "'");
    run(std::string("generate --month ") + kMonth + " --scale 0.2 --out '" + dir_.path().string() + "/tx'");
    for (const char* source : {"finance", "hr", "other"}) {
      run(std::string("ingest --source ") + source + " --as-of 2026-11-15 --rejects '" + dir_.path().string() + "/tx/" +
          source + ".rejects.csv' '" + dir_.path().string() + "/tx/" + source + ".csv'");
    }
    run("nightly");
  }

  // The program on the test's database; the test fails unless it exits 0.
  RunResult run(const std::string& args) {
    auto result = run_costcover(db_.connection_string(), args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result;
  }

  // The month's CSV and HTML exports into `out`.
  void export_to(const std::filesystem::path& out) {
    run(std::string("export --period ") + kMonth + " --format csv --out '" + out.string() + "'");
    run(std::string("export --period ") + kMonth + " --format html --out '" + out.string() + "'");
  }

  TestDatabase db_;
  TempDir dir_;
  std::filesystem::path contracts_;
};

}  // namespace costcover::testing
