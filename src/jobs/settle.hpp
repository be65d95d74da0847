// `costcover settle --year Y`: the cost-revenue matching calculation of Y against the
// year's final invoices, and the zero-result settlement: settlement drafts of Y-12 for the
// services settled, the decisions recorded for `prices propose`. Orchestration only: the
// rules are costing's (settlement.hpp, settlement_year.hpp), the statements store's
// (store/invoices.hpp's settlement section, store/costing.hpp), the files render's.
// docs/costing-jobs.md has the rules and decisions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "costing/matching.hpp"
#include "costing/settlement.hpp"
#include "costing/settlement_year.hpp"
#include "db/job.hpp"
#include "invoice/invoice.hpp"
#include "model/model.hpp"
#include "render/locale.hpp"

namespace costcover::jobs {

struct SettleOptions {
  int year = 0;
  std::string out_dir;
  bool force = false;                                // settle although some month of the year has no final invoice
  render::Language language = render::Language::fi;  // of matching.html
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct SettleReport {
  std::vector<costing::MatchingRow> matching;
  std::vector<costing::SettlementPlan> plans;  // one per service row
  costing::CentreResult result;                // revenue + settlement - cost: what is carried forward
  int replaced_drafts = 0;                     // settlement drafts of an earlier run deleted
  int invoices = 0;                            // settlement drafts created
  int lines = 0;
  Money drafted;  // net sum of the settlement lines created
  std::vector<std::string> files;
  std::int64_t job_run_id = 0;
};

// Checks that the matching's TOTAL revenue is the year's final invoice lines (InvariantError,
// before anything is written); writes DIR/matching.csv and DIR/matching.html; records the
// decisions in cost_settlement; with mode settle replaces the year's settlement drafts
// (period YEAR-12); the centre's result, as recorded (v_settlement_result), in the report.
// Throws InputError when the year cannot be settled (drafts of the year not final, months
// without final invoices unless forced): the files are written, the database is left as it
// was.
[[nodiscard]] SettleReport run_settle(soci::session& session, const SettleOptions& options);

// The settlement drafts (pure): one document per agency and VAT group, period Y-12, its
// header from the agency's agreement versions over the year (invoice::header_for), the
// lines in the given order (kind settlement, quantity 1, unit price = amount, price source
// and days of costing::settlement_price_source / settlement_days); a credit note where the
// group's lines sum to a credit, else an invoice (invoice/settlement.hpp); a credit note's
// reason in the agency's language (`agencies`). Each is checked.
[[nodiscard]] std::vector<invoice::Invoice> settlement_invoices(
    int year, const std::vector<costing::SettlementInvoiceLine>& lines, const std::vector<model::Agreement>& agreements,
    const std::vector<model::Agency>& agencies);

}  // namespace costcover::jobs
