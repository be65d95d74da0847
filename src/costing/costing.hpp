// The costing engine, pure (no database, clock or files): the ledger rows' checks, cost
// allocation from the cost model and ledger totals, its output rows, the cost-revenue
// matching calculation, the zero-result settlement of a year and the price proposal. The
// files' text is render/'s (costing_csv.hpp, matching_report.hpp). See docs/costing.md.
#pragma once

#include "costing/allocation.hpp"       // IWYU pragma: export
#include "costing/exact.hpp"            // IWYU pragma: export
#include "costing/ledger.hpp"           // IWYU pragma: export
#include "costing/matching.hpp"         // IWYU pragma: export
#include "costing/outputs.hpp"          // IWYU pragma: export
#include "costing/price_proposal.hpp"   // IWYU pragma: export
#include "costing/settlement.hpp"       // IWYU pragma: export
#include "costing/settlement_year.hpp"  // IWYU pragma: export
