#include "jobs/finalize.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/job.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

// A month is final once per agency and VAT group (settlement invoices aside): the
// invoices lock makes a second final invoice impossible; this check keeps it impossible
// whatever runs.
void refuse_second_final(soci::session& session, const std::vector<std::int64_t>& ids) {
  if (const auto twice = store::find_second_final(session, ids)) {
    throw InvariantError(
        fmt::format("{} {} ({}) is already final as invoice {}: a month is finalised once; its "
                    "changes go on the next month as corrections",
                    twice->agency, twice->period, to_string(twice->group), twice->final_number));
  }
}

}  // namespace

FinalizeReport run_finalize(soci::session& session, const FinalizeOptions& options) {
  if (options.issue_date < options.period.first_day()) {
    throw InputError(fmt::format("issue date {} is before the period {} begins", format_date(options.issue_date),
                                 options.period.to_string()));
  }
  FinalizeReport report;
  db::JobSpec spec("finalize", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = FinalizeReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    run.step("looking for uncounted input");
    report.uncounted_days = store::billing_readiness(session, options.period, options.agency).uncounted_days;
    run.step("numbering the drafts");
    const auto ids = store::lock_month_drafts(session, options.period, options.agency);
    refuse_second_final(session, ids);
    report.invoices = store::assign_numbers(session, ids, options.issue_date);
    run.count("invoices", static_cast<std::int64_t>(report.invoices.size()));
    run.set_message(report.invoices.empty()
                        ? std::string("no drafts")
                        : fmt::format("{}..{}", report.invoices.front().number, report.invoices.back().number));
  });
  return report;
}

}  // namespace costcover::jobs
