// Invoices as the database holds them (pure values): the assembled Invoice plus what
// finalisation gave it (status, number, dates), and what numbering hands back. The store
// (store/invoices.hpp) reads and writes these.
//
// Invariants the store keeps: a draft has no number and no dates, a final invoice has all
// three; a document's lines are in line order (line_no = index + 1); its VAT rows are in
// (category code, rate) order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "invoice/invoice.hpp"
#include "model/model.hpp"

namespace costcover::invoice {

enum class InvoiceStatus { draft, final };
[[nodiscard]] std::string to_string(InvoiceStatus status);  // "draft", "final"
[[nodiscard]] InvoiceStatus parse_invoice_status(const std::string& text);

// What the credit notes of an invoice took from one of its lines so far (zero or the
// opposite sign of the line).
struct LineCredited {
  std::int64_t quantity = 0;
  Money amount;
  Decimal exact_amount;
};

// One invoice or credit note of the database.
struct Document {
  std::int64_t id = 0;
  InvoiceStatus status = InvoiceStatus::draft;
  std::string number;              // empty for a draft
  std::optional<Date> issue_date;  // final documents
  std::optional<Date> due_date;
  std::string credited_number;            // a credit note: the number of the invoice it credits
  std::string credited_by;                // an invoice: the numbers of the credit notes crediting it, ", "-joined
  std::vector<LineCredited> credited;     // an invoice: per line (index = line_no - 1), what credit notes took
  std::vector<std::string> corrected_on;  // an invoice: "NUMBER line K" of final invoices (not credited in full)
                                          // whose correction lines correct it
  Invoice invoice;                        // header, kind, VAT group, lines, VAT rows, totals
  std::string language = "fi";            // a final invoice: its frozen particulars' (fi | sv | en)
};

// An invoice that numbering made final.
struct NumberedInvoice {
  std::string number;
  std::string agency;
  VatGroup group = VatGroup::not_subject;
  Money gross;
  std::optional<Date> due_date;  // none on a credit note
};

}  // namespace costcover::invoice
