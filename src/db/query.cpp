#include "db/query.hpp"

#include <charconv>

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/copy.hpp"
#include "db/error.hpp"

namespace costcover::db {
namespace {

using Owned = std::unique_ptr<PGresult, decltype(&PQclear)>;

Owned run(soci::session& session, const std::string& sql, const Params& params) {
  auto* conn = static_cast<PGconn*>(db::native_pgconn(session));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  Owned result(
      PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
      &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw db::from_libpq(conn, result.get());
  return result;
}

}  // namespace

Result::Result(void* result) : result_(result) {}
Result::~Result() {
  if (result_) PQclear(static_cast<PGresult*>(result_));
}
std::size_t Result::size() const { return static_cast<std::size_t>(PQntuples(static_cast<PGresult*>(result_))); }
std::string_view Result::view(std::size_t row, std::size_t column) const {
  auto* result = static_cast<PGresult*>(result_);
  const int r = static_cast<int>(row);
  const int c = static_cast<int>(column);
  return {PQgetvalue(result, r, c), static_cast<std::size_t>(PQgetlength(result, r, c))};
}

void copy_out(soci::session& session, const std::string& query,
              const std::function<void(const std::vector<std::string_view>& fields)>& on_row) {
  auto* conn = static_cast<PGconn*>(db::native_pgconn(session));
  const std::string sql = "COPY (" + query + ") TO STDOUT";
  Owned started(PQexec(conn, sql.c_str()), &PQclear);
  if (PQresultStatus(started.get()) != PGRES_COPY_OUT) throw db::from_libpq(conn, started.get());
  std::vector<std::string_view> fields;
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(conn, &buffer, 0);
    if (length == -1) break;
    if (length < 0) throw db::from_libpq(conn, nullptr);
    std::string_view line(buffer, static_cast<std::size_t>(length));
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    fields.clear();
    std::size_t start = 0;
    for (;;) {
      const auto tab = line.find('\t', start);
      if (tab == std::string_view::npos) {
        fields.push_back(line.substr(start));
        break;
      }
      fields.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    try {
      on_row(fields);
    } catch (...) {
      PQfreemem(buffer);
      while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
      throw;
    }
    PQfreemem(buffer);
  }
  static_cast<void>(copy_results(conn));
}

Result query_in_place(soci::session& session, const std::string& sql, const Params& params) {
  auto result = run(session, sql, params);
  return Result(result.release());
}

const std::string& Rows::text(std::size_t row, std::size_t column) const {
  static const std::string kEmpty;
  const auto& value = rows.at(row).at(column);
  return value ? *value : kEmpty;
}

Rows query(soci::session& session, const std::string& sql, const Params& params) {
  const Owned result = run(session, sql, params);
  Rows out;
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  out.rows.resize(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    auto& row = out.rows[static_cast<std::size_t>(r)];
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(result.get(), r, c), static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
      }
    }
  }
  return out;
}

void exec_script(soci::session& session, const std::string& sql) {
  auto* conn = static_cast<PGconn*>(native_pgconn(session));
  const Owned result(PQexec(conn, sql.c_str()), &PQclear);
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw from_libpq(conn, result.get());
}

std::string scalar(soci::session& session, const std::string& sql, const Params& params) {
  const Rows rows = query(session, sql, params);
  if (rows.size() != 1 || rows.rows[0].size() != 1) {
    throw InvariantError("expected one value from \"" + sql.substr(0, 80) + "\", got " + std::to_string(rows.size()) +
                         " row(s)");
  }
  return rows.text(0, 0);
}

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw InvariantError("expected an integer from the database, got \"" + std::string(text) + "\"");
  }
  return value;
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Transaction::Transaction(soci::session& session) : session_(session) { exec(session_, "BEGIN"); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    exec(session_, "ROLLBACK");
  } catch (...) {  // NOLINT(bugprone-empty-catch): the connection is gone; the server rolled back
  }
}

void Transaction::commit() {
  exec(session_, "COMMIT");
  open_ = false;
}

long long exec(soci::session& session, const std::string& sql, const Params& params) {
  const Owned result = run(session, sql, params);
  const char* tuples = PQcmdTuples(result.get());
  return (tuples && *tuples) ? std::atoll(tuples) : 0;
}

}  // namespace costcover::db
