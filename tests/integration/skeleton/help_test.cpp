// The program's command line as a user meets it (issue 14, item 7): `costcover --help`
// lists the commands in the order of the work; `costcover help COMMAND` (one and two
// words) and `costcover COMMAND --help` print the same usage with exit status 0; a bare
// group lists its commands; an unknown command or option is a usage error (2) naming the
// nearest known one; every usage error is one line and a hint, never the whole usage; an
// unknown --agency is a usage error too. Only the --agency tests need a database.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_database.hpp"

namespace {

namespace fs = std::filesystem;
using costcover::testing::run_costcover;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The command names the overview lists: lines "  NAME   summary" (two spaces before the
// summary), with the help line left out.
std::vector<std::string> listed_commands(const std::string& overview) {
  static const std::regex kLine(R"(^  ([a-z][a-z-]*(?: [a-z][a-z-]*)?)  +\S.*$)");
  std::vector<std::string> names;
  for (const auto& line : lines_of(overview)) {
    std::smatch m;
    if (std::regex_match(line, m, kLine)) names.push_back(m[1].str());
  }
  return names;
}

// A usage error is exactly `costcover CMD: MESSAGE` and `see costcover help CMD`.
void expect_usage_error(const costcover::testing::RunResult& result, const std::string& command,
                        const std::string& message) {
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_EQ(result.err, "costcover " + command + ": " + message + "\nsee costcover help " + command + "\n");
  EXPECT_EQ(result.out, "");
}

TEST(Help, OverviewListsEveryCommandOnceInTheOrderOfTheWork) {
  const auto overview = run_costcover("", "--help");
  ASSERT_EQ(overview.status, 0) << overview.err;  // a command in no section (or in two) stops it
  EXPECT_EQ(run_costcover("", "help").out, overview.out);
  const auto names = listed_commands(overview.out);
  const std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size()) << overview.out;
  for (const char* name : {"db migrate", "contracts check", "contracts load", "generate", "ingest", "nightly", "bill",
                           "finalize", "credit", "export", "costs import", "prices propose", "settle", "db url"}) {
    EXPECT_EQ(unique.count(name), 1U) << name << "\n" << overview.out;
  }
  EXPECT_NE(overview.out.find("help COMMAND"), std::string::npos);
  // Sections in the order of the work, and commands in the order of their section.
  std::vector<std::size_t> at;
  for (const char* heading : {"\nSet-up", "\nNightly:", "\nMonthly:", "\nYearly", "\nInspection:"}) {
    at.push_back(overview.out.find(heading));
    EXPECT_NE(at.back(), std::string::npos) << heading;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << overview.out;
  const auto position = [&](const std::string& name) { return std::find(names.begin(), names.end(), name); };
  EXPECT_LT(position("db migrate"), position("contracts load"));
  EXPECT_LT(position("contracts load"), position("ingest"));
  EXPECT_LT(position("nightly"), position("bill"));
  EXPECT_LT(position("bill"), position("finalize"));
  EXPECT_LT(position("finalize"), position("export"));
  EXPECT_LT(position("export"), position("settle"));
  EXPECT_LT(position("settle"), position("db url"));
}

TEST(Help, HelpCommandPrintsTheCommandsUsage) {
  for (const char* name : {"settle", "prices propose", "bill", "contracts load", "db migrate"}) {
    const auto by_word = run_costcover("", std::string("help ") + name);
    const auto by_option = run_costcover("", std::string(name) + " --help");
    const auto with_db = run_costcover("", std::string("--db postgresql://nowhere/x help ") + name);
    EXPECT_EQ(by_word.status, 0) << name;
    EXPECT_EQ(by_word.out.rfind(std::string("Usage: costcover ") + name, 0), 0U) << name << ": " << by_word.out;
    EXPECT_EQ(by_word.out, by_option.out) << name;
    EXPECT_EQ(by_word.out, with_db.out) << name;
  }
  const auto trailing = run_costcover("", "help bill extra");
  EXPECT_EQ(trailing.status, 2);
  EXPECT_EQ(trailing.err, "costcover help: unexpected \"extra\" after \"bill\"\n");
}

TEST(Help, UnknownCommandNamesTheNearestOne) {
  const auto typo = run_costcover("", "bil --period 2026-11");
  EXPECT_EQ(typo.status, 2);
  EXPECT_EQ(typo.err, "costcover: unknown command \"bil\"; did you mean \"bill\"?\n");
  const auto two_words = run_costcover("", "contracts lod");
  EXPECT_EQ(two_words.status, 2);
  EXPECT_EQ(two_words.err, "costcover: unknown command \"contracts lod\"; did you mean \"contracts load\"?\n");
  EXPECT_EQ(run_costcover("", "contracts frobnicate").err,
            "costcover: unknown command \"contracts frobnicate\"; see costcover help contracts\n");
  const auto group_typo = run_costcover("", "contract load");
  EXPECT_EQ(group_typo.err, "costcover: unknown command \"contract\"; did you mean \"contracts load\"?\n");
  EXPECT_EQ(run_costcover("", "finalise").err, "costcover: unknown command \"finalise\"; did you mean \"finalize\"?\n");
  const auto far = run_costcover("", "no-such-command");
  EXPECT_EQ(far.status, 2);
  EXPECT_EQ(far.err, "costcover: unknown command \"no-such-command\"; see costcover --help\n");
  const auto by_help = run_costcover("", "help no-such-command");
  EXPECT_EQ(by_help.status, 2);
  EXPECT_EQ(by_help.err, far.err);
}

TEST(Help, ABareGroupListsItsCommands) {
  const std::map<std::string, std::vector<std::string>> groups{
      {"contracts", {"contracts check", "contracts load"}},
      {"costs", {"costs import"}},
      {"prices", {"prices propose"}},
      {"db", {"db migrate", "db url"}},
  };
  for (const auto& [group, members] : groups) {
    const auto bare = run_costcover("", group);
    const auto asked = run_costcover("", "help " + group);
    EXPECT_EQ(bare.status, 2) << group;  // an incomplete command, as in git
    EXPECT_EQ(bare.out, "");
    EXPECT_EQ(asked.status, 0) << group;
    EXPECT_EQ(asked.out, bare.err) << group;
    EXPECT_EQ(run_costcover("", group + " --help").out, asked.out) << group;
    const auto listed = listed_commands(asked.out);
    for (const auto& member : members) {
      EXPECT_NE(std::find(listed.begin(), listed.end(), member), listed.end()) << member << ":\n" << asked.out;
    }
    for (const auto& name : listed) EXPECT_EQ(name.rfind(group + " ", 0), 0U) << name;  // only the group's
  }
}

TEST(Help, AnUnknownOptionIsNamedBeforeAMissingOne) {
  expect_usage_error(run_costcover("", "bill --perod 2026-11"), "bill",
                     "unknown option --perod; did you mean --period?");
  expect_usage_error(run_costcover("", "bill --perod=2026-11"), "bill",
                     "unknown option --perod; did you mean --period?");
  expect_usage_error(run_costcover("", "bill --period 2026-11 --dryrun"), "bill",
                     "unknown option --dryrun; did you mean --dry-run?");
  expect_usage_error(run_costcover("", "export --period 2026-10 --fromat csv --out /tmp/x"), "export",
                     "unknown option --fromat; did you mean --format?");
  expect_usage_error(run_costcover("", "contracts check --strict"), "contracts check", "unknown option --strict");
  expect_usage_error(run_costcover("", "nightly --dat 2026-11-02"), "nightly",
                     "unknown option --dat; did you mean --date?");
  // Without a typo the missing option is named.
  expect_usage_error(run_costcover("", "bill"), "bill", "missing --period");
}

TEST(Help, AUsageErrorIsOneLineAndAHint) {
  expect_usage_error(run_costcover("", "bill --period 2026-13"), "bill", "--period \"2026-13\" is not a month YYYY-MM");
  expect_usage_error(run_costcover("", "bill --period 2026-11 --agency bad!"), "bill",
                     "--agency \"bad!\" is not an agency id [A-Z0-9]+");
  expect_usage_error(run_costcover("", "settle --year 1999"), "settle",
                     "--year expects a year YYYY from 2000 to 2099, got \"1999\"");
  expect_usage_error(run_costcover("", "contracts check a b"), "contracts check", "unexpected argument b");
  const auto no_db_value = run_costcover("", "bill --db");
  EXPECT_EQ(no_db_value.status, 2);
  EXPECT_EQ(no_db_value.err, "costcover: --db needs a value\n");
}

TEST(Help, AFailureIsPrintedOnce) {
  // An input error of one message (a file that is not there) is one line, not the message
  // as a finding and again as the summary.
  costcover::testing::TestDatabase db;
  for (const char* arguments :
       {"ingest --source finance /nonexistent-costcover.csv", "costs import --year 2026 /nonexistent-costcover.csv"}) {
    const auto missing = run_costcover(db.connection_string(), arguments);
    EXPECT_EQ(missing.status, 1) << arguments;
    EXPECT_EQ(missing.err, "costcover: error: /nonexistent-costcover.csv: cannot open: No such file or directory\n")
        << arguments;
  }
  const auto no_invoice = run_costcover(db.connection_string(), "credit --invoice 2026-999999 --reason x");
  EXPECT_EQ(no_invoice.status, 1);
  EXPECT_EQ(lines_of(no_invoice.err).size(), 1U) << no_invoice.err;
}

// Every option a command reads is named in its usage text (else the unknown-option check
// would refuse it, and Args stops such a command with an invariant error): each "--name"
// that a cmd_*.cpp reads (Args::option/required/flag or an options.hpp helper, with their
// default names) appears in `costcover help CMD` of a command that file registers.
TEST(Help, EveryOptionACommandReadsIsInItsUsage) {
  static const std::regex kRegistered(R"re(COSTCOVER_COMMAND\(\s*"([a-z][a-z ]*)")re");
  static const std::regex kRead(
      R"re((?:option|required|flag|month_option|year_option|agency_option|date_option)\(\s*(?:args,\s*)?"(--[a-z0-9-]+)")re");
  static const std::map<std::string, std::string> kDefaults{
      {"month_option(args)", "--period"}, {"year_option(args)", "--year"}, {"agency_option(args)", "--agency"}};
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(costcover::testing::source_dir()) / "src" / "cli")) {
    const auto name = entry.path().filename().string();
    if (name.rfind("cmd_", 0) != 0 || entry.path().extension() != ".cpp") continue;
    ++files;
    const std::string text = costcover::testing::read_file(entry.path());
    std::string usages;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRegistered); it != std::sregex_iterator(); ++it) {
      const auto help = run_costcover("", "help " + (*it)[1].str());
      EXPECT_EQ(help.status, 0) << name << ": " << (*it)[1].str();
      usages += help.out;
    }
    ASSERT_FALSE(usages.empty()) << name << " registers no command";
    std::set<std::string> read;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRead); it != std::sregex_iterator(); ++it) {
      read.insert((*it)[1].str());
    }
    for (const auto& [call, option] : kDefaults) {
      if (text.find(call) != std::string::npos) read.insert(option);
    }
    static const std::regex kNamed("--[a-z][a-z0-9-]*");
    std::set<std::string> named;
    for (auto it = std::sregex_iterator(usages.begin(), usages.end(), kNamed); it != std::sregex_iterator(); ++it) {
      named.insert(it->str());
    }
    for (const auto& option : read) EXPECT_EQ(named.count(option), 1U) << name << " reads " << option;
  }
  EXPECT_GE(files, 10U);
}

// An --agency the database does not hold is a usage error, in every command taking one.
TEST(Help, AnUnknownAgencyIsAUsageError) {
  costcover::testing::TestDatabase db;
  const std::string contracts = (fs::path(costcover::testing::source_dir()) / "contracts").string();
  ASSERT_EQ(run_costcover(db.connection_string(), "contracts load " + contracts).status, 0);
  for (const char* command : {"bill", "finalize"}) {
    const auto near = run_costcover(db.connection_string(), std::string(command) + " --period 2026-10 --agency KTM");
    expect_usage_error(near, command, "--agency: unknown agency \"KTM\"; did you mean \"KTL\"?");
    const auto far = run_costcover(db.connection_string(), std::string(command) + " --period 2026-10 --agency NOPE");
    EXPECT_EQ(far.status, 2) << far.err;
    EXPECT_EQ(far.err.rfind(std::string("costcover ") + command + ": --agency: unknown agency \"NOPE\"; ", 0), 0U)
        << far.err;
    EXPECT_EQ(lines_of(far.err).size(), 2U) << far.err;
  }
  const auto known = run_costcover(db.connection_string(), "bill --period 2026-10 --agency KTL --dry-run");
  EXPECT_EQ(known.status, 0) << known.err;
}

}  // namespace
