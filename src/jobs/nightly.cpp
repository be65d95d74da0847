#include "jobs/nightly.hpp"

#include <vector>

#include "db/job.hpp"
#include "store/calendar.hpp"
#include "store/volumes.hpp"

namespace costcover::jobs {
namespace {

void record_run(db::Job& run, const NightlyReport& report) {
  run.count("keys", report.keys);
  run.count("groups", report.groups);
  run.count("written", report.written);
  run.count("removed", report.removed);
  run.count("transactions", report.transactions);
  run.count("calendar_rows", report.calendar_rows);
  run.count("still_dirty", report.still_dirty);
  run.set_message("recounted " + std::to_string(report.keys) + " agency/service/day keys, " +
                  std::to_string(report.transactions) + " transactions");
}

}  // namespace

NightlyReport run_nightly(soci::session& session, const NightlyOptions& options) {
  NightlyReport report;
  db::JobSpec spec("nightly", db::kNightlyLock, options.parameters_json);
  spec.wait = options.wait;
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = NightlyReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    run.step("waiting for loads in progress");
    store::begin_count_transaction(session, spec.notice);
    run.step("counting the touched days");
    report.calendar_rows = store::ensure_calendar(session, store::kCalendarBaseYear, store::kCalendarLastYear);
    // One statement per month of touched days (partition pruning by its day range).
    for (const Date month : store::touched_months(session, options.up_to)) {
      const store::MonthRecount recount = store::recount_month(session, month, options.up_to);
      report.keys += recount.keys;
      report.groups += recount.groups;
      report.written += recount.written;
      report.removed += recount.removed;
      report.transactions += recount.transactions;
    }
    report.still_dirty = store::touched_keys_left(session);
    if (report.written + report.removed > 0) store::analyze_volumes(session);
    record_run(run, report);
  });
  return report;
}

}  // namespace costcover::jobs
