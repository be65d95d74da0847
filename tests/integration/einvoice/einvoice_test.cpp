// `costcover export --format ubl` against a real PostgreSQL, through the program
// (docs/einvoicing.md). KTL's March 2027 is billed and finalised (2027-000001: 10 purchase
// invoices at 4.05 and a base fee of 250.00, all VAT category O), then credited in part
// (2027-000002: 3 units and an amount credit of 100.00 on the fee); April is billed but left
// a draft.
//
// What is pinned: every final invoice and credit note becomes DIR/NUMBER.xml, valid
// against the UBL 2.1 schema (xmllint); a draft never becomes an e-invoice; a document
// that breaks a business rule is not written, the command names the invoice, the rule and
// the values and exits 1 after writing the others; a VAT-group invoice (S, and S with E)
// carries the seller's VAT id and VAT on the category's net sum.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <soci/soci.h>

#include "core/dates.hpp"
#include "db/connection.hpp"
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
  id: SA-EINVOICE
  version: 1
  client: KTL
  valid: {from: 2027-01-01, to: 2027-12-31}
  billing:
    payment_terms_days: 14
    buyer_reference: "KTL-E-1"
services:
  - service: purchase-invoice
    price: list
  - fee: base-fee
    service: account-management
    amount: 250.00
    per: month
)";

constexpr const char* kHeader = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";

constexpr const char* kRows =
    "E-0001,KTL,purchase-invoice,2027-03-01T09:00:00+02:00,2027-03-02T15:00:00+02:00,3,,delivered\n"
    "E-0002,KTL,purchase-invoice,2027-03-08T09:00:00+02:00,2027-03-09T15:00:00+02:00,7,,delivered\n"
    "E-0003,KTL,purchase-invoice,2027-04-05T09:00:00+02:00,2027-04-06T15:00:00+02:00,2,,delivered\n";

class Einvoice : public ::testing::Test {
 protected:
  TestDatabase db;
  TempDir dir{"cceinvoice"};

  void SetUp() override {
    const fs::path contracts = costcover::testing::contracts_with_agreement(dir.path(), "einvoice.yaml", kAgreement);
    ok("contracts load '" + contracts.string() + "'");
    const std::string file = write_file(dir.path() / "rows.csv", std::string(kHeader) + kRows);
    ok("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / "rows.rejects.csv").string() + "' '" +
       file + "'");
    ok("nightly");
    ok("bill --early --period 2027-03");
    ok("finalize --period 2027-03 --issue-date 2027-04-01");
    const std::string usage = line_of("2027-000001", "usage");
    const std::string fee = line_of("2027-000001", "fee");
    ok("credit --invoice 2027-000001 --line " + usage + ":3 --line " + fee +
       ":100.00EUR --reason 'Kolme laskua kahteen kertaan' --issue-date 2027-04-12");
    ok("bill --early --period 2027-04");
  }

  costcover::testing::RunResult run(const std::string& args) { return run_costcover(db.connection_string(), args); }

  std::string ok(const std::string& args) {
    const auto result = run(args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result.out;
  }

  std::string text(const std::string& sql) {
    std::string value;
    soci::indicator indicator = soci::i_ok;
    db.session() << sql, soci::into(value, indicator);
    return indicator == soci::i_ok ? value : std::string("NULL");
  }

  std::string line_of(const std::string& number, const std::string& kind) {
    return text(
        "SELECT CAST(min(l.line_no) AS text) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
        "WHERE i.number = '" +
        number + "' AND l.kind = '" + kind + "'");
  }
};

// xmllint's verdict on a file against the UBL 2.1 schema of its root.
void expect_valid(const fs::path& file) {
  const std::string content = read_file(file);
  const bool credit = content.find("<CreditNote ") != std::string::npos;
  const std::string schema = costcover::testing::source_dir() + "/tests/einvoice/schemas/ubl-2.1/xsd/maindoc/" +
                             (credit ? "UBL-CreditNote-2.1.xsd" : "UBL-Invoice-2.1.xsd");
  const std::string log = file.string() + ".log";
  const std::string command = "xmllint --noout --schema '" + schema + "' '" + file.string() + "' > '" + log + "' 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << file << ": " << read_file(log);
  fs::remove(log);
}

TEST_F(Einvoice, FinalDocumentsAreWrittenAndValidAgainstTheSchema) {
  const fs::path out = dir.path() / "einvoices";
  const std::string printed = ok("export --period 2027-03 --format ubl --out '" + out.string() + "'");
  EXPECT_EQ(printed,
            "export 2027-03 ubl: 2 document(s) written to " + out.string() + "/, 0 refused, 0 draft(s) skipped\n");
  ASSERT_TRUE(fs::exists(out / "2027-000001.xml"));
  ASSERT_TRUE(fs::exists(out / "2027-000002.xml"));
  expect_valid(out / "2027-000001.xml");
  expect_valid(out / "2027-000002.xml");
  const std::string invoice = read_file(out / "2027-000001.xml");
  EXPECT_NE(invoice.find("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"), std::string::npos);
  EXPECT_NE(invoice.find("<cbc:PayableAmount currencyID=\"EUR\">290.50</cbc:PayableAmount>"), std::string::npos);
  EXPECT_NE(invoice.find("<cbc:BuyerReference>KTL-E-1</cbc:BuyerReference>"), std::string::npos);
  EXPECT_NE(invoice.find("<cbc:EndpointID schemeID=\"0216\">003729000119</cbc:EndpointID>"), std::string::npos);
  const std::string credit = read_file(out / "2027-000002.xml");
  EXPECT_NE(credit.find("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"), std::string::npos);
  // 3 x 4.05 + 100.00, credited: a CreditNote of 112.15 referring to the invoice.
  EXPECT_NE(credit.find("<cbc:PayableAmount currencyID=\"EUR\">112.15</cbc:PayableAmount>"), std::string::npos);
  EXPECT_NE(credit.find("<cbc:ID>2027-000001</cbc:ID>"), std::string::npos);
}

TEST_F(Einvoice, DraftsAreNeverExported) {
  const fs::path out = dir.path() / "april";
  ASSERT_EQ(text("SELECT CAST(count(*) AS text) FROM invoice WHERE period = '2027-04' AND status = 'draft'"), "1");
  const std::string printed = ok("export --period 2027-04 --format ubl --out '" + out.string() + "'");
  EXPECT_EQ(printed,
            "export 2027-04 ubl: 0 document(s) written to " + out.string() + "/, 0 refused, 1 draft(s) skipped\n");
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Einvoice, ADocumentBreakingARuleIsRefusedAndTheOthersWritten) {
  // A frozen copy without a buyer reference cannot be made through the program (the
  // agreement requires one); a superuser session with the triggers off writes one, as an
  // old or damaged row would be.
  {
    auto admin = costcover::db::connect(
        costcover::testing::with_keyword(costcover::testing::admin_connection_string(), "dbname", db.name()));
    *admin << "SET session_replication_role = replica";
    *admin << "UPDATE invoice_particulars SET buyer_reference = '' "
              "WHERE invoice_id = (SELECT id FROM invoice WHERE number = '2027-000001')";
  }
  const fs::path out = dir.path() / "einvoices";
  fs::create_directories(out);
  write_file(out / "2027-000001.xml", "an earlier export");
  const auto result = run("export --period 2027-03 --format ubl --out '" + out.string() + "'");
  EXPECT_EQ(result.status, 1) << result.out << result.err;
  EXPECT_EQ(result.out, "export 2027-03 ubl: 1 document(s) written to " + out.string() +
                            "/, 1 refused, 0 draft(s) skipped\n"
                            "removed the earlier file of a refused document " +
                            (out / "2027-000001.xml").string() + "\n");
  EXPECT_EQ(result.err, "refused invoice 2027-000001: PEPPOL-EN16931-R003: buyer reference is missing\n");
  EXPECT_FALSE(fs::exists(out / "2027-000001.xml")) << "a refused document leaves no file";
  ASSERT_TRUE(fs::exists(out / "2027-000002.xml"));
  expect_valid(out / "2027-000002.xml");
}

// A month with VAT: KTL buys archiving (S 25.5 %, 0.1250 a document) and training (E, 185.00
// a participant-day) besides its O services, so March has two invoices: 2027-000001 (O)
// and 2027-000002 (VAT group, S and E on one document, the seller's VAT id written).
constexpr const char* kVatAgreement = R"(agreement:
  id: SA-EINVOICE-VAT
  version: 1
  client: KTL
  valid: {from: 2027-01-01, to: 2027-12-31}
  billing:
    payment_terms_days: 14
    buyer_reference: "KTL-E-2"
services:
  - service: purchase-invoice
    price: list
  - service: archiving
    price: list
  - service: training
    price: list
)";

constexpr const char* kVatRows =
    "V-0001,KTL,purchase-invoice,2027-03-01T09:00:00+02:00,2027-03-02T15:00:00+02:00,3,,delivered\n"
    "V-0002,KTL,archiving,2027-03-03T09:00:00+02:00,2027-03-03T15:00:00+02:00,1203,,delivered\n"
    "V-0003,KTL,training,2027-03-10T09:00:00+02:00,2027-03-10T15:00:00+02:00,2,,delivered\n";

TEST(EinvoiceVat, StandardRateAndExemptLinesShareAValidDocument) {
  TestDatabase db;
  TempDir dir{"cceinvoicevat"};
  auto ok = [&](const std::string& args) {
    const auto result = run_costcover(db.connection_string(), args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result.out;
  };
  const fs::path contracts = costcover::testing::contracts_with_agreement(dir.path(), "vat.yaml", kVatAgreement);
  ok("contracts load '" + contracts.string() + "'");
  const std::string file = write_file(dir.path() / "rows.csv", std::string(kHeader) + kVatRows);
  ok("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / "rows.rejects.csv").string() + "' '" +
     file + "'");
  ok("nightly");
  ok("bill --early --period 2027-03");
  ok("finalize --period 2027-03 --issue-date 2027-04-01");
  const fs::path out = dir.path() / "einvoices";
  const std::string command = "export --period 2027-03 --format ubl --out '" + out.string() + "'";
  // The exemption reason of an E line is the catalog's, frozen with the line (sql/071).
  for (const auto& invoice : costcover::store::read_month_invoices(db.session(), costcover::Month(2027, 3)).invoices) {
    for (const auto& line : invoice.lines) {
      if (line.vat_category == "E") {
        EXPECT_FALSE(line.vat_exemption_reason.empty()) << invoice.number;
      }
    }
  }
  EXPECT_EQ(ok(command),
            "export 2027-03 ubl: 2 document(s) written to " + out.string() + "/, 0 refused, 0 draft(s) skipped\n");
  for (const auto& entry : fs::directory_iterator(out)) expect_valid(entry.path());
  const std::string o = read_file(out / "2027-000001.xml");
  EXPECT_EQ(o.find("PartyTaxScheme"), std::string::npos) << "an all-O document carries no VAT id";
  const std::string vat = read_file(out / "2027-000002.xml");
  EXPECT_NE(vat.find("<cbc:CompanyID>FI29001306</cbc:CompanyID>"), std::string::npos) << vat;
  // 1203 x 0.1250 = 150.375 -> 150.38; VAT 25.5 % of 150.38 = 38.3469 -> 38.35.
  EXPECT_NE(vat.find("<cbc:TaxableAmount currencyID=\"EUR\">150.38</cbc:TaxableAmount>"), std::string::npos) << vat;
  EXPECT_NE(vat.find("<cbc:TaxAmount currencyID=\"EUR\">38.35</cbc:TaxAmount>"), std::string::npos) << vat;
  EXPECT_NE(vat.find("<cbc:ID>E</cbc:ID>"), std::string::npos);
  EXPECT_NE(vat.find("<cbc:InvoicedQuantity unitCode=\"DAY\">2</cbc:InvoicedQuantity>"), std::string::npos) << vat;
}

// Archiving only (S 25.5 %) on the VAT group's invoice: the seller's VAT id, the rate and
// the half cent, through the store, valid against the schema.
TEST(EinvoiceVat, StandardRateDocumentFromTheStoreIsValid) {
  TestDatabase db;
  TempDir dir{"cceinvoices"};
  auto ok = [&](const std::string& args) {
    const auto result = run_costcover(db.connection_string(), args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result.out;
  };
  std::string agreement = kVatAgreement;
  agreement.erase(agreement.find("  - service: training"));
  const fs::path contracts = costcover::testing::contracts_with_agreement(dir.path(), "vat.yaml", agreement);
  ok("contracts load '" + contracts.string() + "'");
  std::string rows = kVatRows;
  rows.erase(rows.find("V-0003"));
  const std::string file = write_file(dir.path() / "rows.csv", std::string(kHeader) + rows);
  ok("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / "rows.rejects.csv").string() + "' '" +
     file + "'");
  ok("nightly");
  ok("bill --early --period 2027-03");
  ok("finalize --period 2027-03 --issue-date 2027-04-01");
  const fs::path out = dir.path() / "einvoices";
  EXPECT_EQ(ok("export --period 2027-03 --format ubl --out '" + out.string() + "'"),
            "export 2027-03 ubl: 2 document(s) written to " + out.string() + "/, 0 refused, 0 draft(s) skipped\n");
  for (const auto& entry : fs::directory_iterator(out)) expect_valid(entry.path());
  const std::string vat = read_file(out / "2027-000002.xml");
  EXPECT_NE(vat.find("<cbc:CompanyID>FI29001306</cbc:CompanyID>"), std::string::npos) << vat;
  // 1203 x 0.1250 = 150.375 -> 150.38; VAT 25.5 % of 150.38 = 38.3469 -> 38.35.
  EXPECT_NE(vat.find("<cbc:TaxableAmount currencyID=\"EUR\">150.38</cbc:TaxableAmount>"), std::string::npos) << vat;
  EXPECT_NE(vat.find("<cbc:TaxAmount currencyID=\"EUR\">38.35</cbc:TaxAmount>"), std::string::npos) << vat;
  EXPECT_NE(vat.find("<cbc:Percent>25.50</cbc:Percent>"), std::string::npos) << vat;
}

}  // namespace
