// Finvoice export against a real PostgreSQL (docs/finvoice.md): KTL's March 2027 billed and
// finalised (invoice 2027-000001, category O), credit note 2027-000002 crediting it in full, and
// April billed but left a draft. The month's documents are read from the database
// (store::read_month_invoices) and exported; every file must be valid against Finance
// Finland's schema (xmllint), the credit note an INV02 naming the invoice it credits, and
// no draft is ever exported; a document refused on a later export loses its earlier file.
//
// The e-invoice operators and the reference numbers come from the contracts and from
// finalisation once the reference-and-language work is in; where the database gives none
// yet, WithOperatorsAndReferences supplies them (as agencies.yaml and finalisation will),
// and ThroughTheProgram accepts only the refusals that their absence causes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

// The Finnish reference number of a base of digits: the base and its 7-3-1 check digit.
std::string reference_of(const std::string& number) {
  std::string base;
  for (const char c : number) {
    if (c >= '0' && c <= '9') base += c;
  }
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  int position = 0;
  for (auto it = base.rbegin(); it != base.rend(); ++it, ++position) sum += (*it - '0') * kWeights[position % 3];
  return base + std::to_string((10 - sum % 10) % 10);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Finvoice : public ::testing::Test {
 protected:
  TestDatabase db;
  TempDir dir{"ccfinvoice"};

  void SetUp() override {
    const fs::path samples = fs::path(costcover::testing::source_dir()) / "contracts";
    const fs::path contracts = dir.path() / "contracts";
    fs::create_directories(contracts / "agreements");
    for (const char* file : {"catalog.yaml", "agencies.yaml"}) fs::copy(samples / file, contracts / file);
    fs::copy(samples / "prices", contracts / "prices", fs::copy_options::recursive);
    write_file(contracts / "agreements" / "finvoice.yaml", kAgreement);
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

TEST_F(Finvoice, WithOperatorsAndReferencesEveryFinalIsWrittenAndSchemaValid) {
  auto march = costcover::store::read_month_invoices(db.session(), costcover::Month(2027, 3));
  ASSERT_EQ(march.invoices.size(), 2U);  // the invoice and its credit note
  for (auto& document : march.invoices) {
    if (document.seller.einvoice_operator.empty()) document.seller.einvoice_operator = "003721291126";
    if (document.buyer.einvoice_operator.empty()) document.buyer.einvoice_operator = "003723327487";
    if (document.reference.empty()) document.reference = reference_of(document.number);
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
  const auto drafts = costcover::jobs::write_einvoices(april, april_out.string(), costcover::jobs::EinvoiceFormat::finvoice);
  EXPECT_EQ(drafts.written, 0);
  EXPECT_GE(drafts.drafts, 1);
  EXPECT_TRUE(files_in(april_out).empty());
}

TEST_F(Finvoice, ThroughTheProgramEachFinalIsWrittenOrRefusedWithItsCheck) {
  const fs::path out = dir.path() / "cli";
  const auto result = run("export --period 2027-03 --format finvoice --out '" + out.string() + "'");
  const auto written = files_in(out);
  // Every final document is either written and valid or refused; the only checks the
  // database can fail here are the data it does not hold yet (operators, references).
  for (const auto& [number, document] :
       {std::pair{"2027-000001", "invoice 2027-000001"}, std::pair{"2027-000002", "credit note 2027-000002"}}) {
    const std::string name = std::string(number) + ".finvoice.xml";
    if (written.count(name) > 0) {
      EXPECT_EQ(schema_errors(out / name), "");
      EXPECT_FALSE(contains(result.err, std::string("refused ") + document + ":")) << result.err;
    } else {
      EXPECT_TRUE(contains(result.err, std::string("refused ") + document + ": FINVOICE-")) << result.err;
    }
  }
  std::istringstream lines(result.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    EXPECT_TRUE(contains(line, ": FINVOICE-OPERATOR: ") || contains(line, ": FINVOICE-REFERENCE: ")) << line;
  }
  EXPECT_EQ(result.status, written.size() == 2 ? 0 : 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "export 2027-03 finvoice: " + std::to_string(written.size()) +
                                       " document(s) written to " + out.string() + "/, " +
                                       std::to_string(2 - written.size()) + " refused"))
      << result.out;

  // April: a draft only, never an e-invoice.
  const fs::path april = dir.path() / "cli-april";
  const auto drafts = run("export --period 2027-04 --format finvoice --out '" + april.string() + "'");
  EXPECT_EQ(drafts.status, 0) << drafts.out << drafts.err;
  EXPECT_TRUE(contains(drafts.out, "0 document(s) written")) << drafts.out;
  EXPECT_TRUE(files_in(april).empty());
}

}  // namespace
