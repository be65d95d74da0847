// Finvoice 3.0 documents (render/finvoice.hpp, docs/finvoice.md). Element order follows
// the schema's sequences exactly; optional elements are left out when their value is empty.
#include "render/finvoice.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/reference.hpp"
#include "core/text.hpp"
#include "render/labels.hpp"
#include "render/ubl.hpp"

namespace costcover::render {
namespace {

using invoice::Party;
using invoice::PrintedInvoice;
using invoice::PrintedLine;

bool is_credit(const PrintedInvoice& invoice) { return invoice.kind == invoice::InvoiceKind::credit_note; }

// The document's own texts in the agency's language (render/labels.hpp).
struct Texts {
  std::string invoice_type;
  std::string credit_type;
  std::string days_net;  // after the payment terms' days
};

std::optional<Texts> texts_for(const std::string& language) {
  const auto printed = parse_language(language);
  if (!printed) return std::nullopt;
  return Texts{std::string(label(Label::invoice_title, *printed)),
               std::string(label(Label::credit_note_title, *printed)), std::string(label(Label::days_net, *printed))};
}

// Characters (code points) of UTF-8 text: the schema's lengths count characters.
std::size_t length_of(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

// At most `max` characters, cut at a character boundary, trailing spaces dropped.
std::string truncated(std::string_view text, std::size_t max) {
  std::size_t chars = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0U) != 0x80U) {
      if (chars == max) break;
      ++chars;
    }
    ++end;
  }
  std::string out(text.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "1234.50" -> "1234,50"; "-0.05" -> "-0,05".
std::string amount_text(Money amount) {
  std::string text = amount.to_string();
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

// A decimal text ("12.3400", "25.50", "24") with a comma, at least `min_fraction` and at
// most `max_fraction` decimals; empty when the text is not such a decimal.
std::string comma_decimal(std::string_view text, int min_fraction, int max_fraction) {
  if (text.empty()) return "";
  std::string_view digits = text;
  std::string sign;
  if (digits.front() == '-') {
    sign = "-";
    digits.remove_prefix(1);
  }
  const auto point = digits.find('.');
  std::string whole(digits.substr(0, point));
  std::string fraction(point == std::string_view::npos ? "" : digits.substr(point + 1));
  const auto all_digits = [](const std::string& part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction)) return "";
  if (point != std::string_view::npos && fraction.empty()) return "";
  while (static_cast<int>(fraction.size()) > min_fraction && fraction.back() == '0' &&
         static_cast<int>(fraction.size()) > max_fraction) {
    fraction.pop_back();
  }
  if (static_cast<int>(fraction.size()) > max_fraction) return "";
  while (static_cast<int>(fraction.size()) < min_fraction) fraction += '0';
  return sign + whole + (fraction.empty() ? "" : "," + fraction);
}

// A VAT rate as Finvoice's percentage ("25,50", "0"): at most 3 integer digits and 3
// decimals; empty when the rate does not fit. No rate (category O) is 0.
std::string percent_text(const std::string& rate) {
  if (rate.empty()) return "0";
  std::string text = comma_decimal(rate, 0, 3);
  if (text.empty() || text.front() == '-') return "";
  const auto comma = text.find(',');
  if ((comma == std::string::npos ? text.size() : comma) > 3) return "";
  return text;
}

std::string date_text(Date day) {
  std::string text = format_date(day);
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

bool has_address(const Party& party) { return !party.street.empty() && !party.city.empty() && !party.postcode.empty(); }

// Whether a category needs the parties' VAT ids: any but "not subject" (O).
bool needs_vat_id(const PrintedInvoice& invoice) {
  return std::any_of(invoice.lines.begin(), invoice.lines.end(),
                     [](const PrintedLine& line) { return line.vat_category != "O"; });
}

class Checker {
 public:
  void fail(const char* rule, const std::string& what) { failures_.push_back({rule, std::string(rule) + ": " + what}); }

  // `field` is `value` of min..max characters (min 0: may be empty).
  void length(const char* rule, const std::string& field, const std::string& value, std::size_t min, std::size_t max) {
    const std::size_t chars = length_of(value);
    if (chars == 0 && min > 0) {
      fail(rule, fmt::format("{} is empty; Finvoice needs {} to {} characters", field, min, max));
    } else if (chars < min || chars > max) {
      fail(rule, fmt::format("{} \"{}\" has {} characters; Finvoice allows {} to {}", field, value, chars, min, max));
    }
  }

  std::vector<FinvoiceFailure> take() { return std::move(failures_); }

 private:
  std::vector<FinvoiceFailure> failures_;
};

void check_party(Checker& check, const char* who, const Party& party) {
  check.length("FINVOICE-PARTY", std::string(who) + " name", party.name, 2, 70);
  if (has_address(party)) {
    check.length("FINVOICE-PARTY", std::string(who) + " street", party.street, 2, 35);
    check.length("FINVOICE-PARTY", std::string(who) + " city", party.city, 2, 35);
    check.length("FINVOICE-PARTY", std::string(who) + " postcode", party.postcode, 2, 35);
  }
  check.length("FINVOICE-PARTY", std::string(who) + " business id", party.business_id, 0, 35);
  check.length("FINVOICE-OVT", std::string(who) + " OVT code (e-invoice id)", party.einvoice_id, 2, 35);
  check.length("FINVOICE-OPERATOR", std::string(who) + " e-invoice operator", party.einvoice_operator, 2, 35);
}

void check_sums(Checker& check, const PrintedInvoice& invoice) {
  Money rows;
  for (const auto& line : invoice.lines) rows = rows + line.amount;
  if (rows != invoice.net) {
    check.fail("FINVOICE-SUM-ROWS", fmt::format("the rows sum to {} but the VAT-excluded total is {}", rows.to_string(),
                                                invoice.net.to_string()));
  }
  Money bases;
  Money vats;
  for (const auto& vat : invoice.vat) {
    bases = bases + vat.net;
    vats = vats + vat.vat;
    Money lines;
    for (const auto& line : invoice.lines) {
      if (line.vat_category == vat.category && line.vat_rate == vat.rate) lines = lines + line.amount;
    }
    const std::string key = vat.category + (vat.rate.empty() ? "" : " " + vat.rate + "%");
    if (lines != vat.net) {
      check.fail("FINVOICE-SUM-VAT-BASE", fmt::format("the rows of VAT {} sum to {} but its VAT base is {}", key,
                                                      lines.to_string(), vat.net.to_string()));
    }
    const std::string percent = percent_text(vat.rate);
    if (percent.empty()) {
      check.fail("FINVOICE-DECIMAL", fmt::format("VAT rate \"{}\" of VAT {} is not a percentage Finvoice can write "
                                                 "(at most 3 digits and 3 decimals)",
                                                 vat.rate, key));
    } else {
      const Money expected = vat.rate.empty() ? Money() : percent_of(vat.net, Decimal::parse(vat.rate));
      if (expected != vat.vat) {
        check.fail("FINVOICE-VAT-AMOUNT", fmt::format("VAT {} on {} is {} but the rate gives {}", key,
                                                      vat.net.to_string(), vat.vat.to_string(), expected.to_string()));
      }
    }
  }
  if (bases != invoice.net) {
    check.fail("FINVOICE-SUM-VAT-BASE", fmt::format("the VAT bases sum to {} but the VAT-excluded total is {}",
                                                    bases.to_string(), invoice.net.to_string()));
  }
  for (const auto& line : invoice.lines) {
    const bool has_row = std::any_of(invoice.vat.begin(), invoice.vat.end(), [&](const invoice::PrintedVat& vat) {
      return vat.category == line.vat_category && vat.rate == line.vat_rate;
    });
    if (!has_row) {
      check.fail("FINVOICE-SUM-VAT-BASE", fmt::format("line {} has VAT {} {} but the document has no such VAT row",
                                                      line.line_no, line.vat_category, line.vat_rate));
    }
  }
  if (vats != invoice.vat_total) {
    check.fail("FINVOICE-SUM-VAT", fmt::format("the VAT rows sum to {} but the VAT total is {}", vats.to_string(),
                                               invoice.vat_total.to_string()));
  }
  if (invoice.net + invoice.vat_total != invoice.gross) {
    check.fail("FINVOICE-SUM-TOTAL",
               fmt::format("VAT-excluded total {} + VAT {} = {} but the VAT-included total is {}",
                           invoice.net.to_string(), invoice.vat_total.to_string(),
                           (invoice.net + invoice.vat_total).to_string(), invoice.gross.to_string()));
  }
}

void check_lines(Checker& check, const PrintedInvoice& invoice) {
  for (const auto& line : invoice.lines) {
    const std::string at = fmt::format("line {} ", line.line_no);
    check.length("FINVOICE-LENGTH", at + "service id", line.service, 0, 70);
    check.length("FINVOICE-LENGTH", at + "item name", line.service_name.empty() ? line.description : line.service_name,
                 0, 100);
    check.length("FINVOICE-LENGTH", at + "description", line.description, 0, 512);
    check.length("FINVOICE-LENGTH", at + "agreement id", line.agreement_id, 0, 70);
    check.length("FINVOICE-LENGTH", at + "corrected invoice number", line.corrects_number, 0, 20);
    check.length("FINVOICE-LENGTH", at + "VAT exemption reason", line.vat_exemption_reason, 0, 70);
    if (!line.unit_price.empty() && comma_decimal(line.unit_price, 2, 5).empty()) {
      check.fail("FINVOICE-DECIMAL",
                 fmt::format("{}unit price \"{}\" is not a decimal of at most 5 decimals", at, line.unit_price));
    }
  }
}

void check_reference(Checker& check, const PrintedInvoice& invoice) {
  if (!invoice.reference.empty() && !valid_reference(invoice.reference)) {
    check.fail("FINVOICE-REFERENCE", fmt::format("reference number \"{}\" is not a Finnish reference number (4 to 20 "
                                                 "digits, the last a 7-3-1 check digit)",
                                                 invoice.reference));
  }
  if (!invoice.rf_reference.empty() && !valid_rf_reference(invoice.rf_reference)) {
    check.fail("FINVOICE-REFERENCE",
               fmt::format("RF reference \"{}\" is not an ISO 11649 creditor reference", invoice.rf_reference));
  }
  if (!is_credit(invoice) && invoice.gross.cents() > 0 && invoice.reference.empty() && invoice.rf_reference.empty()) {
    check.fail("FINVOICE-REFERENCE",
               fmt::format("an invoice of {} to pay has no reference number", invoice.gross.to_string()));
  }
}

// ---- writing ----

class Xml {
 public:
  void open(std::string_view name, std::string_view attributes = "") {
    indent();
    out_ += "<" + std::string(name) + (attributes.empty() ? "" : " " + std::string(attributes)) + ">\n";
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</" + std::string(name) + ">\n";
  }
  // <name attributes>text</name>; `text` is escaped, `attributes` written as given.
  void leaf(std::string_view name, std::string_view text, std::string_view attributes = "") {
    indent();
    out_ += "<" + std::string(name) + (attributes.empty() ? "" : " " + std::string(attributes)) + ">" +
            xml_escape(text) + "</" + std::string(name) + ">\n";
  }
  void optional(std::string_view name, std::string_view text) {
    if (!text.empty()) leaf(name, text);
  }
  void amount(std::string_view name, Money value, const std::string& currency) {
    leaf(name, amount_text(value), "AmountCurrencyIdentifier=\"" + xml_escape(currency) + "\"");
  }
  void date(std::string_view name, Date day) { leaf(name, date_text(day), "Format=\"CCYYMMDD\""); }
  std::string take() { return std::move(out_); }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  std::string out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  int depth_ = 0;
};

std::string attribute(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + xml_escape(value) + "\"";
}

void write_transmission(Xml& xml, const PrintedInvoice& invoice) {
  const auto scheme = [](const Party& party) {
    return party.einvoice_scheme.empty() ? std::string() : attribute("SchemeID", party.einvoice_scheme);
  };
  xml.open("MessageTransmissionDetails");
  xml.open("MessageSenderDetails");
  xml.leaf("FromIdentifier", invoice.seller.einvoice_id, scheme(invoice.seller));
  xml.leaf("FromIntermediator", invoice.seller.einvoice_operator);
  xml.close("MessageSenderDetails");
  xml.open("MessageReceiverDetails");
  xml.leaf("ToIdentifier", invoice.buyer.einvoice_id, scheme(invoice.buyer));
  xml.leaf("ToIntermediator", invoice.buyer.einvoice_operator);
  xml.close("MessageReceiverDetails");
  xml.open("MessageDetails");
  xml.leaf("MessageIdentifier", invoice.number);
  xml.leaf("MessageTimeStamp", format_date(*invoice.issue_date) + "T00:00:00");
  xml.close("MessageDetails");
  xml.close("MessageTransmissionDetails");
}

// SellerPartyDetails or BuyerPartyDetails (`role` "Seller" or "Buyer").
void write_party(Xml& xml, const std::string& role, const Party& party, bool vat_id) {
  xml.open(role + "PartyDetails");
  if (!party.business_id.empty()) xml.leaf(role + "PartyIdentifier", party.business_id, attribute("SchemeID", "0037"));
  xml.leaf(role + "OrganisationName", party.name);
  if (vat_id) xml.optional(role + "OrganisationTaxCode", party.vat_id);
  if (has_address(party)) {
    xml.open(role + "PostalAddressDetails");
    xml.leaf(role + "StreetName", party.street);
    xml.leaf(role + "TownName", party.city);
    xml.leaf(role + "PostCodeIdentifier", party.postcode);
    if (length_of(party.country) == 2) xml.leaf("CountryCode", party.country);
    xml.close(role + "PostalAddressDetails");
  }
  xml.close(role + "PartyDetails");
}

void write_vat(Xml& xml, const PrintedInvoice& invoice) {
  for (const auto& vat : invoice.vat) {
    xml.open("VatSpecificationDetails");
    xml.amount("VatBaseAmount", vat.net, invoice.currency);
    xml.leaf("VatRatePercent", percent_text(vat.rate));
    xml.leaf("VatCode", vat.category);
    xml.amount("VatRateAmount", vat.vat, invoice.currency);
    if (vat.category == "E") {
      const auto reason = std::find_if(invoice.lines.begin(), invoice.lines.end(), [&](const PrintedLine& line) {
        return line.vat_category == "E" && line.vat_rate == vat.rate && !line.vat_exemption_reason.empty();
      });
      if (reason != invoice.lines.end()) xml.leaf("VatFreeText", reason->vat_exemption_reason);
    }
    if (vat.category == "O") xml.leaf("VatExemptionReasonCode", "VATEX-EU-O");
    xml.close("VatSpecificationDetails");
  }
}

void write_details(Xml& xml, const PrintedInvoice& invoice, const Texts& texts) {
  const bool credit = is_credit(invoice);
  const std::string& currency = invoice.currency;
  xml.open("InvoiceDetails");
  xml.leaf("InvoiceTypeCode", credit ? "INV02" : "INV01");
  xml.leaf("InvoiceTypeCodeUN", credit ? "381" : "380");
  xml.leaf("InvoiceTypeText", credit ? texts.credit_type : texts.invoice_type);
  xml.leaf("OriginCode", "Original");
  xml.leaf("InvoiceNumber", invoice.number);
  xml.date("InvoiceDate", *invoice.issue_date);
  xml.optional("OriginalInvoiceNumber", invoice.credited_number);
  xml.date("InvoicingPeriodStartDate", invoice.period.first_day());
  xml.date("InvoicingPeriodEndDate", invoice.period.last_day());
  xml.optional("AgreementIdentifier", invoice.agreement_id);
  xml.optional("BuyerReferenceIdentifier", invoice.buyer_reference);
  xml.amount("RowsTotalVatExcludedAmount", invoice.net, currency);
  xml.amount("InvoiceTotalVatExcludedAmount", invoice.net, currency);
  xml.amount("InvoiceTotalVatAmount", invoice.vat_total, currency);
  xml.amount("InvoiceTotalVatIncludedAmount", invoice.gross, currency);
  write_vat(xml, invoice);
  if (credit) xml.optional("InvoiceFreeText", invoice.credit_reason);
  if (!credit && invoice.due_date) {
    xml.open("PaymentTermsDetails");
    xml.leaf("PaymentTermsFreeText", fmt::format("{} {}", invoice.payment_terms_days, texts.days_net));
    xml.date("InvoiceDueDate", *invoice.due_date);
    xml.close("PaymentTermsDetails");
  }
  xml.close("InvoiceDetails");
}

void write_row(Xml& xml, const PrintedLine& line, const std::string& currency) {
  const std::string& name = line.service_name.empty() ? line.description : line.service_name;
  const std::string un_code = ubl_unit_code(line.unit);
  std::string quantity_attributes;
  if (!line.unit.empty() && length_of(line.unit) <= 14)
    quantity_attributes = attribute("QuantityUnitCode", line.unit) + " ";
  quantity_attributes += attribute("QuantityUnitCodeUN", un_code);
  xml.open("InvoiceRow");
  xml.optional("ArticleIdentifier", line.service);
  xml.optional("ArticleName", name);
  xml.leaf("DeliveredQuantity", std::to_string(line.quantity), quantity_attributes);
  if (!line.unit_price.empty()) {
    xml.leaf("UnitPriceAmount", comma_decimal(line.unit_price, 2, 5),
             attribute("AmountCurrencyIdentifier", currency) + " " + attribute("QuantityUnitCodeUN", un_code));
  }
  xml.leaf("RowIdentifier", std::to_string(line.line_no));
  xml.optional("OriginalInvoiceNumber", line.corrects_number);
  xml.optional("RowAgreementIdentifier", line.agreement_id);
  if (!line.description.empty() && line.description != name) xml.leaf("RowFreeText", line.description);
  xml.leaf("RowVatRatePercent", percent_text(line.vat_rate));
  xml.leaf("RowVatCode", line.vat_category);
  xml.amount("RowVatExcludedAmount", line.amount, currency);
  // The VAT is computed per category on the category's sum, not per row: a row's
  // VAT-included amount is written only where it has no VAT.
  const bool no_vat = line.vat_rate.empty() || percent_of(line.amount, Decimal::parse(line.vat_rate)) == Money();
  if (no_vat) xml.amount("RowAmount", line.amount, currency);
  xml.close("InvoiceRow");
}

void write_epi(Xml& xml, const PrintedInvoice& invoice) {
  const Party& seller = invoice.seller;
  xml.open("EpiDetails");
  xml.open("EpiIdentificationDetails");
  xml.date("EpiDate", *invoice.issue_date);
  xml.leaf("EpiReference", invoice.reference.empty() ? invoice.rf_reference : invoice.reference);
  xml.close("EpiIdentificationDetails");
  xml.open("EpiPartyDetails");
  xml.open("EpiBfiPartyDetails");
  xml.leaf("EpiBfiIdentifier", seller.bic, attribute("IdentificationSchemeName", "BIC"));
  xml.close("EpiBfiPartyDetails");
  xml.open("EpiBeneficiaryPartyDetails");
  xml.leaf("EpiNameAddressDetails", truncated(seller.name, 35));
  const std::size_t bei_length = length_of(seller.business_id);
  if (bei_length >= 8 && bei_length <= 11) xml.leaf("EpiBei", seller.business_id);
  xml.leaf("EpiAccountID", seller.iban, attribute("IdentificationSchemeName", "IBAN"));
  xml.close("EpiBeneficiaryPartyDetails");
  xml.close("EpiPartyDetails");
  xml.open("EpiPaymentInstructionDetails");
  if (!invoice.reference.empty()) {
    xml.leaf("EpiRemittanceInfoIdentifier", invoice.reference, attribute("IdentificationSchemeName", "SPY"));
  } else if (!invoice.rf_reference.empty()) {
    xml.leaf("EpiRemittanceInfoIdentifier", invoice.rf_reference, attribute("IdentificationSchemeName", "ISO"));
  }
  xml.amount("EpiInstructedAmount", invoice.gross, invoice.currency);
  xml.leaf("EpiCharge", "", attribute("ChargeOption", "SLEV"));
  xml.date("EpiDateOptionDate", invoice.due_date && !is_credit(invoice) ? *invoice.due_date : *invoice.issue_date);
  xml.leaf("EpiPaymentMeansCode", "58");
  xml.close("EpiPaymentInstructionDetails");
  xml.close("EpiDetails");
}

}  // namespace

std::vector<FinvoiceFailure> finvoice_checks(const PrintedInvoice& invoice) {
  Checker check;
  if (invoice.status != invoice::InvoiceStatus::final || invoice.number.empty()) {
    check.fail("FINVOICE-FINAL", "a draft is never an e-invoice; finalise it first");
  } else {
    check.length("FINVOICE-NUMBER", "number", invoice.number, 1, 20);
  }
  if (!invoice.issue_date) check.fail("FINVOICE-DATE", "has no issue date");
  if (!is_credit(invoice) && !invoice.due_date) check.fail("FINVOICE-DATE", "an invoice without a due date");
  if (!texts_for(invoice.language)) {
    check.fail("FINVOICE-LANGUAGE", fmt::format("language \"{}\" is not fi, sv or en", invoice.language));
  }
  if (invoice.currency.size() != 3) {
    check.fail("FINVOICE-LENGTH", fmt::format("currency \"{}\" is not a 3-letter code", invoice.currency));
  }
  if (invoice.lines.empty()) check.fail("FINVOICE-SUM-ROWS", "has no lines; Finvoice needs at least one row");
  check_sums(check, invoice);
  check_reference(check, invoice);
  check_party(check, "seller", invoice.seller);
  check_party(check, "buyer", invoice.buyer);
  check.length("FINVOICE-BANK", "seller IBAN", invoice.seller.iban, 2, 34);
  if (invoice.seller.iban.find(' ') != std::string::npos) {
    check.fail("FINVOICE-BANK", fmt::format("seller IBAN \"{}\" has spaces", invoice.seller.iban));
  }
  check.length("FINVOICE-BANK", "seller BIC", invoice.seller.bic, 8, 11);
  check.length("FINVOICE-LENGTH", "buyer reference", invoice.buyer_reference, 0, 70);
  check.length("FINVOICE-LENGTH", "agreement id", invoice.agreement_id, 0, 70);
  check.length("FINVOICE-LENGTH", "credited invoice number", invoice.credited_number, 0, 20);
  check.length("FINVOICE-LENGTH", "credit reason", invoice.credit_reason, 0, 512);
  check_lines(check, invoice);
  return check.take();
}

FinvoiceDocument finvoice(const PrintedInvoice& invoice) {
  FinvoiceDocument document;
  document.failures = finvoice_checks(invoice);
  if (!document.failures.empty()) return document;
  const Texts texts = *texts_for(invoice.language);
  const bool vat_id = needs_vat_id(invoice);
  Xml xml;
  xml.open("Finvoice",
           "Version=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:noNamespaceSchemaLocation=\"Finvoice3.0.xsd\"");
  write_transmission(xml, invoice);
  write_party(xml, "Seller", invoice.seller, vat_id);
  xml.open("SellerInformationDetails");
  xml.optional("SellerHomeTownName", truncated(invoice.seller.city, 35));
  xml.open("SellerAccountDetails");
  xml.leaf("SellerAccountID", invoice.seller.iban, attribute("IdentificationSchemeName", "IBAN"));
  xml.leaf("SellerBic", invoice.seller.bic, attribute("IdentificationSchemeName", "BIC"));
  xml.close("SellerAccountDetails");
  xml.close("SellerInformationDetails");
  std::string language = invoice.language;
  std::transform(language.begin(), language.end(), language.begin(),
                 [](char c) { return static_cast<char>(c - 'a' + 'A'); });
  xml.leaf("InvoiceRecipientLanguageCode", language);
  write_party(xml, "Buyer", invoice.buyer, vat_id);
  if (length_of(invoice.buyer.orderer) <= 70) xml.optional("BuyerContactPersonName", invoice.buyer.orderer);
  write_details(xml, invoice, texts);
  for (const auto& line : invoice.lines) write_row(xml, line, invoice.currency);
  write_epi(xml, invoice);
  xml.close("Finvoice");
  document.xml = xml.take();
  return document;
}

std::string finvoice_file_name(const PrintedInvoice& invoice) { return invoice.number + ".finvoice.xml"; }

}  // namespace costcover::render
