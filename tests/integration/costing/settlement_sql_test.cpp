// The settlement's questions to the invoice tables (sql/062_settlement.sql, through
// store/invoices.hpp's settlement section): one invoice per row of each function's
// decision table, and the answer each function gives. Also the settlement drafts' shape
// (jobs::settlement_invoices, pure).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "costing/settlement_year.hpp"
#include "invoice_fixture.hpp"
#include "jobs/settle.hpp"
#include "store/invoices.hpp"
#include "test_database.hpp"

namespace costcover {
namespace {

using testing::add_invoice;
using testing::FixtureInvoice;
using testing::line;

Money eur(const std::string& text) { return Money::parse(text); }

std::string shown(const std::vector<costing::InvoicedAmount>& amounts) {
  std::string out;
  for (const auto& a : amounts) out += "[" + a.service + " " + a.agency + " " + a.amount.to_string() + "]";
  return out;
}

class SettlementQueries : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto loaded =
        testing::run_costcover(db_.connection_string(), "contracts load '" + testing::source_dir() + "/contracts'");
    ASSERT_EQ(loaded.status, 0) << loaded.out << loaded.err;
    auto& s = db_.session();
    // Final invoices of 2026 (revenue unless noted). In March a usage line priced
    // "settlement 2026" is still usage; April credits March; May corrects it and charges a fee.
    const auto march = add_invoice(
        s, {"final",
            "KTL",
            "2026-03",
            false,
            {line("usage", "payment", eur("100.00")), line("usage", "payment", eur("1.00"), "settlement 2026")},
            {}});
    add_invoice(s, {"final", "KTL", "2026-04", false, {line("usage", "payment", eur("-30.00"))}, march});
    add_invoice(s, {"final",
                    "KTL",
                    "2026-05",
                    false,
                    {line("correction", "payment", eur("-5.00"), "list 2026", march), line("fee", "", eur("7.00"))},
                    {}});
    add_invoice(
        s, {"final", "LVT", "2026-12", false, {line("settlement", "payment", eur("20.00"), "settlement 2026")}, {}});
    add_invoice(
        s, {"final", "MMV", "2026-11", false, {line("settlement", "payment", eur("30.00"), "settlement 2025")}, {}});
    // Final invoices of other years: no revenue of 2026.
    add_invoice(s, {"final", "KTL", "2027-01", false, {line("usage", "payment", eur("1000.00"))}, {}});
    add_invoice(s, {"final", "KTL", "2025-12", false, {line("usage", "payment", eur("1000.00"))}, {}});
    // Drafts: never revenue.
    add_invoice(s, {"draft", "MMV", "2026-06", false, {line("usage", "payment", eur("500.00"))}, {}});
    add_invoice(
        s, {"draft", "KTL", "2026-12", true, {line("settlement", "archiving", eur("10.00"), "settlement 2026")}, {}});
    add_invoice(
        s, {"draft", "MMV", "2026-12", false, {line("settlement", "payment", eur("40.00"), "settlement 2025")}, {}});
    add_invoice(s, {"draft", "LVT", "2027-02", false, {line("usage", "payment", eur("3.00"))}, {}});
  }

  testing::TestDatabase db_;
};

TEST_F(SettlementQueries, RevenueIsFinalInvoicesOfTheYearWithoutSettlementLines) {
  // KTL payment: 100.00 + 1.00 (usage, whatever its price source) - 30.00 (credit note)
  // - 5.00 (correction) = 66.00; the fee 7.00 under "". Not counted: LVT's and MMV's
  // settlement lines (2026 and 2025), 2027-01 and 2025-12, and every draft.
  EXPECT_EQ(shown(store::settlement_revenue(db_.session(), 2026)), "[ KTL 7.00][payment KTL 66.00]");
  // 2027: only KTL's final 2027-01 (LVT's 2027-02 is a draft).
  EXPECT_EQ(shown(store::settlement_revenue(db_.session(), 2027)), "[payment KTL 1000.00]");
}

TEST_F(SettlementQueries, SettlementLinesAreThoseOfKindSettlementPricedForTheYear) {
  // Finals: LVT's 20.00 (settlement 2026); MMV's 30.00 settles 2025, KTL's 1.00 is usage.
  EXPECT_EQ(shown(store::final_settlement_amounts(db_.session(), 2026)), "[payment LVT 20.00]");
  EXPECT_EQ(shown(store::final_settlement_amounts(db_.session(), 2025)), "[payment MMV 30.00]");
  // Drafts and finals: archiving 10.00 (KTL's draft), payment 20.00.
  EXPECT_EQ(store::settlement_sums(db_.session(), 2026),
            (std::map<std::string, Money>{{"archiving", eur("10.00")}, {"payment", eur("20.00")}}));
  // 2025: MMV's final 30.00 and draft 40.00.
  EXPECT_EQ(store::settlement_sums(db_.session(), 2025), (std::map<std::string, Money>{{"payment", eur("70.00")}}));
}

TEST_F(SettlementQueries, DraftsOfTheYearBlockButSettlesOwn) {
  // MMV 2026-06 (usage) and MMV 2026-12 (it settles 2025, not 2026) block; KTL's 2026-12
  // holds a settlement line of 2026: settle's own. LVT 2027-02 is another year.
  EXPECT_EQ(store::settlement_blocking_drafts(db_.session(), 2026),
            (std::vector<std::string>{"MMV 2026-06", "MMV 2026-12"}));
  EXPECT_EQ(store::settlement_blocking_drafts(db_.session(), 2027), (std::vector<std::string>{"LVT 2027-02"}));
  // 2025 has no drafts (MMV's 2026-12 draft settles 2025 but is of 2026).
  EXPECT_TRUE(store::settlement_blocking_drafts(db_.session(), 2025).empty());
}

TEST_F(SettlementQueries, MonthsWithoutAFinalInvoiceOfAnyKind) {
  // Finals in 2026-03 (invoice), 2026-04 (credit note), 2026-05, 2026-11 and 2026-12;
  // 2026-06 has only a draft.
  EXPECT_EQ(store::months_without_final_invoice(db_.session(), 2026),
            (std::vector<std::string>{"2026-01", "2026-02", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}));
}

TEST_F(SettlementQueries, DeletingSettlesOwnDraftsOnly) {
  auto& s = db_.session();
  // Settle's own 2026 draft: KTL 2026-12 (10.00). Not MMV's 2026-12 (a 2025 line), no final.
  EXPECT_EQ(store::delete_settlement_drafts(s, 2026), 1);
  EXPECT_EQ(store::settlement_sums(s, 2026), (std::map<std::string, Money>{{"payment", eur("20.00")}}));
  EXPECT_EQ(db::scalar(s, "SELECT count(*) FROM invoice WHERE status = 'draft'"), "3");
  // MMV's 2025 settlement draft is of period 2026-12, not 2025-12: it stays.
  EXPECT_EQ(store::delete_settlement_drafts(s, 2025), 0);
}

model::Agreement agreement(const std::string& id, int version, const std::string& client, const std::string& from,
                           const std::string& to, const std::string& reference) {
  model::Agreement a;
  a.id = id;
  a.version = version;
  a.client = client;
  a.valid = {parse_date(from), parse_date(to)};
  a.billing.buyer_reference = reference;
  return a;
}

// KTL's payment (O) and archiving (S 25.5 %) lines make two drafts (group O first), LVT's
// one; the header is KTL's version 2, in force on 31 December 2026. A group summing to a
// credit is a credit note.
TEST(SettlementInvoices, OnePerAgencyAndVatGroupOfPeriodDecember) {
  const model::Vat standard{model::VatCategory::standard, Decimal::parse("25.5"), ""};
  const std::vector<costing::SettlementInvoiceLine> lines = {
      {"KTL", "payment", "KTL payment", eur("75.00"), {}},
      {"KTL", "archiving", "KTL archiving", eur("-10.00"), standard},
      {"LVT", "payment", "LVT payment", eur("25.00"), {}},
  };
  const std::vector<model::Agreement> agreements = {
      agreement("SA-KTL", 1, "KTL", "2025-01-01", "2026-06-30", "KTL-1"),
      agreement("SA-KTL", 2, "KTL", "2026-07-01", "2027-12-31", "KTL-2"),
      agreement("SA-LVT", 1, "LVT", "2025-01-01", "2026-03-31", "LVT-1"),  // ended within the year
  };
  std::vector<model::Agency> agencies(1);
  agencies[0].id = "KTL";
  agencies[0].language = "en";  // LVT is not listed: fi
  const auto invoices = jobs::settlement_invoices(2026, lines, agreements, agencies);
  ASSERT_EQ(invoices.size(), 3U);
  EXPECT_EQ(invoices[0].header.agency, "KTL");
  EXPECT_EQ(invoices[0].header.period, Month(2026, 12));
  EXPECT_EQ(invoices[0].header.buyer_reference, "KTL-2");
  EXPECT_EQ(invoices[0].group, invoice::VatGroup::not_subject);
  EXPECT_EQ(invoices[0].net, eur("75.00"));
  EXPECT_EQ(invoices[1].group, invoice::VatGroup::subject);
  EXPECT_EQ(invoices[1].net, eur("-10.00"));
  EXPECT_EQ(invoices[1].vat_total, eur("-2.55"));
  // KTL's archiving credit is a credit note of no invoice, its payment charge an invoice.
  EXPECT_EQ(invoices[0].kind, invoice::InvoiceKind::invoice);
  EXPECT_EQ(invoices[1].kind, invoice::InvoiceKind::credit_note);
  EXPECT_FALSE(invoices[1].credited_invoice_id.has_value());
  EXPECT_EQ(invoices[1].settles_year, 2026);
  EXPECT_EQ(invoices[1].credit_reason, "Cost-covering settlement of 2026: the surplus returned");
  EXPECT_EQ(invoices[2].header.agency, "LVT");
  EXPECT_EQ(invoices[2].header.buyer_reference, "LVT-1");  // the one that ended last in the year
  const invoice::Line& line = invoices[0].lines.at(0);
  EXPECT_EQ(line.kind, model::LineKind::settlement);
  EXPECT_EQ(line.description, "KTL payment");
  EXPECT_EQ(line.quantity, 1);
  EXPECT_EQ(line.unit_price, Decimal::parse("75.00"));
  EXPECT_EQ(line.exact_amount, Decimal::parse("75.00"));
  EXPECT_EQ(line.price_source, "settlement 2026");
  EXPECT_EQ(line.days, (DateRange{Date(2026, 1, 1), Date(2026, 12, 31)}));
  EXPECT_EQ(line.agreement_id, "SA-KTL");
  EXPECT_EQ(line.agreement_version, 2);
  EXPECT_TRUE(jobs::settlement_invoices(2026, {}, agreements, agencies).empty());
  // A credit note of an agency printing in Swedish gives its reason in Swedish.
  agencies[0].language = "sv";
  EXPECT_EQ(jobs::settlement_invoices(2026, lines, agreements, agencies).at(1).credit_reason,
            "Kostnadsmotsvarande avräkning 2026: överskottet återbetalat");
}

}  // namespace
}  // namespace costcover
