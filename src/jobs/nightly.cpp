#include "jobs/nightly.hpp"

#include <vector>

#include "db/job.hpp"
#include "store/calendar.hpp"

namespace costcover::jobs {

NightlyReport run_nightly(soci::session& session, const NightlyOptions& options) {
  NightlyReport report;
  db::JobSpec spec("nightly", db::kNightlyLock, options.parameters_json);
  spec.wait = options.wait;
  spec.notice = options.notice;
  const std::string limit = options.up_to ? " AND day <= '" + format_date(*options.up_to) + "'" : std::string();
  db::run_job(session, spec, [&](db::Job& run) {
    report = NightlyReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    // Loads wait while we count (they insert into ingest_dirty_day last), so no key can
    // be marked between our count and our removal of it.
    run.step("waiting for loads in progress");
    db::lock_table(session, "ingest_dirty_day", "SHARE ROW EXCLUSIVE", "the loads in progress to commit", spec.notice);
    run.step("counting the touched days");
    // The counting statement is a big scan grouped into few rows: hash joins and a hash
    // aggregate; the planner cannot estimate the join with the touched keys well.
    session << "SET LOCAL enable_nestloop = off";
    report.calendar_rows = store::ensure_calendar(session, store::kCalendarBaseYear, store::kCalendarLastYear);
    std::vector<std::string> months;
    {
      soci::rowset<std::string> rows =
          (session.prepare << "SELECT DISTINCT to_char(day, 'YYYY-MM-01') FROM ingest_dirty_day WHERE true" + limit +
                                  " ORDER BY 1");
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
      // The month's touched keys, taken out of ingest_dirty_day into a small table the
      // planner can see (so it hashes them), with the day range for the BRIN index.
      session << "DROP TABLE IF EXISTS nightly_dirty";
      session << "CREATE TEMP TABLE nightly_dirty ON COMMIT DROP AS WITH d AS ("
                 "DELETE FROM ingest_dirty_day WHERE day " +
                     range + limit +
                     " RETURNING agency, service, day) "
                     "SELECT * FROM d";
      session << "ANALYZE nightly_dirty";
      std::string low;
      std::string high;
      session << "SELECT CAST(min(day) AS text), CAST(max(day) AS text) FROM nightly_dirty", soci::into(low),
          soci::into(high);
      const std::string days = "BETWEEN DATE '" + low + "' AND DATE '" + high + "'";
      // The count: one statement (parallel-safe, so PostgreSQL may use its workers). Rows
      // are first grouped by received day, then the few groups get their business days.
      session << "DROP TABLE IF EXISTS nightly_counted";
      session << "CREATE TEMP TABLE nightly_counted ON COMMIT DROP AS "
                 "WITH grouped AS ("
                 "  SELECT t.agency, t.service, t.delivered_day AS day, t.received_day, t.tags,"
                 "    count(*) FILTER (WHERE t.cancelled_load_id IS NULL) AS transactions,"
                 "    sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NULL) AS quantity,"
                 "    count(*) FILTER (WHERE t.cancelled_load_id IS NOT NULL) AS cancelled_transactions,"
                 "    sum(t.quantity) FILTER (WHERE t.cancelled_load_id IS NOT NULL) AS cancelled_quantity"
                 "  FROM delivered_transaction t"
                 "  WHERE t.delivered_day " +
                     days +
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
                     "GROUP BY 1, 2, 3, 4, 5";
      session << "ANALYZE nightly_counted";
      // Write what changed; drop rows of the touched keys that nothing backs any more.
      soci::statement upsert =
          (session.prepare
           << "INSERT INTO daily_volume AS v (agency, service, day, tags, business_days, transactions, quantity,"
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
      upsert.execute(true);
      written = upsert.get_affected_rows();
      soci::statement remove =
          (session.prepare << "DELETE FROM daily_volume v USING nightly_dirty d "
                              "WHERE v.agency = d.agency AND v.service = d.service AND v.day = d.day"
                              "  AND (v.agency, v.service, v.day, v.tags, v.business_days) NOT IN ("
                              "    SELECT agency, service, day, tags, business_days FROM nightly_counted)");
      remove.execute(true);
      removed = remove.get_affected_rows();
      session << "SELECT (SELECT count(*) FROM nightly_dirty), count(*), coalesce(sum(transactions + "
                 "cancelled_transactions), 0) "
                 "FROM nightly_counted",
          soci::into(keys), soci::into(groups), soci::into(transactions);
      report.keys += keys;
      report.groups += groups;
      report.written += written;
      report.removed += removed;
      report.transactions += transactions;
    }
    long long still = 0;
    session << "SELECT count(*) FROM ingest_dirty_day", soci::into(still);
    report.still_dirty = still;
    // Statistics true for what was written (billing plans its reads on them).
    if (report.written + report.removed > 0) session << "ANALYZE daily_volume";
    run.count("keys", report.keys);
    run.count("groups", report.groups);
    run.count("written", report.written);
    run.count("removed", report.removed);
    run.count("transactions", report.transactions);
    run.count("calendar_rows", report.calendar_rows);
    run.count("still_dirty", report.still_dirty);
    run.set_message("recounted " + std::to_string(report.keys) + " agency/service/day keys, " +
                    std::to_string(report.transactions) + " transactions");
  });
  return report;
}

}  // namespace costcover::jobs
