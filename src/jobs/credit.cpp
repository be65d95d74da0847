#include "jobs/credit.hpp"

#include "core/errors.hpp"
#include "db/job.hpp"
#include "invoice/credit_note.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {

CreditReport run_credit(soci::session& session, const CreditOptions& options) {
  if (options.reason.empty()) throw InputError("a credit note needs a reason (--reason)");
  CreditReport report;
  db::JobSpec spec("credit", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = CreditReport{};  // the job may run again after a transient error
    report.credited_number = options.invoice_number;
    report.job_run_id = run.run_id();
    run.step("writing the credit note");
    const auto original = store::lock_invoice_by_number(session, options.invoice_number);
    if (!original) throw InputError("no invoice numbered \"" + options.invoice_number + "\"");
    invoice::check_creditable(*original, options.issue_date);
    const invoice::Invoice note = invoice::credit_note(*original, options.lines, options.reason);
    report.fully_credited = invoice::fully_credited_by(*original, note);
    report.lines = static_cast<int>(note.lines.size());
    report.period = original->invoice.header.period.to_string();
    report.agency = original->invoice.header.agency;
    const auto ids = store::insert_invoices(session, {note}, run.run_id());
    const auto numbered = store::assign_numbers(session, ids, options.issue_date);
    report.number = numbered.front().number;
    report.net = note.net;
    report.gross = note.gross;
    run.set_message("credit note " + report.number + " for " + options.invoice_number);
  });
  return report;
}

}  // namespace costcover::jobs
