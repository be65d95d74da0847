// The monthly billing run (`costcover bill`): for every agency with an agreement in force
// in the month (or with final invoices of earlier months to correct), read the stored
// contracts and the counted daily volumes, bill each agency's month (invoice::bill_agency:
// rating, the corrections of earlier final months, the split by VAT group) and, in ONE
// transaction under the advisory lock 'invoices' (shared with finalize, credit, settle and
// contracts load, so no interleaving bills a month twice), replace the month's draft
// invoices. Final invoices are never touched; an agency whose month is already final is
// skipped (its changes become corrections on the next month). docs/invoicing.md has the
// rules. Every SQL statement is in store/.
#pragma once

#include <optional>
#include <string>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "db/job.hpp"
#include "invoice/billing.hpp"

namespace costcover::jobs {

struct BillingOptions {
  Month period{2000, 1};
  std::optional<std::string> agency;  // only this agency
  bool dry_run = false;               // rate and summarise, write nothing
  bool force = false;                 // write drafts despite unresolved rejects (never uncounted input)
  bool early = false;                 // write drafts of a month that has not ended yet
  Date today{2000, 1, 1};             // in Helsinki (store::helsinki_today): has the month ended?
  std::string parameters_json = "{}";
  db::Notice notice;  // "waiting for the invoices lock ..." (default: stderr)
  // When set, the contracts are read and parsed on a second connection to this database
  // while the first reads the volumes.
  std::string connection_string;
};

using AgencySummary = invoice::AgencySummary;
using BillingReport = invoice::BillingSummary;

// Whether `period` has not ended on `today`: today is on or before its last day.
[[nodiscard]] bool month_not_ended(Month period, Date today);

// Throws InputError when the contracts do not rate (every problem of every agency), and
// when the month has not ended and neither early nor dry_run is set (nothing recorded).
[[nodiscard]] BillingReport run_billing(soci::session& session, const BillingOptions& options);

}  // namespace costcover::jobs
