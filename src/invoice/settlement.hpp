// The documents of a year's settlement for one agency (pure): its settlement lines split by
// VAT group (assemble_invoices), and per group the kind of document. A group whose lines
// sum to a credit (net below zero: a surplus returned) is a credit note that credits no
// invoice: kind credit_note, no credited_invoice_id, settles_year set and a credit_reason
// saying so; a group that sums to a charge, or to 0.00, stays an invoice. Every document
// carries settles_year (sql/066 holds the rule in the database too). The lines keep their
// signs either way: a credit note's lines are negative, as `costcover credit` makes them.
#pragma once

#include <string>
#include <vector>

#include "core/money.hpp"
#include "invoice/invoice.hpp"

namespace costcover::invoice {

// credit_note when the group's lines sum to a credit (net < 0.00), else invoice.
[[nodiscard]] InvoiceKind settlement_kind(Money net);

// A settlement credit note's reason in the agency's language (core/phrases.hpp): fi
// "Kustannusvastaavuuden tasaus 2026: ylijäämä palautettu", en "Cost-covering settlement
// of 2026: the surplus returned".
[[nodiscard]] std::string settlement_credit_reason(int year, const std::string& language);

// The agency's settlement documents (group O first), each checked (check_invoice); a
// credit note's reason in the agency's language.
[[nodiscard]] std::vector<Invoice> settlement_documents(const InvoiceHeader& header, int year,
                                                        const std::vector<Line>& lines, const std::string& language);

}  // namespace costcover::invoice
