// Peppol BIS Billing 3.0 UBL (render/ubl.hpp) and its business rules (render/ubl_rules.hpp):
// awkward documents pass every rule and the UBL 2.1 schema (xmllint); one broken document
// per rule id, table-driven over ubl_rule_ids(), is refused with that rule named, so a
// rule added without a broken case fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "render/ubl.hpp"
#include "render/ubl_rules.hpp"

namespace costcover::render {
namespace {

using invoice::InvoiceKind;
using invoice::InvoiceStatus;
using invoice::PrintedInvoice;
using invoice::PrintedLine;
using invoice::PrintedVat;
using model::LineKind;

invoice::Party seller() {
  invoice::Party p;
  p.name = "Palvelukeskus & Co <Valtio>";
  p.business_id = "2900130-6";
  p.vat_id = "FI29001306";
  p.street = "Ratapihantie 9";
  p.postcode = "00520";
  p.city = "Helsinki";
  p.country = "FI";
  p.einvoice_scheme = "0216";
  p.einvoice_id = "003729001306";
  p.iban = "FI4950009420028730";
  p.bic = "OKOYFIHH";
  return p;
}

invoice::Party buyer() {
  invoice::Party p;
  p.name = "Länsi-Suomen aluehallintovirasto \"AVI\"";
  p.business_id = "2900011-9";
  p.street = "Wolffintie 35";
  p.postcode = "65200";
  p.city = "Vaasa";
  p.country = "FI";
  p.einvoice_scheme = "0216";
  p.einvoice_id = "003729000119";
  return p;
}

PrintedLine line(int no, std::int64_t quantity, const std::string& price, const char* amount,
                 const std::string& category = "O", const std::string& rate = "") {
  PrintedLine l;
  l.line_no = no;
  l.kind = LineKind::usage;
  l.service = "PAYROLL";
  l.service_name = "Palkanlaskenta";
  l.unit = "payslip";
  l.description = "Palkkalaskelmat";
  l.quantity = quantity;
  l.unit_price = price;
  l.amount = Money::parse(amount);
  l.vat_category = category;
  l.vat_rate = rate;
  return l;
}

// Fills the VAT rows and totals from the lines, per (category, rate), VAT on each
// category's net sum rounded half away from zero (as invoice assembly does).
PrintedInvoice finish(PrintedInvoice inv) {
  std::map<std::pair<std::string, std::string>, Money> nets;
  for (const auto& l : inv.lines) nets[{l.vat_category, l.vat_rate}] += l.amount;
  inv.vat.clear();
  inv.net = Money{};
  inv.vat_total = Money{};
  for (const auto& [key, net] : nets) {
    const Money vat = key.second.empty() ? Money{} : percent_of(net, Decimal::parse(key.second));
    inv.vat.push_back({key.first, key.second, net, vat});
    inv.net += net;
    inv.vat_total += vat;
  }
  inv.gross = inv.net + inv.vat_total;
  return inv;
}

PrintedInvoice base(const std::string& language = "fi") {
  PrintedInvoice inv;
  inv.id = 7;
  inv.number = "2027-000123";
  inv.status = InvoiceStatus::final;
  inv.agency = "AVI";
  inv.period = Month(2027, 3);
  inv.issue_date = parse_date("2027-04-05");
  inv.due_date = parse_date("2027-05-05");
  inv.buyer_reference = "AVI-4400";
  inv.reference = "20270001236";
  inv.rf_reference = "RF1120270001236";
  inv.language = language;
  inv.seller = seller();
  inv.buyer = buyer();
  return inv;
}

// O: 1201 payslips at 4.2000, a fee, a negative correction of an earlier invoice.
PrintedInvoice o_invoice(const std::string& language = "fi") {
  PrintedInvoice inv = base(language);
  inv.lines = {line(1, 1201, "4.2000", "5044.20"), line(2, 1, "250.0000", "250.00"), line(3, -3, "4.2000", "-12.60")};
  inv.lines[1].kind = LineKind::fee;
  inv.lines[1].service_name = "";
  inv.lines[1].description = "Perusmaksu";
  inv.lines[2].kind = LineKind::correction;
  inv.lines[2].corrects_number = "2027-000050";
  return finish(inv);
}

// S 25.5 and S 14 in one document, half cents: 3 x 0.3350 = 1.005 -> 1.01.
PrintedInvoice s_invoice() {
  PrintedInvoice inv = base("sv");
  inv.group = invoice::VatGroup::subject;
  inv.lines = {line(1, 3, "0.3350", "1.01", "S", "25.50"), line(2, 7, "1.1150", "7.81", "S", "14.00"),
               line(3, 1, "-5.0000", "-5.00", "S", "25.50")};
  inv.lines[1].unit = "month";
  inv.lines[2].kind = LineKind::sla_credit;
  return finish(inv);
}

PrintedInvoice e_invoice() {
  PrintedInvoice inv = base("en");
  inv.group = invoice::VatGroup::subject;
  inv.lines = {line(1, 10, "12.3400", "123.40", "S", "25.50"), line(2, 2, "50.0000", "100.00", "E", "0.00")};
  inv.lines[1].vat_exemption_reason = "Exempt under section 39 of the VAT Act";
  return finish(inv);
}

PrintedInvoice z_invoice() {
  PrintedInvoice inv = base("en");
  inv.group = invoice::VatGroup::subject;
  inv.lines = {line(1, 2, "10.0000", "20.00", "Z", "0.00")};
  return finish(inv);
}

PrintedInvoice ae_invoice() {
  PrintedInvoice inv = base("en");
  inv.group = invoice::VatGroup::subject;
  inv.buyer.vat_id = "SE556677889901";
  inv.lines = {line(1, 2, "10.0000", "20.00", "AE", "0.00")};
  return finish(inv);
}

// 2027-000124 credits part of 2027-000123: 2 units, and an amount credit of 12.50 (quantity 0).
PrintedInvoice credit_note() {
  PrintedInvoice inv = base("fi");
  inv.number = "2027-000124";
  inv.kind = InvoiceKind::credit_note;
  inv.due_date.reset();
  inv.credited_number = "2027-000123";
  inv.credit_reason = "Virheellinen määrä";
  inv.lines = {line(1, -2, "4.2000", "-8.40"), line(2, 0, "250.0000", "-12.50")};
  for (auto& l : inv.lines) l.corrects_number = "2027-000123";
  return finish(inv);
}

// The settlement's credit note: credits no invoice, one settlement line.
PrintedInvoice settlement_credit_note() {
  PrintedInvoice inv = base("sv");
  inv.number = "2028-000001";
  inv.kind = InvoiceKind::credit_note;
  inv.period = Month(2027, 12);
  inv.due_date.reset();
  inv.credit_reason = "Kostnadsbaserad avräkning 2027: överskottet återbetalas";
  inv.lines = {line(1, 0, "0.0000", "-1234.56")};
  inv.lines[0].kind = LineKind::settlement;
  return finish(inv);
}

PrintedInvoice many_lines() {
  PrintedInvoice inv = base("en");
  for (int i = 1; i <= 150; ++i) {
    inv.lines.push_back(line(i, i, "0.3350", multiply_round(i, Decimal::parse("0.3350")).to_string().c_str()));
  }
  return finish(inv);
}

std::string findings_text(const std::vector<UblFinding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.message + "\n";
  return out;
}

// Validates with xmllint against the UBL 2.1 schema copied into the repository.
void expect_schema_valid(const UblDocument& doc, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(COSTCOVER_BINARY_DIR) / "test-tmp" / "ubl";
  std::filesystem::create_directories(dir);
  const auto file = dir / (name + ".xml");
  std::ofstream(file) << ubl_xml(doc);
  const std::string schema = std::string(COSTCOVER_SOURCE_DIR) + "/tests/einvoice/schemas/ubl-2.1/xsd/maindoc/" +
                             (doc.credit_note ? "UBL-CreditNote-2.1.xsd" : "UBL-Invoice-2.1.xsd");
  const std::string command =
      "xmllint --noout --schema '" + schema + "' '" + file.string() + "' > '" + file.string() + ".log' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream log(file.string() + ".log");
  const std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << name << ": " << output;
}

struct Case {
  const char* name;
  std::function<PrintedInvoice()> make;
};

const std::vector<Case>& good_cases() {
  static const std::vector<Case> cases{
      {"o_fi", [] { return o_invoice("fi"); }},
      {"o_sv", [] { return o_invoice("sv"); }},
      {"o_en", [] { return o_invoice("en"); }},
      {"s_two_rates", s_invoice},
      {"s_and_e", e_invoice},
      {"z", z_invoice},
      {"ae", ae_invoice},
      {"credit_note", credit_note},
      {"settlement_credit_note", settlement_credit_note},
      {"many_lines", many_lines},
  };
  return cases;
}

TEST(Ubl, AwkwardDocumentsPassEveryRuleAndTheSchema) {
  for (const auto& c : good_cases()) {
    const UblDocument doc = ubl_document(c.make());
    EXPECT_EQ(findings_text(check_ubl(doc)), "") << c.name;
    expect_schema_valid(doc, c.name);
  }
}

TEST(Ubl, InvoiceCarriesPeppolFieldsInTheAgencysLanguage) {
  const std::string xml = ubl_xml(ubl_document(o_invoice("sv")));
  EXPECT_NE(
      xml.find("<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0<"),
      std::string::npos);
  EXPECT_NE(xml.find("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:EndpointID schemeID=\"0216\">003729001306</cbc:EndpointID>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:CompanyID schemeID=\"0037\">2900130-6</cbc:CompanyID>"), std::string::npos);
  EXPECT_EQ(xml.find("PartyTaxScheme"), std::string::npos) << "an all-O document has no VAT ids";
  EXPECT_NE(xml.find("<cbc:PaymentMeansCode name=\"Kontoöverföring\">30</cbc:PaymentMeansCode>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:PaymentID>RF1120270001236</cbc:PaymentID>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:ID>2027-000050</cbc:ID>"), std::string::npos) << "the corrected invoice is referenced";
  // Escaping: & < > " in names; UTF-8 unchanged.
  EXPECT_NE(xml.find("Palvelukeskus &amp; Co &lt;Valtio&gt;"), std::string::npos);
  EXPECT_NE(xml.find("Länsi-Suomen aluehallintovirasto &quot;AVI&quot;"), std::string::npos);
  // The negative correction: sign on the quantity, price positive.
  EXPECT_NE(xml.find("<cbc:InvoicedQuantity unitCode=\"C62\">-3</cbc:InvoicedQuantity>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:StartDate>2027-03-01</cbc:StartDate>"), std::string::npos);
  EXPECT_NE(xml.find("<cbc:EndDate>2027-03-31</cbc:EndDate>"), std::string::npos);
}

TEST(Ubl, PaymentIdFallsBackToTheNationalReferenceAndIsOmittedWhenEmpty) {
  PrintedInvoice inv = o_invoice();
  inv.rf_reference.clear();
  EXPECT_EQ(ubl_document(inv).payment_id, "20270001236");
  inv.reference.clear();
  const UblDocument doc = ubl_document(inv);
  EXPECT_EQ(findings_text(check_ubl(doc)), "");
  EXPECT_EQ(ubl_xml(doc).find("PaymentID"), std::string::npos);
}

TEST(Ubl, CreditNoteStatesTheCreditAsPositiveAmounts) {
  const UblDocument doc = ubl_document(credit_note());
  EXPECT_TRUE(doc.credit_note);
  EXPECT_EQ(doc.type_code, "381");
  EXPECT_EQ(doc.payable, "20.90");
  ASSERT_EQ(doc.lines.size(), 2U);
  EXPECT_EQ(doc.lines[0].quantity, "2");
  EXPECT_EQ(doc.lines[0].amount, "8.40");
  // The amount credit (quantity 0, 12.50) is one lump with its real quantity in the note.
  EXPECT_EQ(doc.lines[1].quantity, "1");
  EXPECT_EQ(doc.lines[1].price, "12.50");
  EXPECT_EQ(doc.lines[1].note, "Määrä: 0 payslip");
  EXPECT_EQ(doc.billing_references, std::vector<std::string>{"2027-000123"});
  EXPECT_TRUE(doc.payment_means_code.empty());
  EXPECT_EQ(doc.payment_terms, "Hyvityslasku: ei maksettavaa");
}

TEST(Ubl, UnitCodes) {
  EXPECT_EQ(ubl_unit_code("month"), "MON");
  EXPECT_EQ(ubl_unit_code("day"), "DAY");
  EXPECT_EQ(ubl_unit_code("participant-day"), "DAY");
  EXPECT_EQ(ubl_unit_code("hour"), "HUR");
  EXPECT_EQ(ubl_unit_code("payslip"), "C62");
  EXPECT_EQ(ubl_unit_code(""), "C62");
}

TEST(Ubl, DraftsAreNeverEInvoices) {
  PrintedInvoice inv = o_invoice();
  inv.status = InvoiceStatus::draft;
  inv.number.clear();
  EXPECT_THROW((void)ubl_document(inv), std::invalid_argument);
}

// One broken document per rule: a good document of the right kind, then one change.
struct Broken {
  std::function<PrintedInvoice()> make;
  std::function<void(UblDocument&)> damage;
};

const std::map<std::string, Broken>& broken_cases() {
  auto o = [] { return o_invoice(); };
  auto s = s_invoice;
  auto e = e_invoice;
  auto z = z_invoice;
  auto ae = ae_invoice;
  static const std::map<std::string, Broken> cases{
      {"BR-01", {o, [](UblDocument& d) { d.customization.clear(); }}},
      {"PEPPOL-EN16931-R004", {o, [](UblDocument& d) { d.customization = "urn:cen.eu:en16931:2017"; }}},
      {"PEPPOL-EN16931-R001", {o, [](UblDocument& d) { d.profile.clear(); }}},
      {"PEPPOL-EN16931-R007", {o, [](UblDocument& d) { d.profile = "urn:fdc:peppol.eu:2017:poacc:billing:1:1.0"; }}},
      {"BR-02", {o, [](UblDocument& d) { d.number.clear(); }}},
      {"BR-03", {o, [](UblDocument& d) { d.issue_date.clear(); }}},
      {"BR-04", {o, [](UblDocument& d) { d.type_code.clear(); }}},
      {"BR-CL-01", {o, [](UblDocument& d) { d.type_code = "381"; }}},
      {"BR-05", {o, [](UblDocument& d) { d.currency.clear(); }}},
      {"BR-CL-04", {o, [](UblDocument& d) { d.currency = "EUX"; }}},
      {"PEPPOL-EN16931-F001", {o, [](UblDocument& d) { d.due_date = "2027-02-30"; }}},
      {"BR-29", {o, [](UblDocument& d) { d.period_end = "2027-02-28"; }}},
      {"PEPPOL-EN16931-R003", {o, [](UblDocument& d) { d.buyer_reference.clear(); }}},
      {"BR-06", {o, [](UblDocument& d) { d.seller.legal_name.clear(); }}},
      {"BR-07", {o, [](UblDocument& d) { d.buyer.legal_name.clear(); }}},
      {"BR-09", {o, [](UblDocument& d) { d.seller.country.clear(); }}},
      {"BR-11", {o, [](UblDocument& d) { d.buyer.country.clear(); }}},
      {"BR-CL-14", {o, [](UblDocument& d) { d.buyer.country = "Finland"; }}},
      {"BR-CO-09", {s, [](UblDocument& d) { d.seller.vat_id = "29001306"; }}},
      {"BR-CO-26", {o, [](UblDocument& d) { d.seller.company_id.clear(); }}},
      {"BR-CL-11", {o, [](UblDocument& d) { d.buyer.company_scheme = "1234"; }}},
      {"PEPPOL-EN16931-R020", {o, [](UblDocument& d) { d.seller.endpoint_id.clear(); }}},
      {"PEPPOL-EN16931-R010", {o, [](UblDocument& d) { d.buyer.endpoint_id.clear(); }}},
      {"BR-62", {o, [](UblDocument& d) { d.seller.endpoint_scheme.clear(); }}},
      {"BR-63", {o, [](UblDocument& d) { d.buyer.endpoint_scheme.clear(); }}},
      {"PEPPOL-EN16931-CL008", {o, [](UblDocument& d) { d.buyer.endpoint_scheme = "0037"; }}},
      {"BR-55", {o, [](UblDocument& d) { d.billing_references.emplace_back(); }}},
      {"BR-CL-16", {o, [](UblDocument& d) { d.payment_means_code = "99"; }}},
      {"BR-61", {o, [](UblDocument& d) { d.iban.clear(); }}},
      {"BR-CO-25", {o, [](UblDocument& d) { d.due_date.clear(); }}},
      {"BR-16", {o, [](UblDocument& d) { d.lines.clear(); }}},
      {"BR-21", {o, [](UblDocument& d) { d.lines[0].id.clear(); }}},
      {"BR-22", {o, [](UblDocument& d) { d.lines[0].quantity.clear(); }}},
      {"BR-23", {o, [](UblDocument& d) { d.lines[0].unit_code.clear(); }}},
      {"BR-CL-23", {o, [](UblDocument& d) { d.lines[0].unit_code = "payslip"; }}},
      {"BR-24", {o, [](UblDocument& d) { d.lines[0].amount.clear(); }}},
      {"BR-25", {o, [](UblDocument& d) { d.lines[0].item_name.clear(); }}},
      {"BR-26", {o, [](UblDocument& d) { d.lines[0].price.clear(); }}},
      {"BR-27", {o, [](UblDocument& d) { d.lines[2].price = "-4.2000"; }}},
      {"PEPPOL-EN16931-R120", {o, [](UblDocument& d) { d.lines[0].price = "4.2001"; }}},
      {"BR-CO-04", {o, [](UblDocument& d) { d.lines[0].category.clear(); }}},
      {"BR-CL-18", {o, [](UblDocument& d) { d.lines[0].category = "X"; }}},
      {"BR-CO-18", {o, [](UblDocument& d) { d.vat.clear(); }}},
      {"PEPPOL-EN16931-R053", {o, [](UblDocument& d) { d.vat.clear(); }}},
      {"BR-45", {o, [](UblDocument& d) { d.vat[0].taxable.clear(); }}},
      {"BR-46", {o, [](UblDocument& d) { d.vat[0].tax.clear(); }}},
      {"BR-47", {o, [](UblDocument& d) { d.vat[0].category.clear(); }}},
      {"BR-48", {s, [](UblDocument& d) { d.vat[0].percent.clear(); }}},
      {"BR-CL-17", {o, [](UblDocument& d) { d.vat[0].category = "X"; }}},
      {"BR-CL-22", {o, [](UblDocument& d) { d.vat[0].exemption_code = "EU-O"; }}},
      {"BR-CO-10", {o, [](UblDocument& d) { d.lines[1].amount = "251.00"; }}},
      {"BR-CO-13", {o, [](UblDocument& d) { d.tax_exclusive = "1.00"; }}},
      {"BR-CO-14", {s, [](UblDocument& d) { d.tax_total = "0.00"; }}},
      {"BR-CO-15", {o, [](UblDocument& d) { d.tax_inclusive = "1.00"; }}},
      {"BR-CO-16", {o, [](UblDocument& d) { d.payable = "1.00"; }}},
      {"BR-DEC-09", {o, [](UblDocument& d) { d.line_extension = "5281.600"; }}},
      {"BR-DEC-12", {o, [](UblDocument& d) { d.tax_exclusive = "5281.600"; }}},
      {"BR-DEC-13", {o, [](UblDocument& d) { d.tax_total = "0.000"; }}},
      {"BR-DEC-14", {o, [](UblDocument& d) { d.tax_inclusive = "5281.600"; }}},
      {"BR-DEC-18", {o, [](UblDocument& d) { d.payable = "5281.600"; }}},
      {"BR-DEC-19", {o, [](UblDocument& d) { d.vat[0].taxable = "5281.600"; }}},
      {"BR-DEC-20", {o, [](UblDocument& d) { d.vat[0].tax = "0.000"; }}},
      {"BR-DEC-23", {o, [](UblDocument& d) { d.lines[0].amount = "5044.200"; }}},
      {"BR-O-01", {o, [](UblDocument& d) { d.vat.push_back(d.vat[0]); }}},
      {"BR-O-02", {o, [](UblDocument& d) { d.seller.vat_id = "FI29001306"; }}},
      {"BR-O-05", {o, [](UblDocument& d) { d.lines[0].percent = "0"; }}},
      {"BR-O-08", {o, [](UblDocument& d) { d.vat[0].taxable = "5281.61"; }}},
      {"BR-O-09", {o, [](UblDocument& d) { d.vat[0].tax = "0.01"; }}},
      {"BR-O-10", {o, [](UblDocument& d) { d.vat[0].exemption_code.clear(); }}},
      {"BR-O-11",
       {o,
        [](UblDocument& d) {
          d.vat.push_back({"S", "25.50", "0.00", "0.00", "", ""});
        }}},
      {"BR-O-12",
       {o,
        [](UblDocument& d) {
          d.lines[1].category = "S";
          d.lines[1].percent = "25.50";
        }}},
      {"BR-S-01", {s, [](UblDocument& d) { d.vat.clear(); }}},
      {"BR-S-02", {s, [](UblDocument& d) { d.seller.vat_id.clear(); }}},
      {"BR-S-05", {s, [](UblDocument& d) { d.lines[0].percent = "0"; }}},
      {"BR-S-08", {s, [](UblDocument& d) { d.vat[0].taxable = "7.82"; }}},
      {"BR-S-09", {s, [](UblDocument& d) { d.vat[0].tax = "1.10"; }}},
      {"BR-S-10", {s, [](UblDocument& d) { d.vat[0].exemption_reason = "exempt"; }}},
      {"BR-Z-01", {z, [](UblDocument& d) { d.vat.clear(); }}},
      {"BR-Z-02", {z, [](UblDocument& d) { d.seller.vat_id.clear(); }}},
      {"BR-Z-05", {z, [](UblDocument& d) { d.lines[0].percent = "10"; }}},
      {"BR-Z-08", {z, [](UblDocument& d) { d.vat[0].taxable = "21.00"; }}},
      {"BR-Z-09", {z, [](UblDocument& d) { d.vat[0].tax = "1.00"; }}},
      {"BR-Z-10", {z, [](UblDocument& d) { d.vat[0].exemption_code = "VATEX-EU-O"; }}},
      {"BR-E-01", {e, [](UblDocument& d) { d.vat.erase(d.vat.begin()); }}},
      {"BR-E-02", {e, [](UblDocument& d) { d.seller.vat_id.clear(); }}},
      {"BR-E-05", {e, [](UblDocument& d) { d.lines[1].percent = "24"; }}},
      {"BR-E-08", {e, [](UblDocument& d) { d.vat[0].taxable = "100.01"; }}},
      {"BR-E-09", {e, [](UblDocument& d) { d.vat[0].tax = "1.00"; }}},
      {"BR-E-10", {e, [](UblDocument& d) { d.vat[0].exemption_reason.clear(); }}},
      {"BR-AE-01", {ae, [](UblDocument& d) { d.vat.clear(); }}},
      {"BR-AE-02",
       {ae,
        [](UblDocument& d) {
          d.buyer.vat_id.clear();
          d.buyer.company_id.clear();
        }}},
      {"BR-AE-05", {ae, [](UblDocument& d) { d.lines[0].percent = "24"; }}},
      {"BR-AE-08", {ae, [](UblDocument& d) { d.vat[0].taxable = "19.00"; }}},
      {"BR-AE-09", {ae, [](UblDocument& d) { d.vat[0].tax = "4.80"; }}},
      {"BR-AE-10", {ae, [](UblDocument& d) { d.vat[0].exemption_code.clear(); }}},
      {"PEPPOL-EN16931-R008", {o, [](UblDocument& d) { d.seller.country.clear(); }}},
  };
  return cases;
}

TEST(UblRules, EveryRuleRefusesItsBrokenDocument) {
  const auto& cases = broken_cases();
  for (const auto& id : ubl_rule_ids()) {
    const auto found = cases.find(id);
    if (found == cases.end()) {
      ADD_FAILURE() << id << " has no broken document";
      continue;
    }
    UblDocument doc = ubl_document(found->second.make());
    ASSERT_EQ(findings_text(check_ubl(doc)), "") << id << ": the document before the damage must pass";
    found->second.damage(doc);
    const auto findings = check_ubl(doc);
    const bool named = std::any_of(findings.begin(), findings.end(), [&](const UblFinding& f) {
      return f.rule == id && f.message.rfind(id + ": ", 0) == 0;
    });
    EXPECT_TRUE(named) << id << " not reported; found:\n" << findings_text(findings);
  }
  for (const auto& [id, _] : cases) {
    EXPECT_NE(std::find(ubl_rule_ids().begin(), ubl_rule_ids().end(), id), ubl_rule_ids().end())
        << id << " has a broken case but is not checked";
  }
}

TEST(UblRules, MessagesQuoteTheValues) {
  UblDocument doc = ubl_document(o_invoice());
  doc.line_extension = "5282.60";
  doc.tax_exclusive = "5282.60";
  const auto findings = check_ubl(doc);
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].message, "BR-CO-10: sum of line net amounts 5281.60 != line extension amount 5282.60");
}

TEST(UblRules, EveryRuleIsDocumented) {
  std::ifstream in(std::string(COSTCOVER_SOURCE_DIR) + "/docs/einvoicing.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& id : ubl_rule_ids()) {
    EXPECT_NE(doc.find("| `" + id + "` |"), std::string::npos) << id << " is not in docs/einvoicing.md";
  }
}

}  // namespace
}  // namespace costcover::render
