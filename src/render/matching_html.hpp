// matching.html (pure): the cost-revenue matching calculation as agencies publish it in
// their annual reports, with the settlement decisions under it. No dates and no clock, so
// the same rows always give the same bytes. Services are named by their English catalog
// name (the id when the catalog lacks the service); every text is HTML-escaped; negative
// amounts get the class "neg".
#pragma once

#include <string>
#include <vector>

#include "core/money.hpp"
#include "costing/matching.hpp"
#include "costing/settlement.hpp"
#include "model/model.hpp"

namespace costcover::render {

// `other_revenue`: fees and charges of the year (no service), named under the table when
// not zero.
[[nodiscard]] std::string matching_html(int year, const model::Catalog& catalog,
                                        const std::vector<costing::MatchingRow>& rows,
                                        const std::vector<costing::SettlementPlan>& plans, Money other_revenue);

}  // namespace costcover::render
