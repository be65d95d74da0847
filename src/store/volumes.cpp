#include "store/volumes.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "db/copy.hpp"
#include "db/query.hpp"

namespace costcover::store {
namespace {

using db::to_int;

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find(';', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// The month's touched keys, taken out of ingest_dirty_day into a small table the planner
// can see (so it hashes them), with their day range for the BRIN index ("" when none).
std::pair<std::string, std::string> take_touched_keys(soci::session& session, Date month,
                                                      const std::optional<Date>& up_to) {
  db::exec(session, "DROP TABLE IF EXISTS nightly_dirty");
  db::exec(session,
           "CREATE TEMP TABLE nightly_dirty ON COMMIT DROP AS WITH d AS ("
           "DELETE FROM ingest_dirty_day WHERE day BETWEEN $1::date "
           "AND ($1::date + interval '1 month' - interval '1 day')::date AND ($2::date IS NULL OR day <= $2::date) "
           "RETURNING agency, service, day) SELECT * FROM d",
           {format_date(month), up_to ? std::optional<std::string>(format_date(*up_to)) : std::nullopt});
  db::exec(session, "ANALYZE nightly_dirty");
  const db::Rows range = db::query(session, "SELECT min(day)::text, max(day)::text FROM nightly_dirty");
  return {range.text(0, 0), range.text(0, 1)};
}

// The count: one statement (parallel-safe, so PostgreSQL may use its workers) over the
// touched keys' day range, into nightly_counted. Rows are first grouped by received day,
// then the few groups get their business days.
void count_touched_keys(soci::session& session, const std::pair<std::string, std::string>& days) {
  db::exec(session, "DROP TABLE IF EXISTS nightly_counted");
  db::exec(session,
           "CREATE TEMP TABLE nightly_counted ON COMMIT DROP AS "
           "WITH grouped AS ("
           "  SELECT t.agency, t.service, t.delivered_day AS day, t.received_day, t.tags,"
           "    count(*) FILTER (WHERE t.cancelled_load_id IS NULL) AS transactions,"
           "    sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NULL) AS quantity,"
           "    count(*) FILTER (WHERE t.cancelled_load_id IS NOT NULL) AS cancelled_transactions,"
           "    sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NOT NULL) AS cancelled_quantity"
           "  FROM delivered_transaction t"
           "  WHERE t.delivered_day BETWEEN $1::date AND $2::date"
           "  GROUP BY 1, 2, 3, 4, 5"
           ") "
           "SELECT g.agency, g.service, g.day, g.tags,"
           "  cd.business_ordinal - cr.business_ordinal AS business_days,"
           "  CAST(sum(g.transactions) AS bigint) AS transactions,"
           "  CAST(coalesce(sum(g.quantity), 0) AS bigint) AS quantity,"
           "  CAST(sum(g.cancelled_transactions) AS bigint) AS cancelled_transactions,"
           "  CAST(coalesce(sum(g.cancelled_quantity), 0) AS bigint) AS cancelled_quantity "
           "FROM grouped g"
           "  JOIN nightly_dirty d ON d.agency = g.agency AND d.service = g.service AND d.day = g.day"
           "  JOIN business_calendar cd ON cd.day = g.day"
           "  JOIN business_calendar cr ON cr.day = g.received_day "
           "GROUP BY 1, 2, 3, 4, 5",
           {days.first, days.second});
  db::exec(session, "ANALYZE nightly_counted");
}

// Writes the counted rows whose counts changed (ids and counted_at of the others stay);
// returns how many.
std::int64_t write_counted(soci::session& session) {
  return db::exec(session,
                  "INSERT INTO daily_volume AS v (agency, service, day, tags, business_days, transactions, quantity,"
                  "  cancelled_transactions, cancelled_quantity) "
                  "SELECT agency, service, day, tags, business_days, transactions, quantity, cancelled_transactions,"
                  "  cancelled_quantity FROM nightly_counted "
                  "ON CONFLICT (agency, service, day, tags, business_days) DO UPDATE SET"
                  "  transactions = excluded.transactions, quantity = excluded.quantity,"
                  "  cancelled_transactions = excluded.cancelled_transactions,"
                  "  cancelled_quantity = excluded.cancelled_quantity, counted_at = now() "
                  "WHERE (v.transactions, v.quantity, v.cancelled_transactions, v.cancelled_quantity) IS DISTINCT FROM"
                  "  (excluded.transactions, excluded.quantity, excluded.cancelled_transactions, "
                  "excluded.cancelled_quantity)");
}

// Deletes the rows of the touched keys that nothing backs any more; returns how many.
std::int64_t remove_unbacked(soci::session& session) {
  return db::exec(session,
                  "DELETE FROM daily_volume v USING nightly_dirty d "
                  "WHERE v.agency = d.agency AND v.service = d.service AND v.day = d.day"
                  "  AND (v.agency, v.service, v.day, v.tags, v.business_days) NOT IN ("
                  "    SELECT agency, service, day, tags, business_days FROM nightly_counted)");
}

}  // namespace

void begin_count_transaction(soci::session& session, const db::Notice& notice) {
  db::lock_table(session, "ingest_dirty_day", "SHARE ROW EXCLUSIVE", "the loads in progress to commit", notice);
  db::exec(session, "SET LOCAL enable_nestloop = off");
}

std::vector<Date> touched_months(soci::session& session, const std::optional<Date>& up_to) {
  const db::Rows rows = db::query(session,
                                  "SELECT DISTINCT to_char(day, 'YYYY-MM-01') FROM ingest_dirty_day "
                                  "WHERE $1::date IS NULL OR day <= $1::date ORDER BY 1",
                                  {up_to ? std::optional<std::string>(format_date(*up_to)) : std::nullopt});
  std::vector<Date> months;
  for (std::size_t r = 0; r < rows.size(); ++r) months.push_back(parse_date(rows.text(r, 0)));
  return months;
}

MonthRecount recount_month(soci::session& session, Date month, const std::optional<Date>& up_to) {
  const auto days = take_touched_keys(session, month, up_to);
  count_touched_keys(session, days);
  MonthRecount recount;
  recount.written = write_counted(session);
  recount.removed = remove_unbacked(session);
  const db::Rows summary = db::query(session,
                                     "SELECT (SELECT count(*) FROM nightly_dirty), count(*), "
                                     "coalesce(sum(transactions + cancelled_transactions), 0) FROM nightly_counted");
  recount.keys = to_int(summary.text(0, 0));
  recount.groups = to_int(summary.text(0, 1));
  recount.transactions = to_int(summary.text(0, 2));
  return recount;
}

std::int64_t touched_keys_left(soci::session& session) {
  return to_int(db::scalar(session, "SELECT count(*) FROM ingest_dirty_day"));
}

void analyze_volumes(soci::session& session) { db::exec(session, "ANALYZE daily_volume"); }

namespace {
std::map<std::string, std::vector<rating::DailyVolume>> read_volumes(soci::session& session, Date from, Date to,
                                                                     const std::string& sql, const db::Params& params) {
  // Days come as offsets from `from` (no date parsing per row); the sort needs memory.
  db::exec(session, "SET work_mem = '256MB'");
  db::exec(session, "SET jit = off");
  // COPY streams the rows (a million of them) without building a result set. The query
  // text carries its parameters as literals: dates and ids checked by their types.
  std::string query = sql;
  for (std::size_t i = params.size(); i > 0; --i) {
    const std::string literal = db::quote_literal(params[i - 1].value_or(""));
    const std::string placeholder = "$" + std::to_string(i);
    for (auto at = query.find(placeholder); at != std::string::npos;
         at = query.find(placeholder, at + literal.size())) {
      query.replace(at, placeholder.size(), literal);
    }
  }
  // Rows come unsorted (sorting a million rows by a collated text key costs the server
  // seconds): grouped here by agency, then each agency's rows sorted by day and id.
  std::unordered_map<std::string, std::vector<rating::DailyVolume>> grouped;
  std::vector<rating::DailyVolume>* current = nullptr;
  std::string current_agency;
  std::vector<Date> days;
  for (Date day = from; day <= to; day += boost::gregorian::days(1)) days.push_back(day);
  db::copy_out(session, query, [&](const std::vector<std::string_view>& fields) {
    if (fields.size() != 8)
      throw std::runtime_error("daily_volume COPY row with " + std::to_string(fields.size()) + " fields");
    const auto agency = fields[0];
    if (current == nullptr || agency != current_agency) {
      current_agency = std::string(agency);
      current = &grouped[current_agency];
    }
    rating::DailyVolume volume;
    volume.id = to_int(fields[1]);
    volume.service = std::string(fields[2]);
    volume.day = days.at(static_cast<std::size_t>(to_int(fields[3])));
    if (!fields[4].empty()) volume.tags = split_tags(std::string(fields[4]));
    volume.business_days = static_cast<int>(to_int(fields[5]));
    volume.transactions = to_int(fields[6]);
    volume.quantity = to_int(fields[7]);
    current->push_back(std::move(volume));
  });
  db::exec(session, "RESET work_mem");
  db::exec(session, "RESET jit");
  std::map<std::string, std::vector<rating::DailyVolume>> out;
  for (auto& [agency, list] : grouped) {
    std::sort(list.begin(), list.end(), [](const rating::DailyVolume& a, const rating::DailyVolume& b) {
      return a.day != b.day ? a.day < b.day : a.id < b.id;
    });
    out.emplace(agency, std::move(list));
  }
  return out;
}

}  // namespace

std::map<std::string, std::vector<rating::DailyVolume>> load_volumes(soci::session& session, Date from, Date to,
                                                                     const std::vector<std::string>& agencies) {
  std::string sql =
      "SELECT agency, id, service, day - $1::date, tags, business_days, transactions, quantity "
      "FROM daily_volume WHERE day BETWEEN $1::date AND $2::date";
  db::Params params{format_date(from), format_date(to)};
  if (!agencies.empty()) {
    sql += " AND agency = ANY($3::text[])";
    params.emplace_back(db::text_array(agencies));
  }
  return read_volumes(session, from, to, sql, params);
}

std::map<std::string, std::vector<rating::DailyVolume>> load_window_history(
    soci::session& session, Date from, Date to, const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (pairs.empty() || to < from) return {};
  std::vector<std::string> agencies;
  std::vector<std::string> services;
  for (const auto& [agency, service] : pairs) {
    agencies.push_back(agency);
    services.push_back(service);
  }
  const std::string sql =
      "SELECT d.agency, min(d.id), d.service, d.day - $1::date, d.tags, 0, sum(d.transactions), sum(d.quantity) "
      "FROM daily_volume d JOIN unnest($3::text[], $4::text[]) AS p(agency, service) "
      "  ON p.agency = d.agency AND p.service = d.service "
      "WHERE d.day BETWEEN $1::date AND $2::date "
      "GROUP BY d.agency, d.service, d.day, d.tags";
  return read_volumes(session, from, to, sql,
                      {format_date(from), format_date(to), db::text_array(agencies), db::text_array(services)});
}

}  // namespace costcover::store
