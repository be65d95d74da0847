// The one way the program talks SQL: text-mode queries through the libpq connection behind
// a SOCI session (SOCI holds the connection; statements go through here). Every value
// comes back as text (so NUMERIC never passes through double) and big result sets are read
// in one round trip. Parameters are passed as text ($1, $2, ...); nullopt is SQL NULL.
// Failures throw db::DatabaseError (SQLSTATE, the server's message, lost connection).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace costcover::db {

using Params = std::vector<std::optional<std::string>>;

struct Rows {
  std::vector<std::vector<std::optional<std::string>>> rows;
  [[nodiscard]] std::size_t size() const { return rows.size(); }
  [[nodiscard]] bool empty() const { return rows.empty(); }
  // The value at (row, column); "" for NULL.
  [[nodiscard]] const std::string& text(std::size_t row, std::size_t column) const;
  [[nodiscard]] bool is_null(std::size_t row, std::size_t column) const { return !rows[row][column]; }
};

// A result read in place (no copies): for big result sets.
class Result {
 public:
  explicit Result(void* result);  // takes ownership of a PGresult*
  ~Result();
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::string_view view(std::size_t row, std::size_t column) const;  // "" for NULL

 private:
  void* result_;
};
[[nodiscard]] Result query_in_place(soci::session& session, const std::string& sql, const Params& params = {});

// COPY (query) TO STDOUT in text format, streaming: calls on_row with each row's fields
// (tab-separated, COPY-escaped; the fields this module reads never need unescaping).
void copy_out(soci::session& session, const std::string& query,
              const std::function<void(const std::vector<std::string_view>& fields)>& on_row);

// Runs a statement returning rows (throws std::runtime_error with the server's message).
[[nodiscard]] Rows query(soci::session& session, const std::string& sql, const Params& params = {});
// Runs a statement; returns the affected row count.
long long exec(soci::session& session, const std::string& sql, const Params& params = {});

// Runs a script of several statements (a migration) with the simple query protocol.
void exec_script(soci::session& session, const std::string& sql);

// The one value of a one-row, one-column query ("" for NULL); InvariantError otherwise.
[[nodiscard]] std::string scalar(soci::session& session, const std::string& sql, const Params& params = {});

// An integer column's text as the database returned it; InvariantError for anything else.
[[nodiscard]] std::int64_t to_int(std::string_view text);

// 'text' as an SQL string literal ('' doubled), for the few statements that cannot take
// parameters (DDL, COPY's query).
[[nodiscard]] std::string quote_literal(std::string_view text);

// '{A,B,C}' for a text[] parameter, each element quoted.
[[nodiscard]] std::string text_array(const std::vector<std::string>& values);

// One transaction on the session: BEGIN now, ROLLBACK when it goes out of scope without
// commit() (a failed rollback on a lost connection is ignored: the server rolls back).
class Transaction {
 public:
  explicit Transaction(soci::session& session);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  soci::session& session_;
  bool open_ = true;
};

}  // namespace costcover::db
