// Which agreement version an invoice's header (buyer reference, payment terms, the
// agreement it names) comes from: ONE rule for the monthly invoices and the settlement.
//
// Among the agency's versions, the one in force on the latest day of the period on which
// any is in force (the version in force on a day being the highest version whose range
// holds it; of two agreements in force that day, the lowest id); when none is in force
// during the period, the one that ended last before it (the highest version of those).
// A month's invoice uses the month; a settlement invoice, the settled year.
#pragma once

#include <span>
#include <string>

#include "core/dates.hpp"
#include "invoice/invoice.hpp"
#include "model/model.hpp"

namespace costcover::invoice {

// `versions`: every version of every agreement of one agency. Null when there is none in
// force during or before the period.
[[nodiscard]] const model::Agreement* header_agreement(std::span<const model::Agreement> versions, DateRange period);

// The header of an agency's invoices of `period`, from header_agreement over `covered`
// (the month itself for monthly invoices, the year for a settlement); without an
// agreement, the defaults (no buyer reference, model::kDefaultPaymentTermsDays).
[[nodiscard]] InvoiceHeader header_for(const std::string& agency, Month period,
                                       std::span<const model::Agreement> versions, DateRange covered);

}  // namespace costcover::invoice
