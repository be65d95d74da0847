// The help of every command that reads or writes a file sends the user to the project's
// own description of that file, docs/formats.md (and the file exists). No database.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_database.hpp"

namespace {

using costcover::testing::run_costcover;

TEST(HelpFormats, CommandsThatReadOrWriteFilesPointToDocsFormatsMd) {
  EXPECT_TRUE(std::filesystem::is_regular_file(std::string(COSTCOVER_SOURCE_DIR) + "/docs/formats.md"));
  for (const char* name : {"ingest", "contracts check", "contracts load", "costs import", "export", "prices propose",
                           "settle", "generate"}) {
    const auto help = run_costcover("", std::string("help ") + name);
    EXPECT_EQ(help.status, 0) << name << ": " << help.err;
    EXPECT_NE(help.out.find("see docs/formats.md"), std::string::npos) << name << ": " << help.out;
  }
}

}  // namespace
