// Credit notes (pure): a credit note cancels a whole final invoice (docs/invoicing.md,
// "Credit notes").
//
// Who may be credited (check_creditable, InputError otherwise): a final invoice of kind
// invoice that no credit note credits yet, on an issue date not before its own. A credit
// note is never credited, nor is a draft.
//
// What the note holds (credit_note): kind credit_note, the invoice's header (agency,
// period, payment terms, buyer reference, agreement) and VAT group, credited_invoice_id
// and the reason; every line copied in order with its quantity, amount, exact amount and
// lineage quantities negated, the unit price kept, "Credit: " before the description and
// corrects_invoice_id = the invoice (its kind and corrected kind kept). VAT and totals are
// computed again on the negated lines; since rounding is half away from zero, which is
// symmetric, each is the invoice's own negated.
#pragma once

#include <string>

#include "core/dates.hpp"
#include "invoice/document.hpp"
#include "invoice/invoice.hpp"

namespace costcover::invoice {

// Throws InputError when `original` cannot be credited with a note issued on `issue_date`.
void check_creditable(const Document& original, Date issue_date);

// The credit note of `original` (unnumbered; check_invoice holds for it).
[[nodiscard]] Invoice credit_note(const Document& original, const std::string& reason);

}  // namespace costcover::invoice
