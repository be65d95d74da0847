// costcover: the command-line program. It only finds the subcommand, hands it its
// arguments, and maps failures to exit codes: 0 success, 1 failure, 2 usage error.
// Every failure is one line on stderr (a usage error: `costcover CMD: MESSAGE` and the
// hint `see costcover help CMD`); only an input with several findings prints each.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/errors.hpp"

namespace {

namespace cli = costcover::cli;

constexpr const char* kOverview = R"(costcover: billing for a zero-profit shared services centre

Usage: costcover [--db CONNINFO] COMMAND [OPTIONS]
       costcover COMMAND --help   (or: costcover help COMMAND)

The database is --db, else $COSTCOVER_DATABASE_URL (libpq key=value or postgresql:// URI),
else a private PostgreSQL under the var/ folder of the tree the program runs from, created
and started on demand (docs/operations.md).

Exit status: 0 success, 1 failure, 2 usage error.
)";

// The commands in the order of the work (docs/operations.md), in sections. Every
// registered command must be in exactly one section: `costcover --help` stops with an
// invariant error otherwise (tests/integration/skeleton/help_test.cpp). A name not
// registered (yet) is skipped.
struct Section {
  const char* title;
  std::vector<const char*> commands;
};

const std::vector<Section>& work_order() {
  static const std::vector<Section> kSections{
      {"Set-up (once, and when the contracts change)", {"db migrate", "contracts check", "contracts load", "generate"}},
      {"Nightly", {"ingest", "nightly"}},
      {"Monthly", {"bill", "rejects list", "rejects resolve", "finalize", "credit", "export"}},
      {"Yearly (costs import --budget before the year, the ledger after it)",
       {"costs import", "prices propose", "settle"}},
      {"Inspection", {"status", "db url"}},
  };
  return kSections;
}

void print_overview(std::ostream& out) {
  const auto& commands = cli::registry();
  std::set<std::string> placed;
  std::string text = kOverview;
  for (const auto& section : work_order()) {
    text += fmt::format("\n{}:\n", section.title);
    for (const char* name : section.commands) {
      if (!placed.insert(name).second) {
        throw costcover::InvariantError(fmt::format("command \"{}\" is twice in the work order of main.cpp", name));
      }
      if (const auto found = commands.find(name); found != commands.end()) {
        text += fmt::format("  {:<20} {}\n", name, found->second.summary);
      }
    }
  }
  text += fmt::format("  {:<20} {}\n", "help COMMAND", "this overview, or the usage of COMMAND (or of a group)");
  for (const auto& [name, command] : commands) {
    if (placed.count(name) == 0) {
      throw costcover::InvariantError(
          fmt::format("command \"{}\" is in no section of the work order in src/cli/main.cpp", name));
    }
  }
  out << text;
}

// Takes the global option --db (it may come anywhere) out of args.
void take_db_option(std::vector<std::string>& args, cli::Context& context) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--db") {
      if (i + 1 >= args.size()) throw costcover::UsageError("--db needs a value");
      context.db.url = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      return;
    }
    if (args[i].rfind("--db=", 0) == 0) {
      context.db.url = args[i].substr(5);
      args.erase(args.begin() + static_cast<long>(i));
      return;
    }
  }
}

// The first words of two-word commands ("contracts", "costs", "db", ...).
std::set<std::string> groups() {
  std::set<std::string> out;
  for (const auto& [name, command] : cli::registry()) {
    if (const auto space = name.find(' '); space != std::string::npos) out.insert(name.substr(0, space));
  }
  return out;
}

bool is_group(const std::string& word) { return groups().count(word) != 0; }

// The command the first one or two words name ("prices propose" before "prices"), and how
// many words its name took; nullptr when none.
const cli::Command* find_command(const std::vector<std::string>& words, std::size_t& consumed) {
  const auto& commands = cli::registry();
  if (words.size() >= 2) {
    if (auto found = commands.find(words[0] + " " + words[1]); found != commands.end()) {
      consumed = 2;
      return &found->second;
    }
  }
  if (!words.empty()) {
    if (auto found = commands.find(words[0]); found != commands.end()) {
      consumed = 1;
      return &found->second;
    }
  }
  return nullptr;
}

// The subcommands of a group with their summaries.
std::string group_listing(const std::string& group) {
  std::string text = fmt::format("The {} commands:\n", group);
  for (const auto& [name, command] : cli::registry()) {
    if (name.rfind(group + " ", 0) == 0) text += fmt::format("  {:<20} {}\n", name, command.summary);
  }
  return text + fmt::format("See costcover help {} COMMAND for one of them.\n", group);
}

// The command the user most likely meant by words that name none, or "".
std::string suggestion(const std::vector<std::string>& words) {
  std::vector<std::string> firsts;  // one-word commands and groups
  for (const auto& [name, command] : cli::registry()) {
    const std::string first = name.substr(0, name.find(' '));
    if (firsts.empty() || firsts.back() != first) firsts.push_back(first);
  }
  std::string first = is_group(words[0]) ? words[0] : cli::nearest(words[0], firsts).value_or("");
  if (first.empty() || !is_group(first)) return first;
  if (words.size() < 2) return first;
  std::vector<std::string> members;
  for (const auto& [name, command] : cli::registry()) {
    if (name.rfind(first + " ", 0) == 0) members.push_back(name.substr(first.size() + 1));
  }
  const auto member = cli::nearest(words[1], members);
  return member ? first + " " + *member : first;
}

int unknown_command(const std::vector<std::string>& words) {
  const std::string given = words[0] + (words.size() >= 2 && is_group(words[0]) ? " " + words[1] : "");
  const std::string near = suggestion(words);
  if (near.empty()) {
    std::cerr << fmt::format("costcover: unknown command \"{}\"; see costcover --help\n", given);
  } else if (near == words[0]) {  // a group, and none of its commands is near the second word
    std::cerr << fmt::format("costcover: unknown command \"{}\"; see costcover help {}\n", given, near);
  } else {
    std::cerr << fmt::format("costcover: unknown command \"{}\"; did you mean \"{}\"?\n", given, near);
  }
  return 2;
}

void print_usage(const cli::Command& command) {
  std::cout << command.usage;
  if (!command.usage.empty() && command.usage.back() != '\n') std::cout << '\n';
}

// `costcover help [COMMAND]`: the overview, the command's usage, or a group's commands.
int help(const std::vector<std::string>& words) {
  if (words.empty()) {
    print_overview(std::cout);
    return 0;
  }
  std::size_t consumed = 0;
  const auto* command = find_command(words, consumed);
  if (command != nullptr && consumed == words.size()) {
    print_usage(*command);
    return 0;
  }
  if (command == nullptr && words.size() == 1 && is_group(words[0])) {
    std::cout << group_listing(words[0]);
    return 0;
  }
  if (command != nullptr) {
    std::cerr << fmt::format("costcover help: unexpected \"{}\" after \"{}\"\n", words[consumed], command->name);
    return 2;
  }
  return unknown_command(words);
}

// A usage error of a command: one line, and the hint where its usage is.
int usage_error(const cli::Command& command, const std::string& message) {
  std::cerr << fmt::format("costcover {}: {}\nsee costcover help {}\n", command.name, message, command.name);
  return 2;
}

// Finds the command and runs it. A usage error names an unknown option first (it is the
// likely cause of a "missing" one: --perod for --period).
int run_command(const std::vector<std::string>& args, cli::Context& context) {
  std::size_t consumed = 0;
  const auto* command = find_command(args, consumed);
  if (command == nullptr) {
    const bool help_asked = args.size() == 2 && (args[1] == "--help" || args[1] == "-h");
    if (is_group(args[0]) && (args.size() == 1 || help_asked)) {
      // A bare group is an incomplete command (exit 2, like git); asking for its help is not.
      (help_asked ? std::cout : std::cerr) << group_listing(args[0]);
      return help_asked ? 0 : 2;
    }
    return unknown_command(args);
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(consumed), args.end());
  for (const auto& arg : rest) {
    if (arg == "--help" || arg == "-h") {
      print_usage(*command);
      return 0;
    }
  }
  cli::Args parsed(rest, command->usage);
  try {
    return command->run(context, parsed);
  } catch (const costcover::UsageError& error) {
    return usage_error(*command, parsed.unknown_option().value_or(error.what()));
  }
}

// An input error: a single finding is the one line; several are printed each, then a count.
void print_input_error(const costcover::InputError& error) {
  const auto& findings = error.findings();
  if (findings.size() <= 1) {
    std::cerr << "costcover: error: " << (findings.empty() ? error.what() : findings.front().to_string()) << '\n';
    return;
  }
  for (const auto& finding : findings) std::cerr << finding.to_string() << '\n';
  std::cerr << fmt::format("costcover: error: {} problems in the input (listed above)\n", findings.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  cli::Context context;
  context.terminal = isatty(STDERR_FILENO) == 1;
  try {
    take_db_option(args, context);
    if (args.empty()) {
      print_overview(std::cout);
      return 2;
    }
    if (args[0] == "--help" || args[0] == "-h") return help({});
    if (args[0] == "help") return help(std::vector<std::string>(args.begin() + 1, args.end()));
    if (args[0] == "--version") {
      std::cout << "costcover 0.1.0\n";
      return 0;
    }
    if (args[0].size() > 1 && args[0][0] == '-') {
      throw costcover::UsageError("unknown option " + args[0] + " before the command; see costcover --help");
    }
    return run_command(args, context);
  } catch (const costcover::UsageError& error) {
    std::cerr << "costcover: " << error.what() << "\n";
    return 2;
  } catch (const costcover::InputError& error) {
    print_input_error(error);
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "costcover: error: " << error.what() << '\n';
    return 1;
  }
}
