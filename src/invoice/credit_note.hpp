// Credit notes (pure): a credit note credits all of a final invoice or part of it
// (docs/invoicing.md, "Credit notes").
//
// Who may be credited (check_creditable, InputError otherwise): a final invoice of kind
// invoice, on an issue date not before its own. A credit note is never credited, nor is a
// draft. An invoice may have several credit notes, each taking part of what is left.
//
// What is asked (LineCredit, one per line; none asked = every line's rest):
//   what          | the credit line's quantity        | its amount
//   rest          | -(what is left of the quantity)    | -(what is left of the amount)
//   quantity Q    | -Q                                 | -(Q x unit price), rounded half away from
//                 |                                    | zero; when Q is all that is left: the rest
//   amount A      | 0; when A is all that is left of   | -A
//                 | the amount: the rest of the quantity|
// (signs as for a positive line; a negative line, e.g. an SLA credit, is credited with
// positive figures.) Quantity credits are for priced kinds only (usage, over_limit,
// true_up: model::is_priced), whose amount is quantity x unit price. What is left is the
// line plus what earlier credit notes took (Document::credited). Refused (InputError
// naming invoice, line, what was asked and what is left): a line the invoice lacks, a line
// asked twice, a quantity or amount of zero or below, more than is left, a quantity credit
// whose amount would pass what is left of the amount, a line with nothing left, and an
// invoice with nothing left at all. A credit that leaves the invoice fully credited is
// refused while final invoices correct it (Document::corrected_on): those corrections are
// billed money of the month that a new invoice of the month would bill again.
//
// What the note holds (credit_note): kind credit_note, the invoice's header and VAT group,
// credited_invoice_id and the reason; one line per credited line in the invoice's line
// order with the unit price, kind, corrected kind, VAT and description kept (with "Credit: "
// before it, in the invoice's language: Document::language, fi "Hyvitys: ", sv
// "Kreditering: "), corrects_invoice_id = the invoice and credits_line_no = the credited line. A
// line credited whole in one go keeps its lineage negated; a partial credit has none (the
// daily volumes stay on the credited line). VAT and totals are computed on the note's
// lines per category, as on every invoice.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "invoice/document.hpp"
#include "invoice/invoice.hpp"

namespace costcover::invoice {

// What to credit of one line of the invoice: the rest, a quantity, or an amount.
struct LineCredit {
  int line_no = 0;
  std::optional<std::int64_t> quantity;  // units, > 0
  std::optional<Money> amount;           // > 0 (in the line's direction)
};

// Throws InputError when `original` cannot be credited with a note issued on `issue_date`.
void check_creditable(const Document& original, Date issue_date);

// The credit note of `asked` lines of `original` (every line's rest when empty);
// unnumbered; check_invoice holds for it.
[[nodiscard]] Invoice credit_note(const Document& original, const std::vector<LineCredit>& asked,
                                  const std::string& reason);

// Whether `note` leaves nothing of `original` uncredited (then the month is released).
[[nodiscard]] bool fully_credited_by(const Document& original, const Invoice& note);

}  // namespace costcover::invoice
