// Terminal tables (pure): what the commands print, from the jobs' summary values.
// Sections: invoicing (bill, finalize) first; the costing tables follow below it.
#pragma once

#include <string>
#include <vector>

#include "invoice/billing.hpp"
#include "invoice/document.hpp"

namespace costcover::render {

// --- Invoicing ---------------------------------------------------------------------------

// `costcover bill`: the run's line, the readiness warning, one row per agency (total,
// previous month, change with its percent to one decimal, rounded half away from zero),
// its corrections and findings, and what was written.
[[nodiscard]] std::string billing_table(const invoice::BillingSummary& summary);

// `costcover finalize`: one row per numbered invoice (number, agency, VAT group, gross,
// due date), indented.
[[nodiscard]] std::string finalized_table(const std::vector<invoice::NumberedInvoice>& invoices);

// --- Costing -----------------------------------------------------------------------------

}  // namespace costcover::render
