// Credit notes (`costcover credit`): a credit note for a whole final invoice
// (invoice::credit_note: negative copies of its lines), numbered at once in the issue
// date's year from the same counter as finalisation (store::assign_numbers) and final at
// once, under the advisory lock 'invoices' like every job that writes invoices.
#pragma once

#include <cstdint>
#include <string>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "db/job.hpp"

namespace costcover::jobs {

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

// Refuses (InputError) an empty reason, a number no invoice has, a credit note, an
// invoice already credited and an issue date before the invoice's (invoice::check_creditable).
[[nodiscard]] CreditReport run_credit(soci::session& session, const CreditOptions& options);

}  // namespace costcover::jobs
