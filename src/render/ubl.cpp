// UBL 2.1 Invoice / CreditNote per Peppol BIS Billing 3.0 (render/ubl.hpp). The writer
// follows the sequence of the UBL 2.1 schemas (xsd/maindoc/UBL-Invoice-2.1.xsd and
// UBL-CreditNote-2.1.xsd): an element out of order is a schema error.
#include "render/ubl.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/decimal.hpp"
#include "core/text.hpp"
#include "render/labels.hpp"

namespace costcover::render {
namespace {

using invoice::InvoiceKind;
using invoice::PrintedInvoice;
using invoice::PrintedLine;

// The document's own texts in the agency's language (fi when the language is unknown).
// The document's own texts in the agency's language (render/labels.hpp).
struct Texts {
  std::string period_note;      // followed by the period
  std::string credit_transfer;  // PaymentMeansCode/@name
  std::string credit_terms;     // a credit note's PaymentTerms
  std::string quantity;         // a line's real quantity, when the line is written as a lump
};

Texts texts(const std::string& language) {
  const Language printed = language_or_default(language);
  return Texts{std::string(label(Label::period_invoiced, printed)) + " ",
               std::string(label(Label::credit_transfer, printed)), std::string(label(Label::nothing_to_pay, printed)),
               std::string(label(Label::col_quantity, printed))};
}

UblParty party(const invoice::Party& from, bool with_vat_id) {
  UblParty out;
  out.endpoint_scheme = from.einvoice_scheme;
  out.endpoint_id = from.einvoice_id;
  out.name = from.name;
  out.street = from.street;
  out.city = from.city;
  out.postcode = from.postcode;
  out.country = from.country;
  if (with_vat_id) out.vat_id = from.vat_id;
  out.legal_name = from.name;
  out.company_id = from.business_id;
  out.company_scheme = from.business_id.empty() ? "" : "0037";
  return out;
}

std::string percent_text(const std::string& category, const std::string& rate) {
  if (category == "O") return "";
  return rate.empty() ? "0" : rate;
}

UblLine line_of(const PrintedLine& line, bool negate, const Texts& text, const std::string& number) {
  UblLine out;
  out.id = std::to_string(line.line_no);
  Decimal price;
  try {
    price = Decimal::parse(line.unit_price.empty() ? "0" : line.unit_price);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("invoice " + number + " line " + out.id + ": unit price: " + error.what());
  }
  std::int64_t quantity = negate ? -line.quantity : line.quantity;
  const Money amount = negate ? -line.amount : line.amount;
  if (price < Decimal{}) {
    price = -price;
    quantity = -quantity;
  }
  if (multiply_round(quantity, price) == amount) {
    out.quantity = std::to_string(quantity);
    out.unit_code = ubl_unit_code(line.unit);
    out.price = price.to_string(4);
  } else {
    // An amount that is not quantity x price (an amount credit, a part credit's last
    // cents): one lump at the amount, the real quantity in the note.
    out.quantity = amount < Money{} ? "-1" : "1";
    out.unit_code = "C62";
    out.price = (amount < Money{} ? -amount : amount).to_string();
    out.note = text.quantity + ": " + std::to_string(quantity) + (line.unit.empty() ? "" : " " + line.unit);
  }
  out.amount = amount.to_string();
  out.item_name = line.service_name.empty() ? line.description : line.service_name;
  out.sellers_item_id = line.service;
  out.category = line.vat_category;
  out.percent = percent_text(line.vat_category, line.vat_rate);
  return out;
}

// The exemption of a VAT breakdown: O and AE by their VATEX code, E by the catalog's reason
// (a code when it is one, "VATEX-...", the text otherwise).
void exemption(UblVat& vat, const PrintedInvoice& invoice) {
  if (vat.category == "O") {
    vat.exemption_code = "VATEX-EU-O";
  } else if (vat.category == "AE") {
    vat.exemption_code = "VATEX-EU-AE";
  } else if (vat.category == "E") {
    for (const auto& line : invoice.lines) {
      if (line.vat_category != "E" || line.vat_exemption_reason.empty()) continue;
      if (line.vat_exemption_reason.rfind("VATEX-", 0) == 0) {
        vat.exemption_code = line.vat_exemption_reason;
      } else {
        vat.exemption_reason = line.vat_exemption_reason;
      }
      break;
    }
  }
}

// XML writing: one element per call, indented two spaces per level.
class Writer {
 public:
  void open(const std::string& name, int depth, const std::string& attributes = "") {
    out_ += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "<" + name + attributes + ">\n";
  }
  void close(const std::string& name, int depth) {
    out_ += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "</" + name + ">\n";
  }
  // A leaf, omitted when the value is empty (Peppol forbids empty elements).
  void leaf(const std::string& name, const std::string& value, int depth, const std::string& attributes = "") {
    if (value.empty()) return;
    out_ += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "<" + name + attributes + ">" + xml_escape(value) +
            "</" + name + ">\n";
  }
  [[nodiscard]] std::string text() const { return out_; }

 private:
  std::string out_;
};

std::string attribute(const std::string& name, const std::string& value) {
  return value.empty() ? "" : " " + name + "=\"" + xml_escape(value) + "\"";
}

void write_party(Writer& xml, const std::string& role, const UblParty& p) {
  xml.open("cac:" + role, 1);
  xml.open("cac:Party", 2);
  xml.leaf("cbc:EndpointID", p.endpoint_id, 3, attribute("schemeID", p.endpoint_scheme));
  if (!p.name.empty()) {
    xml.open("cac:PartyName", 3);
    xml.leaf("cbc:Name", p.name, 4);
    xml.close("cac:PartyName", 3);
  }
  xml.open("cac:PostalAddress", 3);
  xml.leaf("cbc:StreetName", p.street, 4);
  xml.leaf("cbc:CityName", p.city, 4);
  xml.leaf("cbc:PostalZone", p.postcode, 4);
  xml.open("cac:Country", 4);
  xml.leaf("cbc:IdentificationCode", p.country, 5);
  xml.close("cac:Country", 4);
  xml.close("cac:PostalAddress", 3);
  if (!p.vat_id.empty()) {
    xml.open("cac:PartyTaxScheme", 3);
    xml.leaf("cbc:CompanyID", p.vat_id, 4);
    xml.open("cac:TaxScheme", 4);
    xml.leaf("cbc:ID", "VAT", 5);
    xml.close("cac:TaxScheme", 4);
    xml.close("cac:PartyTaxScheme", 3);
  }
  xml.open("cac:PartyLegalEntity", 3);
  xml.leaf("cbc:RegistrationName", p.legal_name, 4);
  xml.leaf("cbc:CompanyID", p.company_id, 4, attribute("schemeID", p.company_scheme));
  xml.close("cac:PartyLegalEntity", 3);
  xml.close("cac:Party", 2);
  xml.close("cac:" + role, 1);
}

void write_tax_category(Writer& xml, const std::string& element, const std::string& category,
                        const std::string& percent, const std::string& code, const std::string& reason, int depth) {
  xml.open("cac:" + element, depth);
  xml.leaf("cbc:ID", category, depth + 1);
  xml.leaf("cbc:Percent", percent, depth + 1);
  xml.leaf("cbc:TaxExemptionReasonCode", code, depth + 1);
  xml.leaf("cbc:TaxExemptionReason", reason, depth + 1);
  xml.open("cac:TaxScheme", depth + 1);
  xml.leaf("cbc:ID", "VAT", depth + 2);
  xml.close("cac:TaxScheme", depth + 1);
  xml.close("cac:" + element, depth);
}

}  // namespace

std::string ubl_unit_code(const std::string& catalog_unit) {
  if (catalog_unit == "month") return "MON";
  const bool day_like = catalog_unit == "day" || catalog_unit == "workday" || catalog_unit.ends_with("-day") ||
                        catalog_unit.ends_with("_day");
  if (day_like) return "DAY";
  if (catalog_unit == "hour") return "HUR";
  return "C62";
}

std::string ubl_file_name(const PrintedInvoice& invoice) { return invoice.number + ".xml"; }

UblDocument ubl_document(const PrintedInvoice& invoice) {
  if (invoice.status != invoice::InvoiceStatus::final || invoice.number.empty()) {
    throw std::invalid_argument("invoice id " + std::to_string(invoice.id) + " of " + invoice.agency +
                                " is a draft; drafts are never e-invoices");
  }
  const Texts text = texts(invoice.language);
  const bool credit = invoice.kind == InvoiceKind::credit_note;
  auto sign = [credit](Money amount) { return credit ? -amount : amount; };
  UblDocument doc;
  doc.credit_note = credit;
  doc.number = invoice.number;
  if (invoice.issue_date) doc.issue_date = format_date(*invoice.issue_date);
  if (invoice.due_date && !credit) doc.due_date = format_date(*invoice.due_date);
  doc.type_code = credit ? "381" : "380";
  doc.note =
      credit && !invoice.credit_reason.empty() ? invoice.credit_reason : text.period_note + invoice.period.to_string();
  doc.currency = invoice.currency;
  doc.buyer_reference = invoice.buyer_reference;
  doc.period_start = format_date(invoice.period.first_day());
  doc.period_end = format_date(invoice.period.last_day());
  auto refer = [&doc, &invoice](const std::string& number) {
    if (number.empty() || number == invoice.number) return;
    if (std::find(doc.billing_references.begin(), doc.billing_references.end(), number) ==
        doc.billing_references.end()) {
      doc.billing_references.push_back(number);
    }
  };
  refer(invoice.credited_number);
  for (const auto& line : invoice.lines) refer(line.corrects_number);

  const bool needs_vat_id = std::any_of(invoice.lines.begin(), invoice.lines.end(),
                                        [](const PrintedLine& line) { return line.vat_category != "O"; });
  doc.seller = party(invoice.seller, needs_vat_id);
  doc.buyer = party(invoice.buyer, needs_vat_id);

  if (credit) {
    doc.payment_terms = text.credit_terms;
  } else {
    doc.payment_means_code = "30";
    doc.payment_means_name = text.credit_transfer;
    doc.payment_id = invoice.rf_reference.empty() ? invoice.reference : invoice.rf_reference;
    doc.iban = invoice.seller.iban;
    doc.bic = invoice.seller.bic;
  }

  doc.tax_total = sign(invoice.vat_total).to_string();
  for (const auto& row : invoice.vat) {
    UblVat vat;
    vat.category = row.category;
    vat.percent = percent_text(row.category, row.rate);
    vat.taxable = sign(row.net).to_string();
    vat.tax = sign(row.vat).to_string();
    exemption(vat, invoice);
    doc.vat.push_back(vat);
  }
  doc.line_extension = sign(invoice.net).to_string();
  doc.tax_exclusive = doc.line_extension;
  doc.tax_inclusive = sign(invoice.gross).to_string();
  doc.payable = doc.tax_inclusive;
  for (const auto& line : invoice.lines) doc.lines.push_back(line_of(line, credit, text, invoice.number));
  return doc;
}

std::string ubl_xml(const UblDocument& doc) {
  const std::string root = doc.credit_note ? "CreditNote" : "Invoice";
  const std::string line_element = doc.credit_note ? "cac:CreditNoteLine" : "cac:InvoiceLine";
  const std::string quantity_element = doc.credit_note ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity";
  const std::string currency = attribute("currencyID", doc.currency);
  Writer xml;
  std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml.open(root, 0,
           " xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:" + root +
               "-2\""
               " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
               " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\"");
  xml.leaf("cbc:CustomizationID", doc.customization, 1);
  xml.leaf("cbc:ProfileID", doc.profile, 1);
  xml.leaf("cbc:ID", doc.number, 1);
  xml.leaf("cbc:IssueDate", doc.issue_date, 1);
  if (!doc.credit_note) xml.leaf("cbc:DueDate", doc.due_date, 1);
  xml.leaf(doc.credit_note ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", doc.type_code, 1);
  xml.leaf("cbc:Note", doc.note, 1);
  xml.leaf("cbc:DocumentCurrencyCode", doc.currency, 1);
  xml.leaf("cbc:BuyerReference", doc.buyer_reference, 1);
  if (!doc.period_start.empty() || !doc.period_end.empty()) {
    xml.open("cac:InvoicePeriod", 1);
    xml.leaf("cbc:StartDate", doc.period_start, 2);
    xml.leaf("cbc:EndDate", doc.period_end, 2);
    xml.close("cac:InvoicePeriod", 1);
  }
  for (const auto& number : doc.billing_references) {
    xml.open("cac:BillingReference", 1);
    xml.open("cac:InvoiceDocumentReference", 2);
    xml.leaf("cbc:ID", number, 3);
    xml.close("cac:InvoiceDocumentReference", 2);
    xml.close("cac:BillingReference", 1);
  }
  write_party(xml, "AccountingSupplierParty", doc.seller);
  write_party(xml, "AccountingCustomerParty", doc.buyer);
  if (!doc.payment_means_code.empty()) {
    xml.open("cac:PaymentMeans", 1);
    xml.leaf("cbc:PaymentMeansCode", doc.payment_means_code, 2, attribute("name", doc.payment_means_name));
    xml.leaf("cbc:PaymentID", doc.payment_id, 2);
    if (!doc.iban.empty() || !doc.bic.empty()) {
      xml.open("cac:PayeeFinancialAccount", 2);
      xml.leaf("cbc:ID", doc.iban, 3);
      if (!doc.bic.empty()) {
        xml.open("cac:FinancialInstitutionBranch", 3);
        xml.leaf("cbc:ID", doc.bic, 4);
        xml.close("cac:FinancialInstitutionBranch", 3);
      }
      xml.close("cac:PayeeFinancialAccount", 2);
    }
    xml.close("cac:PaymentMeans", 1);
  }
  if (!doc.payment_terms.empty()) {
    xml.open("cac:PaymentTerms", 1);
    xml.leaf("cbc:Note", doc.payment_terms, 2);
    xml.close("cac:PaymentTerms", 1);
  }
  xml.open("cac:TaxTotal", 1);
  xml.leaf("cbc:TaxAmount", doc.tax_total, 2, currency);
  for (const auto& vat : doc.vat) {
    xml.open("cac:TaxSubtotal", 2);
    xml.leaf("cbc:TaxableAmount", vat.taxable, 3, currency);
    xml.leaf("cbc:TaxAmount", vat.tax, 3, currency);
    write_tax_category(xml, "TaxCategory", vat.category, vat.percent, vat.exemption_code, vat.exemption_reason, 3);
    xml.close("cac:TaxSubtotal", 2);
  }
  xml.close("cac:TaxTotal", 1);
  xml.open("cac:LegalMonetaryTotal", 1);
  xml.leaf("cbc:LineExtensionAmount", doc.line_extension, 2, currency);
  xml.leaf("cbc:TaxExclusiveAmount", doc.tax_exclusive, 2, currency);
  xml.leaf("cbc:TaxInclusiveAmount", doc.tax_inclusive, 2, currency);
  xml.leaf("cbc:PayableAmount", doc.payable, 2, currency);
  xml.close("cac:LegalMonetaryTotal", 1);
  for (const auto& line : doc.lines) {
    xml.open(line_element, 1);
    xml.leaf("cbc:ID", line.id, 2);
    xml.leaf("cbc:Note", line.note, 2);
    xml.leaf(quantity_element, line.quantity, 2, attribute("unitCode", line.unit_code));
    xml.leaf("cbc:LineExtensionAmount", line.amount, 2, currency);
    xml.open("cac:Item", 2);
    xml.leaf("cbc:Name", line.item_name, 3);
    if (!line.sellers_item_id.empty()) {
      xml.open("cac:SellersItemIdentification", 3);
      xml.leaf("cbc:ID", line.sellers_item_id, 4);
      xml.close("cac:SellersItemIdentification", 3);
    }
    write_tax_category(xml, "ClassifiedTaxCategory", line.category, line.percent, "", "", 3);
    xml.close("cac:Item", 2);
    xml.open("cac:Price", 2);
    xml.leaf("cbc:PriceAmount", line.price, 3, currency);
    xml.close("cac:Price", 2);
    xml.close(line_element, 1);
  }
  xml.close(root, 0);
  return head + xml.text();
}

}  // namespace costcover::render
