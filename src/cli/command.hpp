// The command-line framework: each subcommand lives in its own cmd_*.cpp and registers
// itself with COSTCOVER_COMMAND; main.cpp only dispatches. Options are parsed by Args,
// which knows the options the command's usage text names: an option given that the usage
// does not name is refused (with the nearest one it names), and a command that reads an
// option its usage does not name is a bug, stopped loudly.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace costcover::cli {

// Every "--name" a usage text mentions, and --help (-h is handled before the command runs).
[[nodiscard]] std::set<std::string> options_named_in(const std::string& usage);

// The nearest of the candidates to a mistyped word: an edit distance (insertions,
// deletions, substitutions, swaps of neighbours) of at most 2, or the one candidate the
// word begins; nullopt when none is near.
[[nodiscard]] std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates);

// The arguments after the command's name. Unknown options are usage errors (exit 2).
class Args {
 public:
  Args(std::vector<std::string> raw, std::string usage);
  // "--period 2027-01" or "--period=2027-01". Throws UsageError if given without a value.
  std::optional<std::string> option(const std::string& name);
  std::string required(const std::string& name);  // UsageError when missing
  // Every value of an option given several times ("--line 1 --line 2"), in order.
  std::vector<std::string> repeated(const std::string& name);
  bool flag(const std::string& name);
  // Call last: the remaining positional arguments; throws UsageError on a leftover option.
  std::vector<std::string> positionals(std::size_t min, std::size_t max);
  [[nodiscard]] const std::string& usage() const { return usage_; }
  // The first argument not yet taken that looks like an option the usage does not name,
  // as a usage message ("unknown option --perod; did you mean --period?"); nullopt if none.
  [[nodiscard]] std::optional<std::string> unknown_option() const;

 private:
  void check_named(const std::string& name) const;  // InvariantError: the usage does not name it
  std::vector<std::string> raw_;
  std::vector<bool> used_;
  std::string usage_;
  std::set<std::string> known_;
};

struct Context {
  db::ConnectionOptions db;  // from --db / COSTCOVER_DATABASE_URL / private cluster
  bool terminal = false;     // stderr is a terminal: show progress
};

struct Command {
  std::string name;                         // "contracts check", "ingest"
  std::string summary;                      // one line for `costcover --help`
  std::string usage;                        // full help text for `costcover NAME --help`
  std::function<int(Context&, Args&)> run;  // returns the exit status
};

std::map<std::string, Command>& registry();

struct Registrar {
  explicit Registrar(Command command);
};

}  // namespace costcover::cli

#define COSTCOVER_CONCAT_(a, b) a##b
#define COSTCOVER_CONCAT(a, b) COSTCOVER_CONCAT_(a, b)
#define COSTCOVER_COMMAND(...)                                                      \
  static const ::costcover::cli::Registrar COSTCOVER_CONCAT(registrar_, __LINE__) { \
    ::costcover::cli::Command { __VA_ARGS__ }                                       \
  }
