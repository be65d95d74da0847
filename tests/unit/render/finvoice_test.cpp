// Finvoice 3.0 documents (render/finvoice.hpp, docs/finvoice.md). Every document the tests
// write is validated against Finance Finland's schema with xmllint; the sample invoice is
// compared byte for byte with tests/unit/render/finvoice_sample.xml; each check is shown
// refusing one broken document with its id.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "core/decimal.hpp"
#include "render/finvoice.hpp"

namespace {

namespace fs = std::filesystem;
using costcover::Date;
using costcover::Decimal;
using costcover::Money;
using costcover::Month;
using costcover::invoice::InvoiceKind;
using costcover::invoice::InvoiceStatus;
using costcover::invoice::Party;
using costcover::invoice::PrintedInvoice;
using costcover::invoice::PrintedLine;
using costcover::invoice::PrintedVat;
using costcover::render::finvoice;
using costcover::render::finvoice_checks;

Money eur(const char* text) { return Money::parse(text); }

PrintedLine line(int no, const std::string& service, const std::string& name, std::int64_t quantity,
                 const std::string& unit_price, const char* amount, const std::string& category = "O",
                 const std::string& rate = "") {
  PrintedLine out;
  out.line_no = no;
  out.service = service;
  out.service_name = name;
  out.unit = "invoice";
  out.description = name;
  out.quantity = quantity;
  out.unit_price = unit_price;
  out.amount = eur(amount);
  out.vat_category = category;
  out.vat_rate = rate;
  out.agreement_id = "SA-KTL-2027";
  out.agreement_version = "1";
  return out;
}

// The VAT rows and totals from the lines, as billing computes them: one row per
// (category, rate), VAT on the row's sum, rounded half away from zero.
void finish(PrintedInvoice& invoice) {
  invoice.vat.clear();
  invoice.net = Money();
  for (const auto& l : invoice.lines) {
    invoice.net = invoice.net + l.amount;
    auto row = std::find_if(invoice.vat.begin(), invoice.vat.end(), [&](const PrintedVat& vat) {
      return vat.category == l.vat_category && vat.rate == l.vat_rate;
    });
    if (row == invoice.vat.end()) {
      invoice.vat.push_back({l.vat_category, l.vat_rate, Money(), Money()});
      row = invoice.vat.end() - 1;
    }
    row->net = row->net + l.amount;
  }
  std::sort(invoice.vat.begin(), invoice.vat.end(), [](const PrintedVat& a, const PrintedVat& b) {
    return std::tie(a.category, a.rate) < std::tie(b.category, b.rate);
  });
  invoice.vat_total = Money();
  for (auto& vat : invoice.vat) {
    vat.vat = vat.rate.empty() ? Money() : costcover::percent_of(vat.net, Decimal::parse(vat.rate));
    invoice.vat_total = invoice.vat_total + vat.vat;
  }
  invoice.gross = invoice.net + invoice.vat_total;
}

// Final invoice 2027-000123 of KTL for March 2027: 10 purchase invoices at 4.05 and the
// base fee, category O, in Finnish.
PrintedInvoice sample() {
  PrintedInvoice invoice;
  invoice.id = 7;
  invoice.number = "2027-000123";
  invoice.status = InvoiceStatus::final;
  invoice.kind = InvoiceKind::invoice;
  invoice.agency = "KTL";
  invoice.period = Month(2027, 3);
  invoice.issue_date = Date(2027, 4, 1);
  invoice.due_date = Date(2027, 4, 15);
  invoice.payment_terms_days = 14;
  invoice.buyer_reference = "KTL-OSTO-1";
  invoice.agreement_id = "SA-KTL-2027";
  invoice.agreement_version = "1";
  invoice.reference = "20270001233";
  invoice.rf_reference = "RF3720270001233";
  invoice.language = "fi";
  invoice.seller = Party{"Valtion talous- ja henkilöstöhallinnon palvelukeskus",
                         "2900130-6",
                         "FI29001306",
                         "Esimerkkikatu 1",
                         "00100",
                         "Helsinki",
                         "FI",
                         "0216",
                         "003729001306",
                         "FI2112345600000785",
                         "NDEAFIHH",
                         "",
                         "",
                         "",
                         "003721291126"};
  invoice.buyer = Party{"Kansallinen tilastolaitos",
                        "2900011-9",
                        "",
                        "Työpajankatu 13",
                        "00580",
                        "Helsinki",
                        "FI",
                        "0216",
                        "003729000119",
                        "",
                        "",
                        "Ministry of Finance",
                        "Anna Asiakkuuspäällikkö",
                        "Olli Tilaaja",
                        "003723327487"};
  invoice.lines.push_back(line(1, "purchase-invoice", "Ostolaskun käsittely", 10, "4.0500", "40.50"));
  auto fee = line(2, "account-management", "Asiakkuuden hallinta", 1, "250.0000", "250.00");
  fee.kind = costcover::model::LineKind::fee;
  fee.unit = "month";
  fee.description = "Perusmaksu, maaliskuu 2027";
  invoice.lines.push_back(fee);
  finish(invoice);
  return invoice;
}

// xmllint's verdict on `xml` against the Finvoice 3.0 schema: "" when valid, else its output.
std::string schema_errors(const std::string& xml) {
  static int counter = 0;
  const fs::path file = fs::temp_directory_path() /
                        ("finvoice-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".xml");
  std::ofstream(file, std::ios::binary) << xml;
  const fs::path log = file.string() + ".log";
  const std::string command = "xmllint --noout --schema '" + std::string(COSTCOVER_FINVOICE_XSD) + "' '" +
                              file.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::stringstream output;
  output << std::ifstream(log).rdbuf();
  fs::remove(file);
  fs::remove(log);
  return status == 0 ? std::string() : "xmllint status " + std::to_string(status) + "\n" + output.str() + "\n" + xml;
}

// The document, which must have passed every check and the schema.
std::string valid_xml(const PrintedInvoice& invoice) {
  const auto document = finvoice(invoice);
  for (const auto& failure : document.failures) ADD_FAILURE() << failure.rule << ": " << failure.message;
  EXPECT_FALSE(document.xml.empty());
  EXPECT_EQ(schema_errors(document.xml), "");
  return document.xml;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

TEST(Finvoice, SampleInvoiceIsTheGoldenDocumentAndSchemaValid) {
  const std::string xml = valid_xml(sample());
  const fs::path golden = fs::path(COSTCOVER_SOURCE_DIR) / "tests/unit/render/finvoice_sample.xml";
  if (std::getenv("COSTCOVER_UPDATE_GOLDEN") != nullptr) std::ofstream(golden, std::ios::binary) << xml;
  EXPECT_EQ(xml, read(golden)) << "set COSTCOVER_UPDATE_GOLDEN=1 to rewrite " << golden;
}

TEST(Finvoice, DecimalCommaDatesAndPaymentDetails) {
  const std::string xml = valid_xml(sample());
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatExcludedAmount AmountCurrencyIdentifier=\"EUR\">290,50<"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatAmount AmountCurrencyIdentifier=\"EUR\">0,00<"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">290,50<"));
  EXPECT_TRUE(contains(xml, "<UnitPriceAmount AmountCurrencyIdentifier=\"EUR\" QuantityUnitCodeUN=\"C62\">4,0500<"));
  EXPECT_TRUE(contains(xml, "<InvoiceDate Format=\"CCYYMMDD\">20270401</InvoiceDate>"));
  EXPECT_TRUE(contains(xml, "<InvoiceDueDate Format=\"CCYYMMDD\">20270415</InvoiceDueDate>"));
  EXPECT_TRUE(contains(xml, "<InvoicingPeriodStartDate Format=\"CCYYMMDD\">20270301<"));
  EXPECT_TRUE(contains(xml, "<InvoicingPeriodEndDate Format=\"CCYYMMDD\">20270331<"));
  EXPECT_TRUE(contains(xml, "<EpiDateOptionDate Format=\"CCYYMMDD\">20270415<"));
  EXPECT_TRUE(contains(xml, "<EpiRemittanceInfoIdentifier IdentificationSchemeName=\"SPY\">20270001233<"));
  EXPECT_TRUE(contains(xml, "<EpiInstructedAmount AmountCurrencyIdentifier=\"EUR\">290,50<"));
  EXPECT_TRUE(contains(xml, "<FromIdentifier SchemeID=\"0216\">003729001306</FromIdentifier>"));
  EXPECT_TRUE(contains(xml, "<ToIntermediator>003723327487</ToIntermediator>"));
  EXPECT_TRUE(contains(xml, "<SellerPartyIdentifier SchemeID=\"0037\">2900130-6<"));
  EXPECT_TRUE(contains(xml, "<SellerAccountID IdentificationSchemeName=\"IBAN\">FI2112345600000785<"));
  EXPECT_TRUE(contains(xml, "<InvoiceTypeCode>INV01</InvoiceTypeCode>"));
  EXPECT_TRUE(contains(xml, "<InvoiceTypeText>LASKU</InvoiceTypeText>"));
  EXPECT_TRUE(contains(xml, "<PaymentTermsFreeText>14 päivää netto</PaymentTermsFreeText>"));
  EXPECT_TRUE(contains(xml, "<BuyerReferenceIdentifier>KTL-OSTO-1<"));
  EXPECT_TRUE(contains(xml, "<VatExemptionReasonCode>VATEX-EU-O<"));
  // Category O: no VAT ids.
  EXPECT_FALSE(contains(xml, "TaxCode"));
  EXPECT_TRUE(contains(xml, "<DeliveredQuantity QuantityUnitCode=\"month\" QuantityUnitCodeUN=\"MON\">1<"));
}

TEST(Finvoice, EveryLanguageHasItsOwnTexts) {
  struct Case {
    const char* language;
    const char* invoice_text;
    const char* credit_text;
    const char* terms;
  };
  for (const Case& c : {Case{"fi", "LASKU", "HYVITYSLASKU", "14 päivää netto"},
                        Case{"sv", "FAKTURA", "KREDITFAKTURA", "14 dagar netto"},
                        Case{"en", "INVOICE", "CREDIT NOTE", "14 days net"}}) {
    auto invoice = sample();
    invoice.language = c.language;
    const std::string xml = valid_xml(invoice);
    EXPECT_TRUE(contains(xml, std::string("<InvoiceTypeText>") + c.invoice_text + "<")) << c.language;
    EXPECT_TRUE(contains(xml, std::string("<PaymentTermsFreeText>") + c.terms + "<")) << c.language;
    EXPECT_TRUE(contains(xml, std::string("<InvoiceRecipientLanguageCode>") + static_cast<char>(c.language[0] - 32) +
                                  static_cast<char>(c.language[1] - 32) + "<"));
    invoice.kind = InvoiceKind::credit_note;
    invoice.due_date.reset();
    for (auto& l : invoice.lines) l.amount = -l.amount;
    finish(invoice);
    const std::string credit = valid_xml(invoice);
    EXPECT_TRUE(contains(credit, std::string("<InvoiceTypeText>") + c.credit_text + "<")) << c.language;
  }
}

TEST(Finvoice, ManyLinesHalfCentRoundingAndTwoVatRates) {
  auto invoice = sample();
  invoice.group = costcover::invoice::VatGroup::subject;
  invoice.seller.vat_id = "FI29001306";
  invoice.buyer.vat_id = "FI29000119";
  invoice.lines.clear();
  // 150 lines of 0.10 at 25.5 %: 15.00 x 25.5 % = 3.825 -> 3.83 (half away from zero).
  for (int i = 1; i <= 150; ++i)
    invoice.lines.push_back(line(i, "archive", "Arkistointi", 1, "0.1000", "0.10", "S", "25.50"));
  // 3 lines at 14 %: 0.25 x 14 % = 0.035 -> 0.04.
  for (int i = 151; i <= 153; ++i) {
    invoice.lines.push_back(line(i, "training", "Koulutus", 1, "0.0833", "0.08", "S", "14.00"));
  }
  invoice.lines.back().amount = eur("0.09");
  auto exempt = line(154, "course", "Kurssi", 2, "10.0000", "20.00", "E", "0.00");
  exempt.vat_exemption_reason = "Koulutuspalvelu, AVL 39 §";
  invoice.lines.push_back(exempt);
  finish(invoice);
  ASSERT_EQ(invoice.vat.size(), 3U);
  EXPECT_EQ(invoice.vat[1].vat, eur("0.04"));
  EXPECT_EQ(invoice.vat[2].vat, eur("3.83"));
  const std::string xml = valid_xml(invoice);
  EXPECT_TRUE(contains(xml,
                       "<VatBaseAmount AmountCurrencyIdentifier=\"EUR\">15,00</VatBaseAmount>\n"
                       "      <VatRatePercent>25,50</VatRatePercent>\n"
                       "      <VatCode>S</VatCode>\n"
                       "      <VatRateAmount AmountCurrencyIdentifier=\"EUR\">3,83</VatRateAmount>"));
  EXPECT_TRUE(contains(xml, "<VatFreeText>Koulutuspalvelu, AVL 39 §</VatFreeText>"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">39,12<"));
  EXPECT_TRUE(contains(xml, "<SellerOrganisationTaxCode>FI29001306<"));
  EXPECT_TRUE(contains(xml, "<BuyerOrganisationTaxCode>FI29000119<"));
  std::size_t rows = 0;
  for (auto at = xml.find("<InvoiceRow>"); at != std::string::npos; at = xml.find("<InvoiceRow>", at + 1)) ++rows;
  EXPECT_EQ(rows, 154U);
}

TEST(Finvoice, NegativeCorrectionLinesReferToTheInvoiceTheyCorrect) {
  auto invoice = sample();
  auto correction = line(3, "purchase-invoice", "Ostolaskun käsittely", -3, "4.0500", "-12.15");
  correction.kind = costcover::model::LineKind::correction;
  correction.corrects_number = "2027-000101";
  correction.description = "Korjaus: helmikuu 2027";
  invoice.lines.push_back(correction);
  finish(invoice);
  const std::string xml = valid_xml(invoice);
  EXPECT_TRUE(contains(xml, "<DeliveredQuantity QuantityUnitCode=\"invoice\" QuantityUnitCodeUN=\"C62\">-3<"));
  EXPECT_TRUE(contains(xml, "<OriginalInvoiceNumber>2027-000101</OriginalInvoiceNumber>"));
  EXPECT_TRUE(contains(xml, "<RowVatExcludedAmount AmountCurrencyIdentifier=\"EUR\">-12,15<"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">278,35<"));
}

TEST(Finvoice, CreditNoteHasNegativeAmountsAndNamesTheCreditedInvoice) {
  auto note = sample();
  note.number = "2027-000124";
  note.kind = InvoiceKind::credit_note;
  note.due_date.reset();
  note.credited_number = "2027-000123";
  note.credit_reason = "Kolme laskua laskettu kahdesti";
  note.reference = "20270001246";
  note.rf_reference = "RF7420270001246";
  note.lines = {line(1, "purchase-invoice", "Ostolaskun käsittely", -3, "4.0500", "-12.15")};
  note.lines[0].corrects_number = "2027-000123";
  finish(note);
  const std::string xml = valid_xml(note);
  EXPECT_TRUE(contains(xml, "<InvoiceTypeCode>INV02</InvoiceTypeCode>"));
  EXPECT_TRUE(contains(xml, "<InvoiceTypeCodeUN>381</InvoiceTypeCodeUN>"));
  EXPECT_TRUE(contains(xml, "<InvoiceNumber>2027-000124</InvoiceNumber>"));
  EXPECT_TRUE(contains(xml, "<OriginalInvoiceNumber>2027-000123</OriginalInvoiceNumber>"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">-12,15<"));
  EXPECT_TRUE(contains(xml, "<EpiInstructedAmount AmountCurrencyIdentifier=\"EUR\">-12,15<"));
  EXPECT_TRUE(contains(xml, "<InvoiceFreeText>Kolme laskua laskettu kahdesti</InvoiceFreeText>"));
  // No due date: the payment part's date is the issue date, and there are no payment terms.
  EXPECT_TRUE(contains(xml, "<EpiDateOptionDate Format=\"CCYYMMDD\">20270401<"));
  EXPECT_FALSE(contains(xml, "PaymentTermsDetails"));
}

TEST(Finvoice, SettlementCreditNoteWithoutReferenceOrCreditedInvoice) {
  auto note = sample();
  note.number = "2028-000010";
  note.kind = InvoiceKind::credit_note;
  note.period = Month(2027, 12);
  note.issue_date = Date(2028, 2, 15);
  note.due_date.reset();
  note.reference.clear();
  note.rf_reference.clear();
  note.credit_reason = "Vuoden 2027 tasaus";
  auto settlement = line(1, "purchase-invoice", "Ostolaskun käsittely", 0, "", "-1234.56");
  settlement.kind = costcover::model::LineKind::settlement;
  settlement.description = "Tasaus 2027";
  note.lines = {settlement};
  finish(note);
  const std::string xml = valid_xml(note);
  EXPECT_FALSE(contains(xml, "OriginalInvoiceNumber"));
  EXPECT_FALSE(contains(xml, "EpiRemittanceInfoIdentifier"));
  EXPECT_TRUE(contains(xml, "<EpiReference></EpiReference>"));
  EXPECT_TRUE(contains(xml, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">-1234,56<"));
}

TEST(Finvoice, NamesAreEscapedAndKeptInUtf8) {
  auto invoice = sample();
  invoice.buyer.name = "Åbo & Vörå <Ämbetsverk> \"Öst\"";
  invoice.lines[0].service_name = "Käsittely & <tarkastus>";
  invoice.buyer_reference = "A&B's";
  invoice.language = "sv";
  const std::string xml = valid_xml(invoice);
  EXPECT_TRUE(contains(xml, "<BuyerOrganisationName>Åbo &amp; Vörå &lt;Ämbetsverk&gt; &quot;Öst&quot;<"));
  EXPECT_TRUE(contains(xml, "<ArticleName>Käsittely &amp; &lt;tarkastus&gt;</ArticleName>"));
  EXPECT_TRUE(contains(xml, "<BuyerReferenceIdentifier>A&amp;B&apos;s<"));
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0U);
  // The beneficiary's name is cut to Finvoice's 35 characters, at a character boundary.
  EXPECT_TRUE(contains(xml, "<EpiNameAddressDetails>Valtion talous- ja henkilöstöhallin<"));
}

// One broken document per check: refused with its id, nothing written.
TEST(Finvoice, EachCheckRefusesItsBrokenDocument) {
  struct Case {
    const char* rule;
    void (*breaks)(PrintedInvoice&);
    const char* message_part;
  };
  const Case cases[] = {
      {"FINVOICE-FINAL",
       [](PrintedInvoice& i) {
         i.status = InvoiceStatus::draft;
         i.number.clear();
       },
       "draft"},
      {"FINVOICE-NUMBER", [](PrintedInvoice& i) { i.number = "2027-0001234567890123"; },
       "number \"2027-0001234567890123\" has 21 characters"},
      {"FINVOICE-DATE", [](PrintedInvoice& i) { i.due_date.reset(); }, "without a due date"},
      {"FINVOICE-LANGUAGE", [](PrintedInvoice& i) { i.language = "de"; }, "\"de\""},
      {"FINVOICE-SUM-ROWS", [](PrintedInvoice& i) { i.lines[0].amount = eur("40.51"); },
       "the rows sum to 290.51 but the VAT-excluded total is 290.50"},
      {"FINVOICE-SUM-VAT-BASE", [](PrintedInvoice& i) { i.vat[0].net = eur("290.49"); }, "its VAT base is 290.49"},
      {"FINVOICE-SUM-VAT",
       [](PrintedInvoice& i) {
         i.vat_total = eur("0.01");
         i.gross = eur("290.51");
       },
       "the VAT rows sum to 0.00 but the VAT total is 0.01"},
      {"FINVOICE-VAT-AMOUNT",
       [](PrintedInvoice& i) {
         for (auto& l : i.lines) {
           l.vat_category = "S";
           l.vat_rate = "25.50";
         }
         finish(i);
         i.vat[0].vat = eur("74.07");
         i.vat_total = eur("74.07");
         i.gross = eur("364.57");
       },
       "VAT S 25.50% on 290.50 is 74.07 but the rate gives 74.08"},
      {"FINVOICE-SUM-TOTAL", [](PrintedInvoice& i) { i.gross = eur("290.60"); },
       "= 290.50 but the VAT-included total is 290.60"},
      {"FINVOICE-REFERENCE",
       [](PrintedInvoice& i) {
         i.reference.clear();
         i.rf_reference.clear();
       },
       "an invoice of 290.50 to pay has no reference number"},
      {"FINVOICE-REFERENCE", [](PrintedInvoice& i) { i.reference = "20270001234"; },
       "reference number \"20270001234\""},
      {"FINVOICE-REFERENCE", [](PrintedInvoice& i) { i.rf_reference = "RF3820270001233"; }, "\"RF3820270001233\""},
      {"FINVOICE-OVT", [](PrintedInvoice& i) { i.buyer.einvoice_id.clear(); },
       "buyer OVT code (e-invoice id) is empty"},
      {"FINVOICE-OPERATOR", [](PrintedInvoice& i) { i.seller.einvoice_operator.clear(); },
       "seller e-invoice operator is empty"},
      {"FINVOICE-BANK", [](PrintedInvoice& i) { i.seller.bic = "NDEA"; }, "seller BIC \"NDEA\" has 4 characters"},
      {"FINVOICE-BANK", [](PrintedInvoice& i) { i.seller.iban.clear(); }, "seller IBAN is empty"},
      {"FINVOICE-PARTY", [](PrintedInvoice& i) { i.buyer.name = std::string(71, 'x'); }, "buyer name"},
      {"FINVOICE-PARTY", [](PrintedInvoice& i) { i.buyer.street = "Hyvin pitkä katuosoite, joka ei mahdu 35"; },
       "buyer street"},
      {"FINVOICE-LENGTH", [](PrintedInvoice& i) { i.buyer_reference = std::string(71, 'R'); }, "buyer reference"},
      {"FINVOICE-LENGTH", [](PrintedInvoice& i) { i.lines[1].corrects_number = "2027-0001234567890123"; },
       "line 2 corrected invoice number"},
      {"FINVOICE-DECIMAL", [](PrintedInvoice& i) { i.lines[0].unit_price = "4.050000001"; },
       "line 1 unit price \"4.050000001\""},
  };
  for (const Case& c : cases) {
    auto invoice = sample();
    c.breaks(invoice);
    const auto document = finvoice(invoice);
    EXPECT_TRUE(document.xml.empty()) << c.rule;
    bool found = false;
    for (const auto& failure : document.failures) {
      if (failure.rule == c.rule && contains(failure.message, c.message_part)) found = true;
    }
    std::string all;
    for (const auto& failure : document.failures) all += failure.rule + ": " + failure.message + "\n";
    EXPECT_TRUE(found) << c.rule << " / " << c.message_part << "\ngot:\n" << all;
  }
}

TEST(Finvoice, RefusalsNameTheDocument) {
  auto invoice = sample();
  invoice.buyer.einvoice_operator.clear();
  const auto failures = finvoice_checks(invoice);
  ASSERT_EQ(failures.size(), 1U);
  EXPECT_EQ(failures[0].rule, "FINVOICE-OPERATOR");
  EXPECT_EQ(failures[0].message,
            "FINVOICE-OPERATOR: buyer e-invoice operator is empty; Finvoice needs 2 to 35 "
            "characters");
  EXPECT_EQ(costcover::render::finvoice_file_name(invoice), "2027-000123.finvoice.xml");
}

}  // namespace
