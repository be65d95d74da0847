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
       costcover COMMAND --help

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

}  // namespace

int main(int argc, char** argv) {
  using costcover::cli::registry;
  std::vector<std::string> args(argv + 1, argv + argc);
  costcover::cli::Context context;
  context.terminal = isatty(STDERR_FILENO) == 1;
  try {
    // The global option --db may come anywhere.
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--db") {
        if (i + 1 >= args.size()) throw costcover::UsageError("--db needs a value");
        context.db.url = args[i + 1];
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
        break;
      }
      if (args[i].rfind("--db=", 0) == 0) {
        context.db.url = args[i].substr(5);
        args.erase(args.begin() + static_cast<long>(i));
        break;
      }
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      print_overview(std::cout);
      return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
      std::cout << "costcover 0.1.0\n";
      return 0;
    }
    auto found = registry().end();
    std::size_t consumed = 0;
    if (args.size() >= 2) {
      found = registry().find(args[0] + " " + args[1]);
      consumed = 2;
    }
    if (found == registry().end()) {
      found = registry().find(args[0]);
      consumed = 1;
    }
    if (found == registry().end()) {
      std::cerr << "costcover: unknown command \"" << args[0] << (args.size() >= 2 ? " " + args[1] : "")
                << "\"; see costcover --help\n";
      return 2;
    }
    const auto& command = found->second;
    std::vector<std::string> rest(args.begin() + static_cast<long>(consumed), args.end());
    for (const auto& arg : rest) {
      if (arg == "--help" || arg == "-h") {
        std::cout << command.usage;
        if (!command.usage.empty() && command.usage.back() != '\n') std::cout << '\n';
        return 0;
      }
    }
    costcover::cli::Args parsed(rest, command.usage);
    try {
      return command.run(context, parsed);
    } catch (const costcover::UsageError& error) {
      std::cerr << "costcover " << command.name << ": " << error.what() << "\n\n" << command.usage;
      return 2;
    }
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
