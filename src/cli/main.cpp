// costcover: the command-line program. It only finds the subcommand, hands it its
// arguments, and maps failures to exit codes: 0 success, 1 failure, 2 usage error.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/errors.hpp"

namespace {

constexpr const char* kOverview = R"(costcover: billing for a zero-profit shared services centre

Usage: costcover [--db CONNINFO] COMMAND [OPTIONS]
       costcover COMMAND --help   (or: costcover help COMMAND)

The database is --db, else $COSTCOVER_DATABASE_URL (libpq key=value or postgresql:// URI),
else a private PostgreSQL under the project's var/ folder, created and started on demand.

Exit status: 0 success, 1 failure, 2 usage error.

Commands:
)";

void print_overview(std::ostream& out) {
  out << kOverview;
  for (const auto& [name, command] : costcover::cli::registry()) {
    out << fmt::format("  {:<20} {}\n", name, command.summary);
  }
}

// Takes the global option --db (it may come anywhere) out of args.
void take_db_option(std::vector<std::string>& args, costcover::cli::Context& context) {
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

// The command the first one or two words name ("prices propose" before "prices"), and how
// many words its name took; nullptr when none.
const costcover::cli::Command* find_command(const std::vector<std::string>& words, std::size_t& consumed) {
  const auto& commands = costcover::cli::registry();
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

int unknown_command(const std::vector<std::string>& words) {
  std::cerr << "costcover: unknown command \"" << words[0] << (words.size() >= 2 ? " " + words[1] : "")
            << "\"; see costcover --help\n";
  return 2;
}

void print_usage(const costcover::cli::Command& command) {
  std::cout << command.usage;
  if (!command.usage.empty() && command.usage.back() != '\n') std::cout << '\n';
}

// `costcover help [COMMAND]`: the overview, or the command's usage.
int help(const std::vector<std::string>& words) {
  if (words.empty()) {
    print_overview(std::cout);
    return 0;
  }
  std::size_t consumed = 0;
  const auto* command = find_command(words, consumed);
  if (command == nullptr) return unknown_command(words);
  print_usage(*command);
  return 0;
}

// Finds the command and runs it; a usage error of the command shows its usage.
int run_command(const std::vector<std::string>& args, costcover::cli::Context& context) {
  std::size_t consumed = 0;
  const auto* command = find_command(args, consumed);
  if (command == nullptr) return unknown_command(args);
  std::vector<std::string> rest(args.begin() + static_cast<long>(consumed), args.end());
  for (const auto& arg : rest) {
    if (arg == "--help" || arg == "-h") {
      print_usage(*command);
      return 0;
    }
  }
  costcover::cli::Args parsed(rest, command->usage);
  try {
    return command->run(context, parsed);
  } catch (const costcover::UsageError& error) {
    std::cerr << "costcover " << command->name << ": " << error.what() << "\n\n" << command->usage;
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  costcover::cli::Context context;
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
    return run_command(args, context);
  } catch (const costcover::UsageError& error) {
    std::cerr << "costcover: " << error.what() << "\n";
    return 2;
  } catch (const costcover::InputError& error) {
    for (const auto& finding : error.findings()) std::cerr << finding.to_string() << '\n';
    std::cerr << "costcover: error: " << error.what() << '\n';
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "costcover: error: " << error.what() << '\n';
    return 1;
  }
}
