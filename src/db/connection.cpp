#include "db/connection.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "db/error.hpp"
#include "db/job.hpp"
#include "db/query.hpp"

namespace costcover::db {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw std::invalid_argument("bad percent escape in connection URI: \"" + text + "\"");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// Quotes a libpq keyword value when it needs it.
std::string keyword_value(const std::string& value) {
  if (!value.empty() && value.find_first_of(" '\\") == std::string::npos) return value;
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

std::string to_keyword_form(const std::string& url) {
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) return url;
  static const std::regex kUri(
      R"(^postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]*)(?::(\d+))?(?:/([^?]*))?(?:\?(.*))?$)");
  std::smatch m;
  if (!std::regex_match(url, m, kUri)) {
    throw std::invalid_argument("not a PostgreSQL connection URI: \"" + url + "\"");
  }
  std::vector<std::string> parts;
  auto add = [&parts](const std::string& key, const std::string& value) {
    if (!value.empty()) parts.push_back(key + "=" + keyword_value(percent_decode(value)));
  };
  add("host", m[3].str());
  add("port", m[4].str());
  add("dbname", m[5].str());
  add("user", m[1].str());
  add("password", m[2].str());
  std::stringstream query(m[6].str());
  std::string pair;
  while (std::getline(query, pair, '&')) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("bad URI parameter \"" + pair + "\"");
    add(pair.substr(0, eq), pair.substr(eq + 1));
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

namespace {

bool is_tree(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(dir / "ops" / "pg.sh", error);
}

// The tree holding the running program: the nearest folder above /proc/self/exe that holds
// ops/pg.sh (build/src/cli/costcover -> the tree it was built in, wherever it is now).
std::optional<std::string> tree_of_program() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  for (auto dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (is_tree(dir)) return dir.string();
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace

std::string project_dir() {
  if (const char* home = std::getenv("COSTCOVER_HOME"); home != nullptr && *home != '\0') return home;
  if (auto tree = tree_of_program()) return *tree;
  if (is_tree(COSTCOVER_SOURCE_DIR)) return COSTCOVER_SOURCE_DIR;
  throw std::runtime_error(
      "cannot find the project's tree (sql/, contracts/, ops/): the program is not inside one, and the tree it was "
      "built in (" COSTCOVER_SOURCE_DIR ") is gone; set COSTCOVER_HOME to the tree");
}

std::string resolve_connection_string(const ConnectionOptions& options) {
  if (!options.url.empty()) return to_keyword_form(options.url);
  if (const char* env = std::getenv("COSTCOVER_DATABASE_URL"); env != nullptr && *env != '\0') {
    return to_keyword_form(env);
  }
  // The private cluster: ops/pg.sh creates and starts it and prints its connection string.
  const std::string command = "'" + project_dir() + "/ops/pg.sh' ensure";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) output += buffer.data();
  const int status = pclose(pipe.release());
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  auto last_line = output.substr(output.rfind('\n') == std::string::npos ? 0 : output.rfind('\n') + 1);
  if (status != 0 || last_line.empty()) {
    throw std::runtime_error("could not start the private PostgreSQL under var/ (" + command +
                             " failed); set COSTCOVER_DATABASE_URL or --db to use another database");
  }
  // Which database a job uses is never a guess: said once, before anything else the job prints.
  static bool said = false;
  if (options.announce_private && !said) {
    std::fprintf(stderr, "costcover: database: the private PostgreSQL of %s (%s/var)\n", project_dir().c_str(),
                 project_dir().c_str());
    said = true;
  }
  return last_line;
}

void prepare_session(soci::session& session) {
  exec(session, "SET TIME ZONE 'UTC'");
  exec(session, "SET client_encoding TO 'UTF8'");
  exec(session, "SET client_min_messages TO warning");
  // A client that is killed must not leave its statement running on the server (and its
  // locks held): the server checks the socket every second while a statement runs.
  exec(session, "SET client_connection_check_interval = '1s'");
  exec(session, "SET application_name = 'costcover'");
}

std::unique_ptr<soci::session> connect(const std::string& connection_string) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    try {
      auto session = std::make_unique<soci::session>(soci::postgresql, connection_string);
      prepare_session(*session);
      return session;
    } catch (const std::exception& error) {
      if (attempt >= kAttempts) {
        throw std::runtime_error(
            fmt::format("cannot connect to the database ({}): {}", connection_string, error.what()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
  }
}

bool reconnect(soci::session& session) {
  try {
    session.reconnect();
    prepare_session(session);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void* native_pgconn(soci::session& session) {
  auto* backend =
      static_cast<soci::postgresql_session_backend*>(session.get_backend());  // only PostgreSQL sessions exist here
  if (backend == nullptr) throw std::logic_error("not a PostgreSQL session");
  return backend->conn_;
}

int migrate(soci::session& session, const std::string& sql_dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(sql_dir)) throw std::runtime_error("migrations folder not found: " + sql_dir);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(sql_dir)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 4 && std::isdigit(static_cast<unsigned char>(name[0])) != 0 &&
        entry.path().extension() == ".sql") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  const JobLock lock(session, kMigrationLock, true);
  exec(session,
       "CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, name text NOT NULL, "
       "applied_at timestamptz NOT NULL DEFAULT now())");
  int applied = 0;
  for (const auto& file : files) {
    const auto name = file.filename().string();
    const std::string version = std::to_string(std::stoi(name.substr(0, name.find('_'))));
    if (!query(session, "SELECT 1 FROM schema_migration WHERE version = $1::int", {version}).empty()) continue;
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Transaction transaction(session);
    try {
      exec_script(session, text.str());
    } catch (const DatabaseError& error) {
      throw DatabaseError(error.sqlstate(), "migration " + name + ": " + error.what(), error.connection_lost());
    }
    exec(session, "INSERT INTO schema_migration (version, name) VALUES ($1::int, $2)", {version, name});
    transaction.commit();
    ++applied;
  }
  return applied;
}

}  // namespace costcover::db
