// A month's invoices as the exports print them (pure values): every invoice and credit
// note of the month with its seller and buyer, its lines (with the service's name and unit) and its
// VAT rows, and the provider. A final document's particulars (seller, buyer, buyer
// reference, payment terms, line texts) are the copy frozen when it became final; a
// draft's are the current ones. The store reads them (store::read_month_invoices), the
// renderers (render/invoice_csv.hpp, render/invoice_html.hpp) print them.
//
// Invariants the store keeps: invoices in export order (agency, invoices before credit
// notes, VAT group, number with drafts first, id); lines in line order; VAT rows in
// (category, rate) order. Unit prices and VAT rates are the database's decimal text
// ("12.3400", "25.50"), as the formats print them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"
#include "invoice/document.hpp"
#include "invoice/invoice.hpp"
#include "model/line_kind.hpp"

namespace costcover::invoice {

// The provider or a buying agency, as its details name it (empty where it has none).
struct Party {
  std::string name, business_id, vat_id, street, postcode, city, country, einvoice_scheme, einvoice_id, iban, bic,
      branch, account_manager, orderer;
  // The e-invoice operator's id (Finvoice's intermediator), empty when the files give none.
  std::string einvoice_operator;
};

struct PrintedLine {
  int line_no = 0;
  model::LineKind kind = model::LineKind::usage;
  std::string service;       // fees and charges: the service they pay for
  std::string service_name;  // of the catalog, empty when none
  std::string unit;          // of the catalog, empty when none
  std::string description;
  std::int64_t quantity = 0;
  std::string unit_price;  // decimal text, 4 decimals
  Money amount;
  std::string vat_category;  // code: "O", "S", ...
  std::string vat_rate;      // decimal text, empty for O
  std::string agreement_id;
  std::string agreement_version;  // empty when the line has none
  std::string exception_id;
  std::string exception_reason;
  std::string vat_exemption_reason;  // category E: the catalog's reason; empty otherwise
  std::string corrects_number;       // a correction or credit line: the number of the invoice it corrects
};

struct PrintedVat {
  std::string category;  // code
  std::string rate;      // decimal text, empty for O
  Money net;
  Money vat;
};

struct PrintedInvoice {
  std::int64_t id = 0;
  std::string number;  // empty for a draft
  InvoiceStatus status = InvoiceStatus::draft;
  InvoiceKind kind = InvoiceKind::invoice;
  std::string agency;
  Month period{2000, 1};
  VatGroup group = VatGroup::not_subject;
  std::optional<Date> issue_date;
  std::optional<Date> due_date;
  int payment_terms_days = 0;
  std::string buyer_reference;
  std::string agreement_id;       // empty when none
  std::string agreement_version;  // empty when none
  Money net;
  Money vat_total;
  Money gross;
  std::string credited_number;  // a credit note: the invoice it credits
  std::string replaces_number;  // an invoice billed again: the invoice credited in full it replaces
  std::string credit_reason;
  std::string currency = "EUR";
  // The payment reference fixed at finalisation: the Finnish reference number (viitenumero,
  // digits only, 7-3-1 check digit) and its RF creditor-reference form (ISO 11649). Empty
  // for a draft.
  std::string reference;
  std::string rf_reference;
  std::string language = "fi";  // the agency's: fi | sv | en; frozen with the particulars
  Party buyer;
  // The provider as this document prints it: the copy frozen at finalisation for a final
  // document, the current provider for a draft (docs/invoicing.md).
  Party seller;
  std::vector<PrintedLine> lines;
  std::vector<PrintedVat> vat;
};

struct MonthInvoices {
  Month period{2000, 1};
  std::optional<Party> provider;  // the current one; none before `costcover contracts load`
  std::vector<PrintedInvoice> invoices;
};

}  // namespace costcover::invoice
