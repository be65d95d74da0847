// A fresh, migrated PostgreSQL database for one test, dropped afterwards. The server is
// the throwaway cluster that ops/test.sh starts ($COSTCOVER_TEST_ADMIN_URL, its admin
// role's connection string to its `postgres` database); run on its own, a test starts a
// cluster of its own through ops/pg.sh temp-start and stops it when the process ends.
// The admin role creates each database OWNER the program's role (program_role()); the test
// then connects as that role, which is not a superuser, as the program does.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <soci/soci.h>

namespace costcover::testing {

class TestDatabase {
 public:
  TestDatabase();  // creates and migrates a database named after the running test
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const std::string& connection_string() const { return connection_string_; }
  [[nodiscard]] soci::session& session() { return *session_; }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string connection_string_;
  std::unique_ptr<soci::session> session_;
};

// The admin (superuser) connection string of the tests' cluster, to its `postgres` database.
std::string admin_connection_string();
// The role the program connects as (ops/pg.sh's app_role); it exists in the tests' cluster.
std::string program_role();
// A libpq key=value connection string with KEY set to VALUE (replaced, or appended).
std::string with_keyword(const std::string& info, const std::string& key, const std::string& value);

// Runs the costcover program with arguments against `connection_string`; returns the exit
// status and captures stdout and stderr.
struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};
RunResult run_costcover(const std::string& connection_string, const std::string& arguments);

// A folder under /tmp for one test, deleted with everything in it afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "cctest");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// Writes text to a file (replacing it); returns the path, as a string.
std::string write_file(const std::filesystem::path& path, const std::string& text);

// DIR/contracts with the sample catalog, agencies and price lists and one agreement file,
// agreements/NAME, holding `agreement` (the sample agreements are left out, so a test
// bills only what it wrote); returns DIR/contracts.
std::filesystem::path contracts_with_agreement(const std::filesystem::path& dir, const std::string& name,
                                               const std::string& agreement);

// Paths of the source tree and the built program.
std::string source_dir();
std::string costcover_binary();

}  // namespace costcover::testing
