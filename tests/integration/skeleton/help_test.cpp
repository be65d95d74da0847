// The program's help as a user asks for it: `costcover --help`, `costcover help`,
// `costcover help COMMAND` (one and two words) and `costcover COMMAND --help` print the
// same texts with exit status 0; an unknown command is a usage error (2). No database.
#include <gtest/gtest.h>

#include <string>

#include "test_database.hpp"

namespace {

using costcover::testing::run_costcover;

TEST(Help, OverviewListsEveryCommand) {
  const auto overview = run_costcover("", "--help");
  EXPECT_EQ(overview.status, 0);
  for (const char* name : {"bill", "finalize", "credit", "settle", "prices propose", "costs import", "help COMMAND"}) {
    EXPECT_NE(overview.out.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(run_costcover("", "help").out, overview.out);
}

TEST(Help, HelpCommandPrintsTheCommandsUsage) {
  for (const char* name : {"settle", "prices propose", "bill"}) {
    const auto by_word = run_costcover("", std::string("help ") + name);
    const auto by_option = run_costcover("", std::string(name) + " --help");
    EXPECT_EQ(by_word.status, 0) << name;
    EXPECT_EQ(by_word.out.rfind(std::string("Usage: costcover ") + name, 0), 0U) << name << ": " << by_word.out;
    EXPECT_EQ(by_word.out, by_option.out) << name;
  }
}

TEST(Help, UnknownCommandIsAUsageError) {
  const auto unknown = run_costcover("", "help no-such-command");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command \"no-such-command\""), std::string::npos) << unknown.err;
  EXPECT_EQ(run_costcover("", "no-such-command").status, 2);
}

}  // namespace
