// Finvoice export against a real PostgreSQL (docs/finvoice.md): KTL's March 2027 billed and
// finalised (invoice 2027-000001, category O), credit note 2027-000002 crediting it in full, and
// April billed but left a draft. The month's documents are read from the database
// (store::read_month_invoices) and exported; every file must be valid against Finance
// Finland's schema (xmllint), the credit note an INV02 naming the invoice it credits, and
// no draft is ever exported; a document refused on a later export loses its earlier file.
// The e-invoice operators come from the sample agencies.yaml and catalog.yaml, the
// reference numbers from finalisation (sql/071).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/reference.hpp"
#include "jobs/export.hpp"
#include "store/invoices.hpp"
#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::read_file;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;
using costcover::testing::TestDatabase;
using costcover::testing::write_file;

namespace {

constexpr const char* kAgreement = R"(agreement:
  id: SA-FINVOICE
  version: 1
  client: KTL
  valid: {from: 2027-01-01, to: 2027-12-31}
  billing:
    payment_terms_days: 14
    buyer_reference: "KTL & <OSTO>"
services:
  - service: purchase-invoice
    price: list
  - fee: base-fee
    service: account-management
    amount: 250.00
    per: month
)";

constexpr const char* kHeader = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";
constexpr const char* kMarch =
    "F-0001,KTL,purchase-invoice,2027-03-01T09:00:00+02:00,2027-03-02T15:00:00+02:00,3,,delivered\n"
    "F-0002,KTL,purchase-invoice,2027-03-08T09:00:00+02:00,2027-03-09T15:00:00+02:00,7,,delivered\n";
constexpr const char* kApril =
    "F-0003,KTL,purchase-invoice,2027-04-05T09:00:00+02:00,2027-04-06T15:00:00+02:00,5,,delivered\n";

// xmllint's verdict on a file against the Finvoice 3.0 schema: "" when valid.
std::string schema_errors(const fs::path& file) {
  const fs::path log = file.string() + ".log";
  const std::string command = "xmllint --noout --schema '" + std::string(COSTCOVER_FINVOICE_XSD) + "' '" +
                              file.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  const std::string output = read_file(log);
  fs::remove(log);
  return status == 0 ? std::string() : file.string() + ": " + output;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Finvoice : public ::testing::Test {
 protected:
  TestDatabase db;
  TempDir dir{"ccfinvoice"};

  void SetUp() override {
    const fs::path contracts = costcover::testing::contracts_with_agreement(dir.path(), "finvoice.yaml", kAgreement);
    ok("contracts load '" + contracts.string() + "'");
    ingest("march", kMarch);
    ok("bill --early --period 2027-03");
    ok("finalize --period 2027-03 --issue-date 2027-04-01");
    ok("credit --invoice 2027-000001 --reason 'Laskettu väärin' --issue-date 2027-04-12");
    ingest("april", kApril);
    ok("bill --early --period 2027-04");
  }

  costcover::testing::RunResult run(const std::string& args) { return run_costcover(db.connection_string(), args); }

  std::string ok(const std::string& args) {
    const auto result = run(args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result.out;
  }

  void ingest(const std::string& name, const std::string& rows) {
    const std::string file = write_file(dir.path() / (name + ".csv"), std::string(kHeader) + rows);
    ok("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / (name + ".rejects.csv")).string() +
       "' '" + file + "'");
    ok("nightly");
  }

  // The names of the files in `folder`.
  static std::set<std::string> files_in(const fs::path& folder) {
    std::set<std::string> names;
    if (!fs::is_directory(folder)) return names;
    for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
    return names;
  }
};

TEST_F(Finvoice, EveryFinalIsWrittenWithItsOperatorsAndReferenceAndIsSchemaValid) {
  auto march = costcover::store::read_month_invoices(db.session(), costcover::Month(2027, 3));
  ASSERT_EQ(march.invoices.size(), 2U);  // the invoice and its credit note
  for (const auto& document : march.invoices) {
    EXPECT_FALSE(document.seller.einvoice_operator.empty()) << document.number;
    EXPECT_FALSE(document.buyer.einvoice_operator.empty()) << document.number;
    EXPECT_TRUE(costcover::valid_reference(document.reference)) << document.number << ": " << document.reference;
    EXPECT_TRUE(costcover::valid_rf_reference(document.rf_reference)) << document.number;
  }
  const fs::path out = dir.path() / "einvoices";
  const auto result = costcover::jobs::write_einvoices(march, out.string(), costcover::jobs::EinvoiceFormat::finvoice);
  for (const auto& refusal : result.refusals) ADD_FAILURE() << refusal.rule << ": " << refusal.message;
  EXPECT_EQ(result.written, 2);
  EXPECT_EQ(result.drafts, 0);
  EXPECT_EQ(files_in(out), (std::set<std::string>{"2027-000001.finvoice.xml", "2027-000002.finvoice.xml"}));
  for (const auto& name : files_in(out)) EXPECT_EQ(schema_errors(out / name), "");

  const std::string invoice = read_file(out / "2027-000001.finvoice.xml");
  EXPECT_TRUE(contains(invoice, "<InvoiceTypeCode>INV01</InvoiceTypeCode>"));
  EXPECT_TRUE(contains(invoice, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">290,50<"));
  EXPECT_TRUE(contains(invoice, "<InvoiceDate Format=\"CCYYMMDD\">20270401<"));
  EXPECT_TRUE(contains(invoice, "<BuyerReferenceIdentifier>KTL &amp; &lt;OSTO&gt;<"));
  EXPECT_TRUE(contains(invoice, "<ToIdentifier SchemeID=\"0216\">003729000119</ToIdentifier>"));
  EXPECT_TRUE(contains(invoice, "<EpiAccountID IdentificationSchemeName=\"IBAN\">FI2112345600000785<"));
  const std::string note = read_file(out / "2027-000002.finvoice.xml");
  EXPECT_TRUE(contains(note, "<InvoiceTypeCode>INV02</InvoiceTypeCode>"));
  EXPECT_TRUE(contains(note, "<OriginalInvoiceNumber>2027-000001</OriginalInvoiceNumber>"));
  EXPECT_TRUE(contains(note, "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">-290,50<"));

  // Exported again with the invoice refused: its earlier file is removed, the credit note
  // is written again.
  march.invoices[0].buyer.einvoice_operator.clear();
  const auto again = costcover::jobs::write_einvoices(march, out.string(), costcover::jobs::EinvoiceFormat::finvoice);
  EXPECT_EQ(again.written, 1);
  EXPECT_EQ(again.refused, 1);
  ASSERT_EQ(again.refusals.size(), 1U);
  EXPECT_EQ(again.refusals[0].number, "2027-000001");
  EXPECT_EQ(again.refusals[0].rule, "FINVOICE-OPERATOR");
  EXPECT_EQ(again.removed, (std::vector<std::string>{(out / "2027-000001.finvoice.xml").string()}));
  EXPECT_EQ(files_in(out), (std::set<std::string>{"2027-000002.finvoice.xml"}));

  // April has only a draft: nothing is exported.
  const auto april = costcover::store::read_month_invoices(db.session(), costcover::Month(2027, 4));
  const fs::path april_out = dir.path() / "april";
  const auto drafts =
      costcover::jobs::write_einvoices(april, april_out.string(), costcover::jobs::EinvoiceFormat::finvoice);
  EXPECT_EQ(drafts.written, 0);
  EXPECT_GE(drafts.drafts, 1);
  EXPECT_TRUE(files_in(april_out).empty());
}

TEST_F(Finvoice, ThroughTheProgramEveryFinalIsWrittenAndSchemaValid) {
  const fs::path out = dir.path() / "cli";
  const auto result = run("export --period 2027-03 --format finvoice --out '" + out.string() + "'");
  EXPECT_EQ(result.status, 0) << result.out << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out,
            "export 2027-03 finvoice: 2 document(s) written to " + out.string() + "/, 0 refused, 0 draft(s) skipped\n");
  EXPECT_EQ(files_in(out), (std::set<std::string>{"2027-000001.finvoice.xml", "2027-000002.finvoice.xml"}));
  for (const auto& name : files_in(out)) EXPECT_EQ(schema_errors(out / name), "");
  const std::string invoice = read_file(out / "2027-000001.finvoice.xml");
  const std::string reference = costcover::invoice_reference("2027-000001");
  EXPECT_TRUE(contains(invoice, ">" + reference + "</EpiRemittanceInfoIdentifier>")) << reference;

  // April: a draft only, never an e-invoice.
  const fs::path april = dir.path() / "cli-april";
  const auto drafts = run("export --period 2027-04 --format finvoice --out '" + april.string() + "'");
  EXPECT_EQ(drafts.status, 0) << drafts.out << drafts.err;
  EXPECT_TRUE(contains(drafts.out, "0 document(s) written")) << drafts.out;
  EXPECT_TRUE(files_in(april).empty());
}

}  // namespace
