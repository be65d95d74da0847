#include "store/rejects.hpp"

#include <charconv>
#include <stdexcept>

#include "db/query.hpp"

namespace costcover::store {
namespace {

std::int64_t to_int(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("not an integer from the database: \"" + text + "\"");
  }
  return value;
}

// The columns of a reject with its status, over ingest_reject r, ingest_load l and
// reject_resolution x (LEFT JOIN).
constexpr const char* kRejectColumns =
    "SELECT r.load_id, r.source, r.line, r.reason_code, r.reason, coalesce(r.txn_id, ''), coalesce(r.agency, ''), "
    "       coalesce(to_char(r.delivered_day, 'YYYY-MM-DD'), ''), coalesce(x.resolution, ''), "
    "       coalesce(x.redelivered_load_id, reject_redelivered_by(r.source, r.txn_id, r.load_id))::text, "
    "       coalesce(x.note, ''), coalesce(x.os_user || ' / ' || x.db_user, ''), "
    "       coalesce(to_char(x.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') ";

std::vector<ingest::RejectEntry> entries(const db::Rows& rows) {
  std::vector<ingest::RejectEntry> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ingest::RejectEntry entry;
    entry.load_id = to_int(rows.text(r, 0));
    entry.source = rows.text(r, 1);
    entry.line = to_int(rows.text(r, 2));
    entry.reason_code = rows.text(r, 3);
    entry.reason = rows.text(r, 4);
    entry.txn_id = rows.text(r, 5);
    entry.agency = rows.text(r, 6);
    entry.delivered_day = rows.text(r, 7);
    const auto decision = ingest::parse_resolution(rows.text(r, 8));
    if (!rows.is_null(r, 9)) entry.by_load = to_int(rows.text(r, 9));
    if (decision) {
      entry.status = *decision == ingest::Resolution::redelivered ? ingest::RejectStatus::redelivered
                                                                  : ingest::RejectStatus::waived;
    } else if (entry.by_load) {
      entry.status = ingest::RejectStatus::sent_again;
    }
    entry.note = rows.text(r, 10);
    entry.resolved_by = rows.text(r, 11);
    entry.resolved_at = rows.text(r, 12);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

std::vector<ingest::RejectEntry> list_rejects(soci::session& session, const RejectFilter& filter) {
  std::string sql = std::string(kRejectColumns) +
                    "FROM ingest_reject r JOIN ingest_load l ON l.id = r.load_id "
                    "LEFT JOIN reject_resolution x ON x.load_id = r.load_id AND x.line = r.line "
                    "WHERE ($1::text IS NULL OR reject_of_period(r.delivered_day, l.as_of, $1::text)) "
                    "  AND ($2::text IS NULL OR r.source = $2::text) "
                    "  AND ($3::text IS NULL OR r.reason_code = $3::text) ";
  // Resolved: a decision, or a later load holding the key (billing_readiness's questions 3 and 4).
  const char* resolved = "(x.load_id IS NOT NULL OR reject_redelivered_by(r.source, r.txn_id, r.load_id) IS NOT NULL)";
  if (filter.status == RejectStatusFilter::open) sql += std::string("  AND NOT ") + resolved + " ";
  if (filter.status == RejectStatusFilter::resolved) sql += std::string("  AND ") + resolved + " ";
  sql += "ORDER BY r.load_id, r.line";
  const auto rows = db::query(session, sql,
                              {filter.period ? std::optional<std::string>(filter.period->to_string()) : std::nullopt,
                               filter.source, filter.reason_code});
  return entries(rows);
}

std::vector<ingest::RejectEntry> lock_rejects(soci::session& session, std::int64_t load_id,
                                              const std::vector<std::int64_t>& lines) {
  std::string array = "{";
  for (std::size_t i = 0; i < lines.size(); ++i) array += (i > 0 ? "," : "") + std::to_string(lines[i]);
  array += "}";
  const auto rows = db::query(session,
                              std::string("WITH asked AS (SELECT line, ordinality FROM unnest($2::bigint[]) "
                                          "WITH ORDINALITY AS u(line, ordinality)) ") +
                                  kRejectColumns +
                                  "FROM asked a JOIN ingest_reject r ON r.load_id = $1::bigint AND r.line = a.line "
                                  "LEFT JOIN reject_resolution x ON x.load_id = r.load_id AND x.line = r.line "
                                  "ORDER BY a.ordinality FOR UPDATE OF r",
                              {std::to_string(load_id), array});
  return entries(rows);
}

bool load_exists(soci::session& session, std::int64_t load_id) {
  return !db::query(session, "SELECT 1 FROM ingest_load WHERE id = $1::bigint", {std::to_string(load_id)}).empty();
}

void insert_decisions(soci::session& session, const std::vector<Decision>& decisions) {
  for (const auto& decision : decisions) {
    db::exec(session,
             "INSERT INTO reject_resolution (load_id, line, resolution, note, redelivered_load_id, os_user, "
             "job_run_id) VALUES ($1::bigint, $2::bigint, $3, $4, $5::bigint, $6, $7::bigint)",
             {std::to_string(decision.load_id), std::to_string(decision.line),
              std::string(ingest::resolution_text(decision.resolution)), decision.note,
              decision.redelivered_load_id ? std::optional<std::string>(std::to_string(*decision.redelivered_load_id))
                                           : std::nullopt,
              decision.os_user, std::to_string(decision.job_run_id)});
  }
}

}  // namespace costcover::store
