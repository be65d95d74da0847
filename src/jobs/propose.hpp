// `costcover prices propose --year Y`: the cost allocation of the ledger of Y by the cost
// model of Y, unit costs, the proposed price list of Y+1 (with the differences `settle`
// carried forward put in) and the what-if per agency. Orchestration only: the inputs come
// through jobs/yearly.hpp and store/, the figures from costing/, the files' text from
// render/. The same inputs always give the same bytes. docs/costing-jobs.md has the rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "costing/outputs.hpp"
#include "costing/price_proposal.hpp"
#include "db/job.hpp"

namespace costcover::jobs {

struct ProposeOptions {
  int year = 0;  // the ledger's and cost model's year; prices are proposed for year + 1
  std::string out_dir;
  std::string parameters_json = "{}";
  db::Notice notice;
};

struct ProposeReport {
  int price_year = 0;
  std::vector<std::string> files;  // written, in order
  std::vector<costing::UnitCostRow> unit_costs;
  costing::PriceTable proposed;
  std::vector<costing::CarriedDifference> carried;
  std::vector<costing::WhatIfRow> what_if;
  bool settlement_recorded = false;  // a settle of the year exists (carried differences known)
  std::int64_t job_run_id = 0;
};

// Writes DIR/allocation.csv, DIR/unit_costs.csv, DIR/prices/<year+1>.yaml, DIR/what_if.csv.
[[nodiscard]] ProposeReport run_propose(soci::session& session, const ProposeOptions& options);

}  // namespace costcover::jobs
