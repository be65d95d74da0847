// One agency's month billed (pure): the month rated under the agency's agreement versions
// (rating::rate) when one is in force, then the corrections of its earlier final months
// whose volumes or agreements changed (each re-rated with today's volumes at the list
// prices it was billed at, and compared with what was billed for it, oldest first:
// corrections.hpp), split by VAT group into draft invoices (assemble_invoices) under the
// month's header (header_for). The billing job (jobs/bill.hpp) reads the inputs, calls
// this per agency and writes the result; the summary values below are what it reports.
//
// Invariant: every invoice returned passes check_invoice (InvariantError otherwise);
// rating problems come out as InputError, as rating::rate throws them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "invoice/corrections.hpp"
#include "invoice/invoice.hpp"
#include "model/model.hpp"
#include "rating/rating.hpp"

namespace costcover::invoice {

// What billing one agency's month needs. Views of data the caller owns.
struct AgencyMonth {
  std::string agency;
  Month period{2000, 1};
  const model::ContractSet* contracts = nullptr;  // catalog and price lists; required
  std::span<const model::Agreement> agreements;   // every version of the agency's agreements
  bool in_force = false;                          // an agreement is in force in the month: rate it
  // Earlier final months to correct (YYYY-MM, oldest first) and their final invoices.
  const std::map<std::string, std::vector<FinalInvoiceRef>>* to_correct = nullptr;
  // What was billed for each of them: lines of their final invoices and corrections since.
  const std::map<std::string, std::vector<BilledLine>>* billed = nullptr;
  std::span<const rating::DailyVolume> volumes;  // the month's counted volumes
  // Earlier days: from rating::history_from() of the month, and of every month to correct.
  std::span<const rating::DailyVolume> history;
  std::string language = "en";  // of the service names in descriptions
};

struct AgencyBill {
  std::vector<Invoice> invoices;      // group O first; none when there is nothing to bill
  std::vector<std::string> findings;  // rating's findings of the month, met deadlines left out
  int corrections = 0;                // correction lines among the invoices' lines
};

[[nodiscard]] AgencyBill bill_agency(const AgencyMonth& input);

// One month of one agency rated into invoice lines (lineage resolved, exception reasons
// looked up); `history` may hold more days than rating needs.
[[nodiscard]] std::vector<Line> rate_month(const AgencyMonth& input, Month month,
                                           std::span<const rating::DailyVolume> volumes,
                                           std::span<const rating::DailyVolume> history,
                                           std::vector<rating::RatingFinding>* findings);

// The per-agency summary of a billing run, as the finance office reviews it.
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

// Whether a month may be billed: input the nightly job has not counted, and rejected rows
// nobody resolved (sql/061_billing_readiness.sql has the rules).
struct Readiness {
  std::int64_t uncounted_days = 0;      // (agency, service, day) keys up to the month's last day
  std::int64_t unresolved_rejects = 0;  // rejected rows of the month
  [[nodiscard]] bool ready() const { return uncounted_days == 0 && unresolved_rejects == 0; }
};

// A billing run: what `costcover bill` prints.
struct BillingSummary {
  Month period{2000, 1};
  bool dry_run = false;
  bool force = false;
  std::vector<AgencySummary> agencies;  // by agency id
  Readiness readiness;
  bool blocked = false;  // not ready and not forced: nothing written
  bool written = false;
  int invoices = 0;
  int lines = 0;
  std::int64_t lineage_rows = 0;
  Money total;
  std::int64_t job_run_id = 0;
};

}  // namespace costcover::invoice
