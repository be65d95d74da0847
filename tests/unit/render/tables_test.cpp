// The terminal tables (render/tables.hpp): the billing run's table (the change from the
// previous month, its percent to one decimal rounded half away from zero, the readiness
// warning per mode) and the finalisation's rows.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "render/tables.hpp"

namespace costcover::render {
namespace {

Money eur(const char* text) { return Money::parse(text); }

invoice::BillingSummary one_agency(const char* total, std::optional<Money> previous) {
  invoice::BillingSummary summary;
  summary.period = Month{2027, 3};
  invoice::AgencySummary agency;
  agency.agency = "KTL";
  agency.invoices = 1;
  agency.lines = 3;
  agency.total = eur(total);
  agency.previous = previous;
  summary.agencies.push_back(agency);
  summary.invoices = 1;
  summary.lines = 3;
  summary.total = eur(total);
  return summary;
}

// The agency's row: "KTL" and the numbers right-aligned in 8, 6 and 16 columns.
std::string row(const std::string& total, const std::string& previous, const std::string& change) {
  return fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", "KTL", 1, 3, total, previous, change);
}

TEST(BillingTable, ChangeFromThePreviousMonth) {
  struct Case {
    const char* total;
    std::optional<Money> previous;
    std::string change;
  };
  const std::vector<Case> cases = {
      {"110.00", std::nullopt, "new"},                // no invoices last month
      {"110.00", eur("100.00"), "+10.00 (+10.0 %)"},  // 10 / 100 = 100 per mille
      {"90.00", eur("100.00"), "-10.00 (-10.0 %)"},   // -100 per mille
      {"100.00", eur("100.00"), "0.00 (0.0 %)"},      // no sign on no change
      {"5.00", eur("0.00"), "+5.00"},                 // no percent of nothing
      {"2.00", eur("3.00"), "-1.00 (-33.3 %)"},       // -1000 / 3 = -333.3 -> -333
      {"4.01", eur("4.00"), "+0.01 (+0.3 %)"},        // 1 * 1000 / 400 = 2.5 -> 3 (half away from zero)
      {"3.99", eur("4.00"), "-0.01 (-0.3 %)"},        // -2.5 -> -3
  };
  for (const auto& c : cases) {
    const auto summary = one_agency(c.total, c.previous);
    const std::string table = billing_table(summary);
    const std::string expected =
        row(summary.agencies[0].total.to_display(), c.previous ? c.previous->to_display() : "-", c.change);
    EXPECT_NE(table.find(expected), std::string::npos) << c.change << "\n" << table;
  }
}

TEST(BillingTable, ReadinessWarningByMode) {
  struct Case {
    bool dry_run;
    bool force;
    int uncounted_days;
    std::string ending;
  };
  // Uncounted input refuses whatever --force says (issue 14); --force overrides rejects only.
  const std::vector<Case> cases = {
      {false, false, 0, " (drafts refused; see `costcover rejects list`, resolve them, or use --force)\n"},
      {true, false, 0, " (bill would refuse without --force)\n"},
      {false, true, 0, " (--force: drafts written despite the rejects)\n"},
      {true, true, 0, " (--force: drafts written despite the rejects)\n"},  // --force wins
      {false, false, 2, " (drafts refused: run `costcover nightly` first; --force does not override it)\n"},
      {false, true, 2, " (drafts refused: run `costcover nightly` first; --force does not override it)\n"},
      {true, true, 2, " (bill would refuse: run `costcover nightly` first)\n"},
  };
  for (const auto& c : cases) {
    auto summary = one_agency("1.00", std::nullopt);
    summary.dry_run = c.dry_run;
    summary.force = c.force;
    summary.readiness.uncounted_days = c.uncounted_days;
    summary.readiness.unresolved_rejects = 1;
    const std::string table = billing_table(summary);
    EXPECT_NE(table.find("NOT READY: " + std::to_string(c.uncounted_days) +
                         " agency/service/day key(s) not yet counted by the nightly job, 1 unresolved "
                         "rejected row(s) for the month" +
                         c.ending),
              std::string::npos)
        << table;
    EXPECT_EQ(table.find("nothing written") != std::string::npos, c.dry_run) << table;
  }
  // Ready: no warning at all.
  EXPECT_EQ(billing_table(one_agency("1.00", std::nullopt)).find("NOT READY"), std::string::npos);
}

TEST(BillingTable, SkippedAgenciesCorrectionsFindingsAndWhatWasWritten) {
  auto summary = one_agency("1.00", std::nullopt);
  summary.agencies[0].corrections = 2;
  summary.agencies[0].findings = {"limit exceeded"};
  invoice::AgencySummary skipped;
  skipped.agency = "LVT";
  skipped.skipped = "already final";
  summary.agencies.push_back(skipped);
  summary.written = true;
  summary.job_run_id = 7;
  summary.lineage_rows = 40;
  EXPECT_EQ(billing_table(summary), "bill 2027-03: 2 agencies, 1 invoice(s), 3 line(s), net total 1.00 EUR\n" +
                                        fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", "agency", "invoices",
                                                    "lines", "total", "previous month", "change") +
                                        row("1.00", "-", "new") +
                                        "  2 correction line(s) of earlier final months\n"
                                        "  finding: limit exceeded\n"
                                        "LVT        skipped: already final\n"
                                        "drafts written (job run 7, 40 lineage rows)\n");
}

TEST(FinalizedTable, OneRowPerInvoice) {
  const std::vector<invoice::NumberedInvoice> invoices = {
      {"2027-000001", "KTL", invoice::VatGroup::not_subject, eur("1020.00"), parse_date("2027-04-22")},
      {"2027-000002", "KTL", invoice::VatGroup::subject, eur("-12.55"), parse_date("2027-04-22")}};
  EXPECT_EQ(finalized_table(invoices),
            fmt::format("  2027-000001  KTL      O   {:>14}  due 2027-04-22\n", eur("1020.00").to_display()) +
                "  2027-000002  KTL      VAT         -12.55  due 2027-04-22\n");
}

}  // namespace
}  // namespace costcover::render
