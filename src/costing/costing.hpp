// The costing engine, pure (no database, clock or files): cost allocation from the cost
// model and ledger totals, its CSV outputs, the cost-revenue matching calculation, the
// zero-result settlement and the price proposal. See docs/costing.md.
#pragma once

#include "costing/allocation.hpp"      // IWYU pragma: export
#include "costing/exact.hpp"           // IWYU pragma: export
#include "costing/matching.hpp"        // IWYU pragma: export
#include "costing/outputs.hpp"         // IWYU pragma: export
#include "costing/price_proposal.hpp"  // IWYU pragma: export
#include "costing/settlement.hpp"      // IWYU pragma: export
