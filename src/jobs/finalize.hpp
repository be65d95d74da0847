// Finalisation (`costcover finalize`) and credit notes (`costcover credit`): numbering is
// gap-free in one sequence per year of the issue date ('YYYY-NNNNNN'). Numbers are taken
// from invoice_counter under a row lock (SELECT ... FOR UPDATE) inside the transaction
// that makes the invoices final, and the whole step runs under the advisory lock
// 'invoices' (shared with bill, settle and contracts load): no finalisation overlaps a
// billing run or another finalisation, and a failed one rolls its numbers back with it,
// so no number is ever duplicated or skipped and no month is finalised twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "db/job.hpp"

namespace costcover::jobs {

struct FinalizeOptions {
  Month period{2000, 1};
  std::optional<std::string> agency;
  Date issue_date;  // the due date is issue_date + the agreement's payment_terms_days
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct FinalizedInvoice {
  std::string number;
  std::string agency;
  std::string vat_group;
  Money gross;
  Date due_date;
};

struct FinalizeReport {
  std::vector<FinalizedInvoice> invoices;  // in number order
  std::int64_t job_run_id = 0;
  std::int64_t uncounted_days = 0;  // warning: input of the month the drafts do not include
};

[[nodiscard]] FinalizeReport run_finalize(soci::session& session, const FinalizeOptions& options);

struct CreditOptions {
  std::string invoice_number;
  std::string reason;
  Date issue_date;
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct CreditReport {
  std::string number;  // of the credit note
  std::string credited_number;
  Money net;
  Money gross;
  std::int64_t job_run_id = 0;
};

// A credit note for a whole final invoice: negative copies of its lines, its own number,
// final at once. Refuses drafts, credit notes and invoices already credited (InputError).
[[nodiscard]] CreditReport run_credit(soci::session& session, const CreditOptions& options);

}  // namespace costcover::jobs
