// Text-mode queries through the libpq connection behind a SOCI session: every value comes
// back as text (so NUMERIC never passes through double) and big result sets are read in
// one round trip. Parameters are passed as text ($1, $2, ...); nullopt is SQL NULL.
#pragma once

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

}  // namespace costcover::db
