// Finalisation (`costcover finalize`): the month's drafts numbered gap-free in one
// sequence per year of the issue date ('YYYY-NNNNNN') and made final. Numbers are taken
// from invoice_counter under a row lock (store::assign_numbers) inside the transaction
// that makes the invoices final, and the whole step runs under the advisory lock
// 'invoices' (shared with bill, credit, settle and contracts load): no finalisation
// overlaps a billing run or another finalisation, and a failed one rolls its numbers back
// with it, so no number is ever duplicated or skipped and no month is finalised twice.
// Credit notes, which take numbers from the same sequence: jobs/credit.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "db/job.hpp"
#include "invoice/document.hpp"

namespace costcover::jobs {

struct FinalizeOptions {
  Month period{2000, 1};
  std::optional<std::string> agency;
  Date issue_date;  // the due date is issue_date + the agreement's payment_terms_days
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct FinalizeReport {
  std::vector<invoice::NumberedInvoice> invoices;  // in number order
  std::int64_t job_run_id = 0;
  std::int64_t uncounted_days = 0;  // warning: input of the month the drafts do not include
};

// Refuses an issue date before the period begins (InputError), and a draft whose month
// and VAT group already has a final invoice (InvariantError: a month is finalised once).
[[nodiscard]] FinalizeReport run_finalize(soci::session& session, const FinalizeOptions& options);

}  // namespace costcover::jobs
