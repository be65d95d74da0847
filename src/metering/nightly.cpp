#include "metering/nightly.hpp"

#include <vector>

#include "db/job.hpp"
#include "metering/calendar.hpp"

namespace costcover::metering {

NightlyReport run_nightly(soci::session& session, const NightlyOptions& options) {
  db::JobLock lock(session, "nightly", options.wait);
  db::JobRun run(session, "nightly", options.parameters_json);
  NightlyReport report;
  report.job_run_id = run.id();
  const std::string limit = options.up_to ? " AND day <= '" + format_date(*options.up_to) + "'" : std::string();
  try {
    session.begin();
    // Loads wait while we count (they insert into ingest_dirty_day last), so no key can
    // be marked between our count and our removal of it.
    session << "LOCK TABLE ingest_dirty_day IN SHARE ROW EXCLUSIVE MODE";
    session << "SET LOCAL work_mem = '64MB'";
    report.calendar_rows = ensure_calendar(session, kCalendarBaseYear, kCalendarLastYear);
    std::vector<std::string> months;
    {
      soci::rowset<std::string> rows = (session.prepare <<
          "SELECT DISTINCT to_char(day, 'YYYY-MM-01') FROM ingest_dirty_day WHERE true" + limit + " ORDER BY 1");
      for (const auto& month : rows) months.push_back(month);
    }
    for (const std::string& month : months) {
      const std::string first = "DATE '" + month + "'";
      const std::string last = "(DATE '" + month + "' + interval '1 month' - interval '1 day')::date";
      const std::string range = "BETWEEN " + first + " AND " + last;
      long long keys = 0;
      long long groups = 0;
      long long written = 0;
      long long removed = 0;
      long long transactions = 0;
      session <<
          "WITH dirty AS ("
          "  DELETE FROM ingest_dirty_day WHERE day " + range + limit + " RETURNING agency, service, day"
          "), counted AS ("
          "  SELECT t.agency, t.service, t.delivered_day AS day, t.tags,"
          "    cd.business_ordinal - cr.business_ordinal AS business_days,"
          "    count(*) FILTER (WHERE t.cancelled_load_id IS NULL) AS transactions,"
          "    coalesce(sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NULL), 0) AS quantity,"
          "    count(*) FILTER (WHERE t.cancelled_load_id IS NOT NULL) AS cancelled_transactions,"
          "    coalesce(sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NOT NULL), 0) AS cancelled_quantity"
          "  FROM delivered_transaction t"
          "  JOIN dirty d ON d.agency = t.agency AND d.service = t.service AND d.day = t.delivered_day"
          "  JOIN business_calendar cd ON cd.day = t.delivered_day"
          "  JOIN business_calendar cr ON cr.day = t.received_day"
          "  WHERE t.delivered_day " + range +
          "  GROUP BY 1, 2, 3, 4, 5"
          "), written AS ("
          "  INSERT INTO daily_volume AS v (agency, service, day, tags, business_days, transactions, quantity,"
          "    cancelled_transactions, cancelled_quantity)"
          "  SELECT agency, service, day, tags, business_days, transactions, quantity, cancelled_transactions,"
          "    cancelled_quantity FROM counted"
          "  ON CONFLICT (agency, service, day, tags, business_days) DO UPDATE SET"
          "    transactions = excluded.transactions, quantity = excluded.quantity,"
          "    cancelled_transactions = excluded.cancelled_transactions,"
          "    cancelled_quantity = excluded.cancelled_quantity, counted_at = now()"
          "  WHERE (v.transactions, v.quantity, v.cancelled_transactions, v.cancelled_quantity) IS DISTINCT FROM"
          "    (excluded.transactions, excluded.quantity, excluded.cancelled_transactions, excluded.cancelled_quantity)"
          "  RETURNING 1"
          "), removed AS ("
          "  DELETE FROM daily_volume v USING dirty d"
          "  WHERE v.agency = d.agency AND v.service = d.service AND v.day = d.day"
          "    AND (v.agency, v.service, v.day, v.tags, v.business_days) NOT IN ("
          "      SELECT agency, service, day, tags, business_days FROM counted)"
          "  RETURNING 1"
          ") "
          "SELECT (SELECT count(*) FROM dirty), (SELECT count(*) FROM counted), (SELECT count(*) FROM written),"
          "  (SELECT count(*) FROM removed),"
          "  (SELECT coalesce(sum(transactions + cancelled_transactions), 0) FROM counted)",
          soci::into(keys), soci::into(groups), soci::into(written), soci::into(removed), soci::into(transactions);
      report.keys += keys;
      report.groups += groups;
      report.written += written;
      report.removed += removed;
      report.transactions += transactions;
    }
    long long still = 0;
    session << "SELECT count(*) FROM ingest_dirty_day", soci::into(still);
    report.still_dirty = still;
    session.commit();
  } catch (const std::exception& error) {
    try {
      session.rollback();
    } catch (const std::exception&) {
      // The server rolls back when the connection is gone.
    }
    run.fail(error.what());
    throw;
  }
  run.count("keys", report.keys);
  run.count("groups", report.groups);
  run.count("written", report.written);
  run.count("removed", report.removed);
  run.count("transactions", report.transactions);
  run.count("calendar_rows", report.calendar_rows);
  run.count("still_dirty", report.still_dirty);
  run.succeed("recounted " + std::to_string(report.keys) + " agency/service/day keys, " +
              std::to_string(report.transactions) + " transactions");
  return report;
}

}  // namespace costcover::metering
