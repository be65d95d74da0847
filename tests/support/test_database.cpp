#include "test_database.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "db/connection.hpp"

namespace costcover::testing {
namespace {

std::string capture(const std::string& command, int& status) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) out += buffer.data();
  status = pclose(pipe.release());
  return out;
}

// The cluster of this process when ops/test.sh did not provide one.
struct OwnCluster {
  std::string dir;
  std::string admin;
  OwnCluster() {
    char templ[] = "/tmp/cctest.XXXXXX";
    if (mkdtemp(templ) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = templ;
    int status = 0;
    auto out = capture("'" + source_dir() + "/ops/pg.sh' temp-start '" + dir + "'", status);
    if (status != 0) throw std::runtime_error("could not start a test cluster: " + out);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    admin = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  }
  ~OwnCluster() {
    int status = 0;
    capture("'" + source_dir() + "/ops/pg.sh' temp-stop '" + dir + "' 2>&1", status);
  }
};

}  // namespace

std::string admin_connection_string() {
  if (const char* env = std::getenv("COSTCOVER_TEST_ADMIN_URL"); env != nullptr && *env != '\0') return env;
  static OwnCluster cluster;
  return cluster.admin;
}

std::string program_role() { return "costcover"; }  // app_role in ops/pg.sh

std::string with_keyword(const std::string& info, const std::string& key, const std::string& value) {
  const std::regex keyword("(^|\\s)" + key + "=\\S+");
  if (std::regex_search(info, keyword)) return std::regex_replace(info, keyword, "$1" + key + "=" + value);
  return info + " " + key + "=" + value;
}

namespace {

std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? std::string(info->test_suite_name()) + "_" + info->name() : "test";
  std::string out = "t_";
  for (char c : name)
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0 ? static_cast<char>(std::tolower(c)) : '_');
  static std::atomic<int> counter{0};
  out = out.substr(0, 40) + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  return out;
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string templ = "/tmp/" + prefix + ".XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + templ);
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path.string();
}

std::filesystem::path contracts_with_agreement(const std::filesystem::path& dir, const std::string& name,
                                               const std::string& agreement) {
  namespace fs = std::filesystem;
  const fs::path samples = fs::path(source_dir()) / "contracts";
  const fs::path contracts = dir / "contracts";
  fs::create_directories(contracts / "agreements");
  for (const char* file : {"catalog.yaml", "agencies.yaml"}) fs::copy(samples / file, contracts / file);
  fs::copy(samples / "prices", contracts / "prices", fs::copy_options::recursive);
  write_file(contracts / "agreements" / name, agreement);
  return contracts;
}

std::string source_dir() { return COSTCOVER_SOURCE_DIR; }
std::string costcover_binary() { return std::string(COSTCOVER_BINARY_DIR) + "/src/cli/costcover"; }

TestDatabase::TestDatabase() : name_(test_name()) {
  const auto admin = admin_connection_string();
  {
    auto admin_session = db::connect(admin);
    *admin_session << "CREATE DATABASE " + name_ + " OWNER " + program_role() + " TEMPLATE template0";
  }
  // The test, its migrations and the program it runs connect as the program's role, which
  // is no superuser: the whole suite shows that costcover needs no more than owning its database.
  connection_string_ = with_keyword(with_keyword(admin, "dbname", name_), "user", program_role());
  session_ = db::connect(connection_string_);
  db::migrate(*session_, source_dir() + "/sql");
}

TestDatabase::~TestDatabase() {
  try {
    session_.reset();
    auto admin_session = db::connect(admin_connection_string());
    *admin_session << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
  } catch (const std::exception& error) {
    std::fprintf(stderr, "warning: could not drop test database %s: %s\n", name_.c_str(), error.what());
  }
}

RunResult run_costcover(const std::string& connection_string, const std::string& arguments) {
  char err_path[] = "/tmp/ccerr.XXXXXX";
  const int fd = mkstemp(err_path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  RunResult result;
  int status = 0;
  result.out = capture("COSTCOVER_DATABASE_URL='" + connection_string + "' '" + costcover_binary() + "' " + arguments +
                           " 2>'" + err_path + "'",
                       status);
  std::ifstream err(err_path);
  std::stringstream text;
  text << err.rdbuf();
  result.err = text.str();
  std::remove(err_path);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace costcover::testing
