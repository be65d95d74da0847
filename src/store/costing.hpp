// cost_settlement (sql/040_costing.sql): the decisions of the latest `costcover settle` of
// each year, per service, which `costcover prices propose` reads back.
#pragma once

#include <cstdint>
#include <vector>

#include <soci/soci.h>

#include "costing/price_proposal.hpp"
#include "costing/settlement.hpp"

namespace costcover::store {

// The year's recorded decisions, by service id; empty when settle has not run for the year.
[[nodiscard]] std::vector<costing::RecordedDecision> recorded_settlement(soci::session& session, int year);

}  // namespace costcover::store
