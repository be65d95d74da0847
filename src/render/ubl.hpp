// Peppol BIS Billing 3.0 (UBL 2.1) e-invoices: a final invoice as a UBL `Invoice` (type
// 380), a credit note as a `CreditNote` (type 381). Pure: values in, text out.
//
// Two steps, so that the business rules (render/ubl_rules.hpp) see exactly what is written:
// ubl_document() turns a PrintedInvoice into a UblDocument whose fields are the texts the
// XML carries (amounts "120.00", quantities "-3", codes), and ubl_xml() writes those
// fields, in the schema's element order, and nothing else: an empty optional field is an
// omitted element.
//
// Signs (docs/einvoicing.md): a UBL price is never negative, so a line with a negative unit
// price (an SLA credit, a correction) puts the sign on the quantity. A CreditNote states
// what is credited as positive amounts: the credit note's lines and totals (negative in the
// database) are written negated, so a credit of -10.00 is a CreditNote of 10.00. A line
// whose amount is not its quantity times its price rounded to the cent (an amount credit,
// the last part credit of a line) is written as quantity 1 (or -1) at the line's amount
// per unit, with the real quantity in the line's note, so that quantity x price = amount.
#pragma once

#include <string>
#include <vector>

#include "invoice/printed.hpp"

namespace costcover::render {

inline constexpr const char* kPeppolCustomization =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
inline constexpr const char* kPeppolProfile = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

struct UblParty {
  std::string endpoint_scheme, endpoint_id;  // 0216 and the OVT code
  std::string name;
  std::string street, city, postcode, country;
  std::string vat_id;                                  // PartyTaxScheme, written only when a category needs it
  std::string legal_name, company_id, company_scheme;  // PartyLegalEntity; scheme 0037 (Y-tunnus)
};

struct UblLine {
  std::string id;
  std::string note;  // empty: none
  std::string quantity, unit_code;
  std::string amount;  // LineExtensionAmount
  std::string item_name, sellers_item_id;
  std::string category, percent;  // percent empty for O
  std::string price;              // PriceAmount, not negative
};

struct UblVat {
  std::string category, percent;  // percent empty for O
  std::string taxable, tax;
  std::string exemption_code, exemption_reason;  // empty: none
};

struct UblDocument {
  bool credit_note = false;
  std::string customization = kPeppolCustomization;
  std::string profile = kPeppolProfile;
  std::string number;
  std::string issue_date, due_date;  // YYYY-MM-DD; due date empty for a credit note
  std::string type_code;             // 380 | 381
  std::string note;
  std::string currency;
  std::string buyer_reference;
  std::string period_start, period_end;
  std::vector<std::string> billing_references;  // invoices credited or corrected, distinct, in order
  UblParty seller, buyer;
  // PaymentMeans: written when the code is not empty (invoices; a credit note has none).
  std::string payment_means_code, payment_means_name, payment_id, iban, bic;
  std::string payment_terms;  // PaymentTerms/Note, empty: none
  std::string tax_total;
  std::vector<UblVat> vat;
  std::string line_extension, tax_exclusive, tax_inclusive, payable;
  std::vector<UblLine> lines;
};

// The UN/ECE Recommendation 20 code of a catalog unit: month -> MON, day-like (day, workday,
// *-day such as participant-day) -> DAY, hour -> HUR, anything else (invoice, payslip, ...)
// -> C62 ("one").
[[nodiscard]] std::string ubl_unit_code(const std::string& catalog_unit);  // also Finvoice's QuantityUnitCodeUN

// The document of a final invoice or credit note. Throws std::invalid_argument naming the
// document for a draft (drafts are never e-invoices) or a unit price that is not a number.
[[nodiscard]] UblDocument ubl_document(const invoice::PrintedInvoice& invoice);

// The XML text, UTF-8, with the XML declaration.
[[nodiscard]] std::string ubl_xml(const UblDocument& document);

// The file name the export writes: NUMBER.xml.
[[nodiscard]] std::string ubl_file_name(const invoice::PrintedInvoice& invoice);

}  // namespace costcover::render
