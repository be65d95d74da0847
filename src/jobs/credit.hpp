// Credit notes (`costcover credit`): a credit note for all of a final invoice or part of
// it (invoice::credit_note: the asked lines, or every line's rest), numbered at once in
// the issue date's year from the same counter as finalisation (store::assign_numbers) and
// final at once, under the advisory lock 'invoices' like every job that writes invoices.
// A note that leaves the invoice credited in full releases its month and VAT group: the
// next `costcover bill` of the month drafts a new invoice that replaces it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "db/job.hpp"
#include "invoice/credit_note.hpp"

namespace costcover::jobs {

struct CreditOptions {
  std::string invoice_number;
  std::string reason;
  std::vector<invoice::LineCredit> lines;  // empty: whatever is still uncredited on every line
  Date issue_date;
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct CreditReport {
  std::string number;  // of the credit note
  std::string credited_number;
  Money net;
  Money gross;
  int lines = 0;                // of the credit note
  bool fully_credited = false;  // the invoice is now credited in full: its month may be billed again
  std::string period;           // of the credited invoice (YYYY-MM)
  std::string agency;
  std::int64_t job_run_id = 0;
};

// Refuses (InputError) an empty reason, a number no invoice has, a credit note, an issue
// date before the invoice's (invoice::check_creditable), and what invoice::credit_note
// refuses (more than is left on a line, nothing left, ...).
[[nodiscard]] CreditReport run_credit(soci::session& session, const CreditOptions& options);

}  // namespace costcover::jobs
