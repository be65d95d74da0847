// `costcover prices propose --year Y`: the cost allocation of the ledger of Y by the cost
// model of Y, unit costs, the proposed price list of Y+1 (with the differences `settle`
// carried forward put in) and the what-if per agency. Orchestration only: the inputs come
// through jobs/yearly.hpp and store/, the figures from costing/, the files' text from
// render/. The same inputs always give the same bytes. docs/costing-jobs.md has the rules.
//
// Two meanings, by the cost basis:
// - ledger (`--year Y`): the actual ledger of Y, after the year: prices for Y+1, with the
//   differences `settle --year Y` carried forward;
// - budget (`--year Y --budget`): the budget of Y, before the year: prices for Y itself,
//   with the differences carried forward by the latest settled year before Y.
// Both divide by the forecast volumes of the cost model of Y, and the what-if compares the
// proposal with the price list of the year before the proposed one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "costing/ledger.hpp"
#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"
#include "db/job.hpp"

namespace costcover::jobs {

struct ProposeOptions {
  int year = 0;                                           // the ledger's (budget's) and cost model's year
  costing::CostBasis basis = costing::CostBasis::ledger;  // ledger: prices for year + 1; budget: for year
  std::string out_dir;
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct ProposeReport {
  costing::CostBasis basis = costing::CostBasis::ledger;
  int price_year = 0;
  std::vector<std::string> files;  // written, in order
  std::vector<costing::UnitCostRow> unit_costs;
  costing::PriceTable proposed;
  std::vector<costing::CarriedDifference> carried;
  std::vector<costing::WhatIfRow> what_if;
  int settled_year = 0;              // whose settle decisions were read (0: a budget with no settled year before it)
  bool settlement_recorded = false;  // a settle of settled_year exists (carried differences known)
  std::int64_t job_run_id = 0;
};

// Writes DIR/allocation.csv, DIR/unit_costs.csv, DIR/prices/<price_year>.yaml, DIR/what_if.csv.
[[nodiscard]] ProposeReport run_propose(soci::session& session, const ProposeOptions& options);

}  // namespace costcover::jobs
