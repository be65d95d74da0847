// Issue 11, item 4: no other local user gets into the project's PostgreSQL clusters, and the
// program's role is no superuser. These check the tests' own cluster (ops/pg.sh temp-start,
// set up like the private one); private_cluster_test.sh checks ops/pg.sh ensure.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "test_database.hpp"

namespace {

using costcover::testing::admin_connection_string;
using costcover::testing::program_role;
using costcover::testing::read_file;
using costcover::testing::TempDir;
using costcover::testing::TestDatabase;
using costcover::testing::with_keyword;
using costcover::testing::write_file;

// The value of KEY in a connection string of ops/pg.sh (its values have no spaces here).
std::string keyword(const std::string& info, const std::string& key) {
  std::smatch m;
  const std::regex pattern("(^|\\s)" + key + "=(\\S+)");
  return std::regex_search(info, m, pattern) ? m[2].str() : "";
}

std::string without_keyword(const std::string& info, const std::string& key) {
  return std::regex_replace(info, std::regex("(^|\\s)" + key + "=\\S+"), "");
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run run(const std::string& command) {
  const TempDir dir("ccaccess");
  const auto out = dir.path() / "out";
  const auto err = dir.path() / "err";
  const int raw = std::system((command + " >" + shell_quote(out) + " 2>" + shell_quote(err) + " </dev/null").c_str());
  return Run{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(out), read_file(err)};
}

// psql with a connection string, as this process's user or (as root) as OS_USER; never
// prompts, and no password from the environment or ~/.pgpass unless the string names a file.
Run psql(const std::string& info, const std::string& sql, const std::string& os_user = "") {
  const std::string as = os_user.empty() ? "" : "runuser -u " + os_user + " -- ";
  return run(as + "env -u PGPASSWORD -u PGPASSFILE -u PGSERVICE psql -XAtqw " + shell_quote(info) + " -c " +
             shell_quote(sql));
}

std::string one_value(soci::session& session, const std::string& sql) {
  std::string value;
  soci::indicator ind = soci::i_ok;
  session << sql, soci::into(value, ind);
  return ind == soci::i_ok ? value : "";
}

std::string mode_of(const std::string& path, struct stat& st) {
  if (lstat(path.c_str(), &st) != 0) return "missing";
  std::ostringstream out;
  out << std::oct << (st.st_mode & 07777);
  return out.str();
}

TEST(ClusterAccess, ProgramRoleIsNoSuperuser) {
  TestDatabase db;
  auto& s = db.session();
  EXPECT_EQ(one_value(s, "SELECT current_user"), program_role());
  EXPECT_EQ(one_value(s,
                      "SELECT format('%s %s %s %s %s', rolsuper, rolcreaterole, rolcreatedb, rolreplication, "
                      "rolbypassrls) FROM pg_roles WHERE rolname = current_user"),
            "f f f f f");
  EXPECT_EQ(one_value(s,
                      "SELECT format('%s %s %s', pg_has_role(current_user, 'pg_execute_server_program', 'USAGE'), "
                      "pg_has_role(current_user, 'pg_read_server_files', 'USAGE'), "
                      "pg_has_role(current_user, 'pg_write_server_files', 'USAGE'))"),
            "f f f");
  // It owns its database: that is all its migrations needed (they ran as it, in TestDatabase).
  EXPECT_EQ(one_value(s, "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()"),
            program_role());
  try {
    s << "COPY (SELECT 1) TO PROGRAM 'true'";
    ADD_FAILURE() << "COPY ... TO PROGRAM ran for the program's role";
  } catch (const soci::soci_error& error) {
    EXPECT_NE(std::string(error.what()).find("pg_execute_server_program"), std::string::npos) << error.what();
  }
  // The fault report's command, through psql with the program's own string.
  const TempDir dir("ccaccess");
  const auto marker = (dir.path() / "f").string();
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);  // the server's user could write here
  const auto copy = psql(db.connection_string(), "COPY (SELECT 1) TO PROGRAM 'id > " + marker + "'");
  EXPECT_NE(copy.status, 0) << copy.out;
  EXPECT_NE(copy.err.find("pg_execute_server_program"), std::string::npos) << copy.err;
  EXPECT_FALSE(std::filesystem::exists(marker));
  for (const char* sql :
       {"CREATE ROLE cc_intruder", "CREATE DATABASE cc_intruder", "ALTER SYSTEM SET work_mem = '1GB'"}) {
    const auto refused = psql(db.connection_string(), sql);
    EXPECT_NE(refused.status, 0) << sql << " ran for the program's role";
    EXPECT_TRUE(refused.err.find("permission denied") != std::string::npos ||
                refused.err.find("must be superuser") != std::string::npos)
        << sql << ": " << refused.err;
  }
}

TEST(ClusterAccess, UnixSocketOnlyInAPrivateFolderWithPasswords) {
  const auto admin = admin_connection_string();
  const auto host = keyword(admin, "host");
  const auto passfile = keyword(admin, "passfile");
  ASSERT_EQ(host.rfind('/', 0), 0U) << "no Unix socket folder (host=/...) in " << admin;
  ASSERT_FALSE(passfile.empty()) << "no passfile= in " << admin;
  struct stat st {};
  EXPECT_EQ(mode_of(host, st), "700") << host << ": the socket's folder must be entered by the server's user only";
  EXPECT_TRUE(S_ISDIR(st.st_mode)) << host;
  EXPECT_EQ(mode_of(passfile, st), "600") << passfile;
  EXPECT_TRUE(S_ISREG(st.st_mode)) << passfile;
  EXPECT_EQ(st.st_uid, geteuid()) << passfile << " is not owned by the user who runs the tests";

  auto admin_session = costcover::db::connect(admin);
  const auto hba_file = one_value(*admin_session, "SHOW hba_file");
  const auto hba = read_file(hba_file);
  ASSERT_FALSE(hba.empty()) << "cannot read " << hba_file;
  std::istringstream lines(hba);
  std::string line;
  int rules = 0;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::vector<std::string> words;
    for (std::string word; fields >> word;) words.push_back(word);
    if (words.empty()) continue;
    ++rules;
    EXPECT_EQ(words.front(), "local") << hba_file << ": a rule other than a Unix socket one: " << line;
    EXPECT_NE(words.back(), "trust") << hba_file << ": " << line;
    EXPECT_EQ(words.back(), "scram-sha-256") << hba_file << ": " << line;
  }
  EXPECT_GT(rules, 0) << hba_file << " has no rule";
  EXPECT_EQ(one_value(*admin_session, "SHOW unix_socket_permissions"), "0700");

  TestDatabase db;
  EXPECT_EQ(one_value(db.session(), "SHOW listen_addresses"), "") << "the server listens on TCP";
}

TEST(ClusterAccess, PasswordIsRequired) {
  TestDatabase db;
  const TempDir dir("ccaccess");
  const auto wrong = write_file(dir.path() / "pgpass", "*:*:*:*:not-the-password\n");
  std::filesystem::permissions(wrong, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  for (const auto& info : {admin_connection_string(), db.connection_string()}) {
    const auto works = psql(info, "SELECT 1");
    EXPECT_EQ(works.out, "1\n") << info << ": " << works.err;
    const auto none = psql(with_keyword(info, "passfile", "/nonexistent/pgpass"), "SELECT 1");
    EXPECT_NE(none.status, 0) << info << " without a password got in";
    EXPECT_NE(none.err.find("no password supplied"), std::string::npos) << none.err;
    const auto bad = psql(with_keyword(info, "passfile", wrong), "SELECT 1");
    EXPECT_NE(bad.status, 0) << info << " with a wrong password got in";
    EXPECT_NE(bad.err.find("password authentication failed"), std::string::npos) << bad.err;
  }
}

TEST(ClusterAccess, OtherLocalUserIsRefused) {
  if (geteuid() != 0) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') FAIL() << "CI runs as root, so that this check runs; here it cannot (not root)";
    GTEST_SKIP() << "not root, so psql cannot run as another user (runuser needs root); the other ClusterAccess "
                    "checks ran; run ops/test.sh as root (as CI does) for this one";
  }
  const auto control = run("runuser -u nobody -- psql --version");
  ASSERT_EQ(control.status, 0) << "nobody cannot run psql at all: " << control.err;
  TestDatabase db;
  for (const auto& info : {admin_connection_string(), db.connection_string()}) {
    for (const auto& attempt : {info, without_keyword(info, "passfile")}) {
      const auto refused = psql(attempt, "SELECT 1", "nobody");
      EXPECT_NE(refused.status, 0) << "nobody got in with " << attempt;
      EXPECT_EQ(refused.out, "") << attempt;
      EXPECT_NE(refused.err.find("connection to server"), std::string::npos) << attempt << ": " << refused.err;
    }
    EXPECT_EQ(psql(info, "SELECT 1").out, "1\n") << "the owner cannot get in with " << info;
  }
  const TempDir dir("ccaccess");
  const auto marker = (dir.path() / "f").string();
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  const auto copy = psql(db.connection_string(), "COPY (SELECT 1) TO PROGRAM 'id > " + marker + "'", "nobody");
  EXPECT_NE(copy.status, 0);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

}  // namespace
