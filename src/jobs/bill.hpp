// The monthly billing run (`costcover bill`): for every agency with an agreement in force
// in the month (or with final invoices of earlier months to correct), read the stored
// contracts and the counted daily volumes, rate them (rating::rate), add the corrections
// of earlier final months, split by VAT group and, in ONE transaction under the advisory
// lock 'invoices' (shared with finalize, credit, settle and contracts load, so no
// interleaving bills a month twice), replace the month's draft invoices. Final invoices are never touched;
// an agency whose month is already final is skipped (its changes become corrections on
// the next month). docs/invoicing.md has the rules.
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

struct BillingOptions {
  Month period{2000, 1};
  std::optional<std::string> agency;  // only this agency
  bool dry_run = false;               // rate and summarise, write nothing
  bool force = false;                 // write drafts despite unprocessed input or rejects
  std::string language = "en";        // of service names in descriptions
  std::string parameters_json = "{}";
  db::Notice notice;  // "waiting for the invoices lock ..." (default: stderr)
  // When set, the contracts are read and parsed on a second connection to this database
  // while the first reads the volumes.
  std::string connection_string;
};

struct AgencySummary {
  std::string agency;
  int invoices = 0;
  int lines = 0;
  int corrections = 0;
  Money total;                    // net, all of the agency's invoices of the month
  std::optional<Money> previous;  // net of the previous month's invoices, if any
  std::vector<std::string> findings;
  std::string skipped;  // why nothing was billed ("already final"), else empty
};

struct BillingReport {
  std::vector<AgencySummary> agencies;  // by agency id
  std::int64_t dirty_days = 0;          // (agency, service, day) keys the nightly has not counted
  std::int64_t unresolved_rejects = 0;  // rejected rows of the month nobody resolved
  bool blocked = false;                 // not ready and not forced: nothing written
  bool written = false;
  int invoices = 0;
  int lines = 0;
  std::int64_t lineage_rows = 0;
  Money total;
  std::int64_t job_run_id = 0;
};

// Throws InputError when the contracts do not rate (every problem of every agency).
[[nodiscard]] BillingReport run_billing(soci::session& session, const BillingOptions& options);

// The per-agency summary the finance office reviews.
[[nodiscard]] std::string format_summary(const BillingReport& report, const BillingOptions& options);

}  // namespace costcover::jobs
