// The three kinds of failure and how they travel. Input errors are collected with their
// location and reported together (a bad row never stops the good ones); transient errors
// are retried a bounded number of times; broken invariants stop the job.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace costcover {

// A place in an input file; line and column are 1-based, 0 when unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  [[nodiscard]] std::string to_string() const;  // "file:line:column", shorter if unknown
};

// One problem with an input, as shown to the person who wrote it.
struct Finding {
  Location where;
  std::string message;
  std::string rule = {};  // the stable id of the rule that made it, if the maker names one (contracts/rules.hpp)
  [[nodiscard]] std::string to_string() const;  // "file:line:column: message"
};

// Invalid input: the job cannot go on with it. Carries every finding.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Finding> findings);
  explicit InputError(const std::string& message);
  [[nodiscard]] const std::vector<Finding>& findings() const { return findings_; }

 private:
  std::vector<Finding> findings_;
};

// A command line the program does not understand (exit status 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Something that must always hold did not: stop loudly.
class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace costcover
