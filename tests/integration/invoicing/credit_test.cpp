// Partial credit notes and re-billing after a full credit, against a real PostgreSQL,
// through the program (docs/invoicing.md, "Credit notes"). One agency (KTL) with one
// agreement for 2027: purchase invoices at the 2027 list price 4.05 and a base fee of
// 250.00 a month, all VAT category O (one invoice a month). March: 10 purchase invoices,
// so invoice 2027-000001 is 10 x 4.05 = 40.50 plus 250.00 = 290.50.
//
// What is pinned: a line credited by quantity (at the unit price) and by amount, refused
// above what is left (invoice, line, asked and left named), the rest credited without
// --line, several notes for one invoice, each credit line naming the line it credits; a
// month credited in part stays final; a month credited in full is billed again from the
// current inputs, the new invoice replacing the credited one, and the month's net revenue
// then equals what billing the corrected inputs afresh gives; corrections of later months
// compare with the new invoice; and corrections see a line net of its credits.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <soci/soci.h>

#include "test_database.hpp"

namespace fs = std::filesystem;
using costcover::testing::run_costcover;
using costcover::testing::TempDir;
using costcover::testing::TestDatabase;
using costcover::testing::write_file;

namespace {

constexpr const char* kAgreement = R"(agreement:
  id: SA-CREDIT
  version: 1
  client: KTL
  valid: {from: 2027-01-01, to: 2027-12-31}
  billing:
    payment_terms_days: 14
    buyer_reference: "CREDIT-1"
services:
  - service: purchase-invoice
    price: list
  - fee: base-fee
    service: account-management
    amount: 250.00
    per: month
)";

constexpr const char* kHeader = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status\n";

// Ten purchase invoices in March (3 + 7).
constexpr const char* kMarch =
    "C-0001,KTL,purchase-invoice,2027-03-01T09:00:00+02:00,2027-03-02T15:00:00+02:00,3,,delivered\n"
    "C-0002,KTL,purchase-invoice,2027-03-08T09:00:00+02:00,2027-03-09T15:00:00+02:00,7,,delivered\n";

class Credit : public ::testing::Test {
 protected:
  TestDatabase db;
  TempDir dir{"cccredit"};

  void SetUp() override {
    const fs::path contracts = costcover::testing::contracts_with_agreement(dir.path(), "credit.yaml", kAgreement);
    ok("contracts load '" + contracts.string() + "'");
  }

  costcover::testing::RunResult run(const std::string& args) { return run_costcover(db.connection_string(), args); }

  std::string ok(const std::string& args) {
    const auto result = run(args);
    EXPECT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    return result.out;
  }

  // `costcover credit ...` refused: its error line.
  std::string refused(const std::string& args) {
    const auto result = run(args);
    EXPECT_NE(result.status, 0) << args << "\n" << result.out;
    return result.err;
  }

  void ingest(const std::string& name, const std::string& rows) {
    const std::string file = write_file(dir.path() / (name + ".csv"), std::string(kHeader) + rows);
    ok("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / (name + ".rejects.csv")).string() +
       "' '" + file + "'");
    ok("nightly");
  }

  // March billed and finalised: invoice 2027-000001.
  void bill_march() {
    ingest("march", kMarch);
    ok("bill --early --period 2027-03");
    ok("finalize --period 2027-03 --issue-date 2027-04-01");
  }

  std::string text(const std::string& sql) {
    std::string value;
    soci::indicator indicator = soci::i_ok;
    db.session() << sql, soci::into(value, indicator);
    return indicator == soci::i_ok ? value : std::string("NULL");
  }

  // The line number of the first line of `kind` on invoice `number`.
  std::string line_of(const std::string& number, const std::string& kind) {
    return text(
        "SELECT CAST(min(l.line_no) AS text) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
        "WHERE i.number = '" +
        number + "' AND l.kind = '" + kind + "'");
  }

  // The month's net revenue: net totals of its final invoices and credit notes.
  std::string march_revenue() {
    return text("SELECT CAST(sum(net_total) AS text) FROM invoice WHERE period = '2027-03' AND status = 'final'");
  }
};

TEST_F(Credit, LinesByQuantityAndAmountNeverBeyondWhatIsLeftThenTheRest) {
  bill_march();
  ASSERT_EQ(text("SELECT CAST(net_total AS text) FROM invoice WHERE number = '2027-000001'"), "290.50");
  const std::string usage = line_of("2027-000001", "usage");
  const std::string fee = line_of("2027-000001", "fee");
  ASSERT_NE(usage, "NULL");
  ASSERT_NE(fee, "NULL");

  // 3 units of the usage line and 100.00 of the fee, in one note: -3 x 4.05 = -12.15.
  const auto out = ok("credit --invoice 2027-000001 --line " + usage + ":3 --line " + fee +
                      ":100.00EUR --reason 'Three invoices counted twice; fee reduced' --issue-date 2027-04-12");
  EXPECT_NE(out.find("credit note 2027-000002 for invoice 2027-000001: 2 line(s), net -112.15 EUR"), std::string::npos)
      << out;
  EXPECT_EQ(text("SELECT string_agg(l.credits_line_no || ':' || l.quantity || ':' || l.amount, ' ' ORDER BY l.line_no) "
                 "FROM invoice_line l JOIN invoice n ON n.id = l.invoice_id WHERE n.number = '2027-000002'"),
            usage + ":-3:-12.15 " + fee + ":0:-100.00");
  EXPECT_EQ(text("SELECT state FROM invoice_credit_state s JOIN invoice i ON i.id = s.invoice_id "
                 "WHERE i.number = '2027-000001'"),
            "part");

  // Never more than what is left: 7 units, 150.00 of the fee.
  EXPECT_NE(refused("credit --invoice 2027-000001 --line " + usage + ":8 --reason x --issue-date 2027-04-12")
                .find("invoice 2027-000001 line " + usage + ": asked 8 unit(s), 7 unit(s) left"),
            std::string::npos);
  EXPECT_NE(refused("credit --invoice 2027-000001 --line " + fee + ":150.01EUR --reason x --issue-date 2027-04-12")
                .find("invoice 2027-000001 line " + fee + ": asked 150.01 EUR, 150.00 EUR left"),
            std::string::npos);
  EXPECT_NE(refused("credit --invoice 2027-000001 --line " + fee + ":1 --reason x --issue-date 2027-04-12")
                .find("is a fee line, not priced per unit"),
            std::string::npos);
  EXPECT_NE(refused("credit --invoice 2027-000001 --line " + usage + ":2.5 --reason x").find("--line"),
            std::string::npos);

  // A month credited in part stays final.
  const auto partly = ok("bill --early --period 2027-03");
  EXPECT_NE(partly.find("already final"), std::string::npos) << partly;
  EXPECT_EQ(text("SELECT count(*) FROM invoice WHERE status = 'draft'"), "0");

  // A second partial note (2 units), then the rest without --line: 5 units and 150.00.
  ok("credit --invoice 2027-000001 --line " + usage + ":2 --reason 'Two more' --issue-date 2027-04-13");
  const auto rest = ok("credit --invoice 2027-000001 --reason 'The rest' --issue-date 2027-04-14");
  EXPECT_NE(rest.find("credit note 2027-000004 for invoice 2027-000001: 2 line(s), net -170.25 EUR"), std::string::npos)
      << rest;
  EXPECT_NE(rest.find("now credited in full"), std::string::npos) << rest;
  EXPECT_EQ(text("SELECT count(*) FROM invoice WHERE credited_invoice_id = "
                 "(SELECT id FROM invoice WHERE number = '2027-000001')"),
            "3");
  // The parts sum to the whole, line by line.
  EXPECT_EQ(text("SELECT count(*) FROM invoice_line_credit s JOIN invoice i ON i.id = s.invoice_id "
                 "WHERE i.number = '2027-000001' AND (s.quantity + s.credited_quantity <> 0 "
                 "OR s.amount + s.credited_amount <> 0 OR s.exact_amount + s.credited_exact_amount <> 0)"),
            "0");
  EXPECT_EQ(march_revenue(), "0.00");
  EXPECT_NE(refused("credit --invoice 2027-000001 --reason again --issue-date 2027-04-14")
                .find("invoice 2027-000001 is credited in full already"),
            std::string::npos);
}

// The issue's check: a volume was wrong (two more purchase invoices came late), the whole
// invoice is credited, March is billed again from the current inputs and finalised; March's
// net revenue then equals what billing the corrected inputs afresh gives (12 x 4.05 +
// 250.00 = 298.60), and April corrects nothing of March, then one unit more.
TEST_F(Credit, AFullCreditReleasesTheMonthForANewInvoice) {
  bill_march();
  const std::string late =
      "C-0003,KTL,purchase-invoice,2027-03-19T09:00:00+02:00,2027-03-22T15:00:00+02:00,2,,delivered\n";
  ingest("late", late);
  ok("credit --invoice 2027-000001 --reason 'Two purchase invoices missing' --issue-date 2027-04-12");
  EXPECT_EQ(text("SELECT state FROM invoice_credit_state s JOIN invoice i ON i.id = s.invoice_id "
                 "WHERE i.number = '2027-000001'"),
            "full");

  const auto rebill = ok("bill --early --period 2027-03");
  EXPECT_EQ(rebill.find("already final"), std::string::npos) << rebill;
  EXPECT_EQ(text("SELECT CAST(d.net_total AS text) || ' replaces ' || f.number FROM invoice d "
                 "JOIN invoice f ON f.id = d.replaces_invoice_id WHERE d.status = 'draft'"),
            "298.60 replaces 2027-000001");
  ok("finalize --period 2027-03 --issue-date 2027-04-15");
  EXPECT_EQ(text("SELECT number FROM invoice WHERE replaces_invoice_id IS NOT NULL AND status = 'final'"),
            "2027-000003");
  EXPECT_EQ(march_revenue(), "298.60");
  // The new invoice keeps the month final.
  EXPECT_NE(ok("bill --early --period 2027-03").find("already final"), std::string::npos);

  // The same inputs billed afresh in a second database give the same month.
  {
    TestDatabase fresh;
    const auto fresh_run = [&](const std::string& args) {
      const auto result = run_costcover(fresh.connection_string(), args);
      ASSERT_EQ(result.status, 0) << args << "\n" << result.out << result.err;
    };
    fresh_run("contracts load '" + (dir.path() / "contracts").string() + "'");
    fresh_run("ingest --source golden --as-of 2028-01-01 --rejects '" + (dir.path() / "fresh.rejects.csv").string() +
              "' '" + write_file(dir.path() / "all.csv", std::string(kHeader) + kMarch + late) + "'");
    fresh_run("nightly");
    fresh_run("bill --early --period 2027-03");
    fresh_run("finalize --period 2027-03 --issue-date 2027-04-15");
    std::string fresh_revenue;
    fresh.session() << "SELECT CAST(sum(net_total) AS text) FROM invoice WHERE period = '2027-03'",
        soci::into(fresh_revenue);
    EXPECT_EQ(fresh_revenue, march_revenue());
  }

  // April: nothing of March to correct (the new invoice billed it), ...
  ok("bill --early --period 2027-04");
  EXPECT_EQ(text("SELECT count(*) FROM invoice_line WHERE kind = 'correction'"), "0");
  // ... and one more late unit is corrected against the new invoice, once.
  ingest("later", "C-0004,KTL,purchase-invoice,2027-03-23T09:00:00+02:00,2027-03-24T15:00:00+02:00,1,,delivered\n");
  ok("bill --early --period 2027-04");
  EXPECT_EQ(text("SELECT string_agg(l.quantity || ' ' || l.amount || ' of ' || c.number, ', ') FROM invoice_line l "
                 "JOIN invoice c ON c.id = l.corrects_invoice_id WHERE l.kind = 'correction'"),
            "1 4.05 of 2027-000003");
}

// A full credit is refused while a later final invoice corrects the invoice: that
// correction is billed money of the month, which a new invoice of the month would bill
// again. Crediting the correction line first lets it through.
TEST_F(Credit, AFullCreditWaitsForTheCorrectionsOfTheInvoice) {
  bill_march();
  ingest("late", "C-0003,KTL,purchase-invoice,2027-03-19T09:00:00+02:00,2027-03-22T15:00:00+02:00,2,,delivered\n");
  ok("bill --early --period 2027-04");
  ok("finalize --period 2027-04 --issue-date 2027-05-03");  // 2027-000002, with a correction of March
  const std::string correction = line_of("2027-000002", "correction");
  ASSERT_NE(correction, "NULL");
  EXPECT_NE(refused("credit --invoice 2027-000001 --reason x --issue-date 2027-05-04")
                .find("invoice 2027-000001 cannot be credited in full: it is corrected on 2027-000002 line " +
                      correction + "; credit those correction lines first"),
            std::string::npos);
  ok("credit --invoice 2027-000002 --line " + correction + " --reason 'March is billed again' --issue-date 2027-05-04");
  ok("credit --invoice 2027-000001 --reason 'March is billed again' --issue-date 2027-05-04");
  ok("bill --early --period 2027-03");
  ok("finalize --period 2027-03 --issue-date 2027-05-05");
  EXPECT_EQ(march_revenue(), "298.60");  // 12 x 4.05 + 250.00, the correction credited
}

// Corrections see a line net of its credits: two units credited by quantity because they
// were counted by mistake, then the production system cancels them; April corrects
// nothing (the credit already took them back). Without the rule April would take them
// back a second time.
TEST_F(Credit, CorrectionsSeeALineNetOfItsCredits) {
  bill_march();
  const std::string usage = line_of("2027-000001", "usage");
  ok("credit --invoice 2027-000001 --line " + usage + ":2 --reason 'Two counted by mistake' --issue-date 2027-04-12");
  // C-0002 was 7 units; it is delivered again as 5.
  ingest("fix",
         "C-0002,KTL,purchase-invoice,2027-03-08T09:00:00+02:00,2027-03-09T15:00:00+02:00,7,,cancelled\n"
         "C-0005,KTL,purchase-invoice,2027-03-08T09:00:00+02:00,2027-03-09T15:00:00+02:00,5,,delivered\n");
  ok("bill --early --period 2027-04");
  EXPECT_EQ(text("SELECT count(*) FROM invoice_line WHERE kind = 'correction'"), "0");
  EXPECT_EQ(march_revenue(), "282.40");  // 290.50 - 8.10 = 8 x 4.05 + 250.00
}

// An agency with invoices in both VAT groups: March's purchase invoices (category O) on
// 2027-000001, 40 archived documents (S 25.5 %, 40 x 0.1250 = 5.00) on 2027-000002. Only
// the credited group is billed again; the other stays final, and finalisation accepts the
// new invoice beside it.
TEST_F(Credit, OnlyTheVatGroupCreditedInFullIsBilledAgain) {
  std::string agreement = kAgreement;
  agreement += "  - service: archiving\n    price: list\n";
  const fs::path contracts = dir.path() / "contracts";
  write_file(contracts / "agreements" / "credit.yaml", agreement);
  ok("contracts load '" + contracts.string() + "'");
  ingest("archive", "C-0100,KTL,archiving,2027-03-01T09:00:00+02:00,2027-03-02T15:00:00+02:00,40,,delivered\n");
  bill_march();
  ASSERT_EQ(text("SELECT string_agg(number || ' ' || vat_group || ' ' || net_total, ', ' ORDER BY number) "
                 "FROM invoice"),
            "2027-000001 O 290.50, 2027-000002 VAT 5.00");
  ok("credit --invoice 2027-000002 --reason 'Archiving billed in error' --issue-date 2027-04-12");
  // The purchase invoices' group stays final: bill drafts the VAT group only.
  ok("bill --early --period 2027-03");
  EXPECT_EQ(text("SELECT string_agg(d.vat_group || ' replaces ' || f.number, ', ') FROM invoice d "
                 "JOIN invoice f ON f.id = d.replaces_invoice_id WHERE d.status = 'draft'"),
            "VAT replaces 2027-000002");
  ok("finalize --period 2027-03 --issue-date 2027-04-15");
  EXPECT_EQ(march_revenue(), "295.50");  // 290.50 + 5.00 - 5.00 + 5.00
  EXPECT_NE(ok("bill --early --period 2027-03").find("already final"), std::string::npos);
}

}  // namespace
