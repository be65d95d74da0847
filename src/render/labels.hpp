// Every text the HTML invoice and the e-invoices print, in the three languages an agency's documents are
// printed in (agencies.yaml `language`: fi, sv, en). Pure. The English texts are the
// ones the invoice printed before languages came (docs/invoicing.md, "The agency's
// language"); tests/unit/render/labels_test.cpp checks no text is missing in any language.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "render/locale.hpp"

namespace costcover::render {

// Contiguous from 0 up to kLabelCount (all_labels() enumerates them).
enum class Label {
  invoice_title,  // the page's heading
  credit_note_title,
  draft_title,  // before the title of a draft's page
  draft_watermark,
  draft_not_for_payment,
  page,  // "Page N / M"
  bill_to,
  orderer,
  business_id,
  vat_id,
  einvoice_address,
  invoice_number,
  credit_note_number,
  draft_number,  // the number of a draft: "– (draft)"
  issue_date,
  due_date,
  billing_period,
  buyer_reference,
  agreement,
  version_prefix,  // "v3" of an agreement version
  payment_terms,
  days_net,  // after the payment terms' days
  credits_invoice,
  replaces_invoice,
  account_manager,
  reason,
  col_description,
  col_quantity,
  col_unit_price,
  col_vat,
  col_amount,
  subtotal,
  corrections,  // section headings
  settlement,
  fees_and_charges,
  exceptions_applied,
  vat,  // the notes' heading and "VAT 25.5 %"
  vat_note_o,
  vat_category_o,
  vat_category_e,
  vat_category_z,
  vat_category_ae,
  net_suffix,  // "VAT 25.5 % (S), net"
  total_net,
  total_vat,
  total_to_pay,
  total_credited,
  payee,
  iban,
  bic,
  reference_number,
  rf_reference,
  reference_at_finalisation,
  amount,
  barcode,
  einvoice,          // the footer's e-invoice address
  corrects_invoice,  // a correction line's "corrects invoice 2027-000001"
  exemption_reason,  // category E's reason in the notes
  currency_suffix,   // "12.00 EUR"
  // The e-invoices' own texts (render/ubl.cpp, render/finvoice.cpp).
  period_invoiced,  // a UBL invoice's note, before the period
  credit_transfer,  // UBL PaymentMeansCode's name
  nothing_to_pay,   // a UBL credit note's payment terms
};

inline constexpr std::size_t kLabelCount = static_cast<std::size_t>(Label::nothing_to_pay) + 1;

// The text of a label in a language (HTML-safe: entities, no markup).
[[nodiscard]] std::string_view label(Label which, Language language);
[[nodiscard]] std::array<Label, kLabelCount> all_labels();
[[nodiscard]] std::string_view label_name(Label which);  // "invoice_title", for test messages

// A catalog unit (catalog.yaml `unit`) as a document prints it in a language: the units
// of the sample catalog and the common time units (known_units()) in fi, sv and en; any
// other unit as the catalog writes it.
[[nodiscard]] std::string_view unit_label(std::string_view unit, Language language);
[[nodiscard]] std::vector<std::string_view> known_units();

}  // namespace costcover::render
