// cost_settlement (sql/040_costing.sql): the decisions of the latest `costcover settle` of
// each year, per service, which `costcover prices propose` reads back. Call the writes
// inside the job's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <soci/soci.h>

#include "costing/price_proposal.hpp"
#include "costing/settlement.hpp"
#include "costing/settlement_year.hpp"

namespace costcover::store {

// Replaces the year's decisions with one row per plan (each plan's service must be in the
// catalog: the table references it), recording the job run and the ledger load it used.
void replace_cost_settlement(soci::session& session, int year, std::int64_t job_run_id, std::int64_t ledger_load_id,
                             const std::vector<costing::SettlementPlan>& plans);

// The year's recorded decisions, by service id; empty when settle has not run for the year.
[[nodiscard]] std::vector<costing::RecordedDecision> recorded_settlement(soci::session& session, int year);

// The centre's result of the year's latest settle, summed over its recorded decisions
// (view v_settlement_result, sql/065); nothing when settle has not run for the year.
[[nodiscard]] std::optional<costing::CentreResult> recorded_result(soci::session& session, int year);

// ---- prices before the year (`prices propose --year Y --budget`) ----------------------

// The latest year before `year` whose decisions `settle` recorded; nothing when none is.
[[nodiscard]] std::optional<int> latest_settled_year_before(soci::session& session, int year);

// ---- end of prices before the year --------------------------------------------------

}  // namespace costcover::store
