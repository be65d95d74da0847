// Corrections of a finalised month (invoice/corrections.hpp), table-driven: the month
// re-rated against what billed it, per group (kind, service, price source, unit price for
// priced kinds, VAT). Each correction line is written as
//   "correction(KIND) SERVICE QUANTITY x UNIT_PRICE = AMOUNT -> CORRECTED_INVOICE_ID"
// and every expected amount is worked out in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "invoice/corrections.hpp"
#include "test_values.hpp"

namespace costcover::invoice {
namespace {

using model::LineKind;

using testing::dec;
using testing::kO;
using testing::kPi;
using testing::kPs;
using testing::kS;

model::Catalog catalog() {
  model::Catalog catalog;
  auto service = [](std::string id, std::string name, model::Vat vat) {
    model::Service s;
    s.id = std::move(id);
    s.name = {{"en", std::move(name)}, {"fi", "(fi)"}};
    s.unit = "unit";
    s.vat = std::move(vat);
    return s;
  };
  catalog.services = {service(kPi, "Purchase invoice processing", kO), service(kPs, "Payslip", kS)};
  return catalog;
}

LineVolume volume(std::int64_t id, const std::string& service, const char* day, std::int64_t quantity) {
  return {id, service, parse_date(day), "", 1, quantity};
}

// A re-rated line: priced kinds as quantity x unit price, the others as an amount.
Line rerated(LineKind kind, const std::string& service, std::int64_t quantity, const char* unit_price,
             std::vector<LineVolume> volumes = {}, const char* price_source = "agreement") {
  Line line;
  line.kind = kind;
  line.service = service;
  line.quantity = quantity;
  line.unit_price = dec(unit_price);
  line.amount = multiply_round(quantity, line.unit_price);
  line.vat = service == kPs ? kS : kO;
  line.price_source = price_source;
  line.agreement_id = "SA-KTL";
  line.agreement_version = 1;
  line.volumes = std::move(volumes);
  return line;
}

BilledLine billed(LineKind kind, const std::string& service, std::int64_t quantity, const char* unit_price,
                  std::vector<LineVolume> volumes = {}, const char* price_source = "agreement") {
  const Line line = rerated(kind, service, quantity, unit_price, {}, price_source);
  return BilledLine{
      kind, line.service, line.price_source, line.unit_price, line.quantity, line.amount, line.vat, "SA-KTL",
      1,    "",           std::move(volumes)};
}

const FinalInvoiceRef kFinalO{11, "2027-000001", VatGroup::not_subject};
const FinalInvoiceRef kFinalVat{12, "2027-000002", VatGroup::subject};

std::string describe(const Line& line) {
  return model::to_string(line.kind) + "(" + (line.corrected_kind ? model::to_string(*line.corrected_kind) : "") +
         ") " + line.service + " " + std::to_string(line.quantity) + " x " + line.unit_price.to_string(4) + " = " +
         line.amount.to_string() + " -> " + std::to_string(line.corrects_invoice_id.value_or(0));
}

struct Case {
  const char* name;
  std::vector<FinalInvoiceRef> finals;
  std::vector<Line> rerated;
  std::vector<BilledLine> billed;
  std::vector<std::string> corrections;
};

TEST(CorrectionLines, OneLinePerGroupThatChanged) {
  const std::vector<Case> cases = {
      {"nothing changed: no line",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 100, "4.20")},
       {billed(LineKind::usage, kPi, 100, "4.20")},
       {}},
      {"a late unit: +1 at the unit price",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 101, "4.20")},
       {billed(LineKind::usage, kPi, 100, "4.20")},
       // 101 - 100 = +1; 1 x 4.20 = 4.20
       {"correction(usage) purchase-invoice 1 x 4.2000 = 4.20 -> 11"}},
      {"cancellations: a negative quantity",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 97, "4.20")},
       {billed(LineKind::usage, kPi, 100, "4.20")},
       // 97 - 100 = -3; -3 x 4.20 = -12.60
       {"correction(usage) purchase-invoice -3 x 4.2000 = -12.60 -> 11"}},
      {"a priced correction rounds half away from zero",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 90, "0.0050")},
       {billed(LineKind::usage, kPi, 97, "0.0050")},
       // -7 x 0.005 = -0.035 -> -0.04
       {"correction(usage) purchase-invoice -7 x 0.0050 = -0.04 -> 11"}},
      {"over_limit and true_up are priced kinds too, each its own group",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 100, "4.20"), rerated(LineKind::over_limit, kPi, 12, "5.00"),
        rerated(LineKind::true_up, kPi, 0, "4.20")},
       {billed(LineKind::usage, kPi, 100, "4.20"), billed(LineKind::over_limit, kPi, 10, "5.00"),
        billed(LineKind::true_up, kPi, 2, "4.20")},
       // over_limit 12 - 10 = +2 x 5.00 = 10.00; true_up 0 - 2 = -2 x 4.20 = -8.40
       {"correction(over_limit) purchase-invoice 2 x 5.0000 = 10.00 -> 11",
        "correction(true_up) purchase-invoice -2 x 4.2000 = -8.40 -> 11"}},
      {"a new unit price is a new group: the old units back at the old price, the new at the new",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 100, "4.35")},
       {billed(LineKind::usage, kPi, 100, "4.20")},
       // -100 x 4.20 = -420.00 (unit price text 4.2000 sorts first); +100 x 4.35 = 435.00
       {"correction(usage) purchase-invoice -100 x 4.2000 = -420.00 -> 11",
        "correction(usage) purchase-invoice 100 x 4.3500 = 435.00 -> 11"}},
      {"amount kinds are compared on amount: quantity 1, unit price = the difference",
       {kFinalO},
       {rerated(LineKind::fee, "", 1, "50.00", {}, "fee base-fee"),
        rerated(LineKind::sla_credit, kPi, 1, "-20.00", {}, "credit_percent 5")},
       {billed(LineKind::fee, "", 1, "45.00", {}, "fee base-fee"),
        billed(LineKind::sla_credit, kPi, 1, "-25.00", {}, "credit_percent 5")},
       // sla_credit: -20.00 - (-25.00) = +5.00 (its service first); fee: 50.00 - 45.00 = +5.00
       {"correction(sla_credit) purchase-invoice 1 x 5.0000 = 5.00 -> 11", "correction(fee)  1 x 5.0000 = 5.00 -> 11"}},
      {"a line the month no longer has is taken back whole",
       {kFinalO},
       {},
       {billed(LineKind::charge, "", 1, "300.00", {}, "exception EX-5")},
       // 0.00 - 300.00 = -300.00
       {"correction(charge)  1 x -300.0000 = -300.00 -> 11"}},
      {"a correction points at the final invoice of its VAT group",
       {kFinalO, kFinalVat},
       {rerated(LineKind::usage, kPi, 101, "4.20"), rerated(LineKind::usage, kPs, 9, "11.85")},
       {billed(LineKind::usage, kPi, 100, "4.20"), billed(LineKind::usage, kPs, 10, "11.85")},
       // purchase-invoice (O) +1 x 4.20 -> 11; payslip (S) -1 x 11.85 = -11.85 -> 12
       {"correction(usage) purchase-invoice 1 x 4.2000 = 4.20 -> 11",
        "correction(usage) payslip -1 x 11.8500 = -11.85 -> 12"}},
      {"no final invoice of its VAT group: the month's first final invoice",
       {kFinalO},
       {rerated(LineKind::usage, kPs, 11, "11.85")},
       {billed(LineKind::usage, kPs, 10, "11.85")},
       // +1 x 11.85 = 11.85 -> 11, although payslip is subject to VAT
       {"correction(usage) payslip 1 x 11.8500 = 11.85 -> 11"}},
      {"corrections made since count as billed (as the kind they correct)",
       {kFinalO},
       {rerated(LineKind::usage, kPi, 101, "4.20")},
       {billed(LineKind::usage, kPi, 100, "4.20"), billed(LineKind::usage, kPi, 1, "4.20")},
       // 101 - (100 + 1) = 0
       {}},
      {"corrections and settlements among the lines are not compared",
       {kFinalO},
       {rerated(LineKind::settlement, kPi, 1, "99.00"), rerated(LineKind::correction, kPi, 1, "4.20")},
       {billed(LineKind::settlement, kPi, 1, "50.00")},
       {}},
      {"catalog order of service, then kind; lines without a service last",
       {kFinalO, kFinalVat},
       {rerated(LineKind::fee, "", 1, "60.00", {}, "fee base-fee"), rerated(LineKind::usage, kPs, 1, "11.85"),
        rerated(LineKind::over_limit, kPi, 1, "5.00"), rerated(LineKind::usage, kPi, 1, "4.20")},
       {},
       {"correction(usage) purchase-invoice 1 x 4.2000 = 4.20 -> 11",
        "correction(over_limit) purchase-invoice 1 x 5.0000 = 5.00 -> 11",
        "correction(usage) payslip 1 x 11.8500 = 11.85 -> 12", "correction(fee)  1 x 60.0000 = 60.00 -> 11"}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> actual;
    for (const auto& line : correction_lines(Month(2027, 2), c.finals, c.rerated, c.billed, catalog(), "en")) {
      actual.push_back(describe(line));
    }
    EXPECT_EQ(actual, c.corrections) << c.name;
  }
}

// The words are in the agency's language; ids, numbers and figures are kept.
TEST(CorrectionLines, DescribedInTheAgencysLanguage) {
  const auto in = [](const std::string& language) {
    return correction_lines(
        Month(2027, 2), {kFinalO},
        {rerated(LineKind::usage, kPi, 101, "4.05"), rerated(LineKind::fee, "", 1, "50.00", {}, "fee base-fee")},
        {billed(LineKind::usage, kPi, 100, "4.05"), billed(LineKind::fee, "", 1, "45.50", {}, "fee base-fee")},
        catalog(), language);
  };
  const auto fi = in("fi");
  ASSERT_EQ(fi.size(), 2U);
  EXPECT_EQ(fi[0].description, "Oikaisu laskuun 2027-000001 (2027-02): (fi), usage +1 yksikkö à 4.0500");
  EXPECT_EQ(fi[1].description, "Oikaisu laskuun 2027-000001 (2027-02): fee (fee base-fee) +4.50");
  const auto sv = in("sv");
  ASSERT_EQ(sv.size(), 2U);
  EXPECT_EQ(sv[0].description,
            "Rättelse av faktura 2027-000001 (2027-02): Purchase invoice processing, usage +1 enhet à 4.0500");
  EXPECT_EQ(sv[1].description, "Rättelse av faktura 2027-000001 (2027-02): fee (fee base-fee) +4.50");
  EXPECT_EQ(fi[0].amount, sv[0].amount);
}

TEST(CorrectionLines, DescribeWhatTheyCorrect) {
  const auto lines = correction_lines(
      Month(2027, 2), {kFinalO},
      {rerated(LineKind::usage, kPi, 101, "4.05"), rerated(LineKind::fee, "", 1, "50.00", {}, "fee base-fee")},
      {billed(LineKind::usage, kPi, 100, "4.05"), billed(LineKind::fee, "", 1, "45.50", {}, "fee base-fee")}, catalog(),
      "en");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].description,
            "Correction to invoice 2027-000001 (2027-02): Purchase invoice processing, usage +1 unit at 4.0500");
  // 50.00 - 45.50 = +4.50
  EXPECT_EQ(lines[1].description, "Correction to invoice 2027-000001 (2027-02): fee (fee base-fee) +4.50");
  const auto fewer = correction_lines(Month(2027, 2), {kFinalO}, {rerated(LineKind::usage, kPi, 97, "4.05")},
                                      {billed(LineKind::usage, kPi, 100, "4.05")}, catalog(), "fi");
  ASSERT_EQ(fewer.size(), 1U);
  EXPECT_EQ(fewer[0].description, "Oikaisu laskuun 2027-000001 (2027-02): (fi), usage -3 yksikköä à 4.0500");
  // -3 x 4.05 = -12.15, exactly
  EXPECT_EQ(fewer[0].exact_amount, dec("-12.15"));
  EXPECT_EQ(fewer[0].agreement_id, "SA-KTL");
  EXPECT_EQ(fewer[0].price_source, "agreement");
}

// The lineage of a priced correction: per daily volume key, the change in units, with the
// id the row has now.
TEST(CorrectionLines, CarryTheChangePerDailyVolume) {
  const auto lines = correction_lines(Month(2027, 2), {kFinalO},
                                      {rerated(LineKind::usage, kPi, 103, "4.20",
                                               {volume(71, kPi, "2027-02-01", 50), volume(72, kPi, "2027-02-02", 51),
                                                volume(73, kPi, "2027-02-03", 2)})},
                                      {billed(LineKind::usage, kPi, 100, "4.20",
                                              {volume(61, kPi, "2027-02-01", 50), volume(62, kPi, "2027-02-02", 50)})},
                                      catalog(), "en");
  ASSERT_EQ(lines.size(), 1U);
  // 2 Feb: 51 - 50 = +1 (row 72 now); 3 Feb: +2 (new row 73); 1 Feb unchanged: no entry.
  ASSERT_EQ(lines[0].volumes.size(), 2U);
  EXPECT_EQ(lines[0].volumes[0].daily_volume_id, 72);
  EXPECT_EQ(lines[0].volumes[0].quantity, 1);
  EXPECT_EQ(lines[0].volumes[1].daily_volume_id, 73);
  EXPECT_EQ(lines[0].volumes[1].quantity, 2);
  // A day no longer counted keeps the id it was billed with: -50 on row 62.
  const auto gone = correction_lines(Month(2027, 2), {kFinalO},
                                     {rerated(LineKind::usage, kPi, 50, "4.20", {volume(71, kPi, "2027-02-01", 50)})},
                                     {billed(LineKind::usage, kPi, 100, "4.20",
                                             {volume(61, kPi, "2027-02-01", 50), volume(62, kPi, "2027-02-02", 50)})},
                                     catalog(), "en");
  ASSERT_EQ(gone.size(), 1U);
  ASSERT_EQ(gone[0].volumes.size(), 1U);
  EXPECT_EQ(gone[0].volumes[0].daily_volume_id, 62);
  EXPECT_EQ(gone[0].volumes[0].quantity, -50);
}

// "2026 purchase-invoice 4.20, payslip 11.85; 2027 purchase-invoice 4.05"
std::string describe(const std::vector<model::PriceList>& lists) {
  std::string out;
  for (const auto& list : lists) {
    out += (out.empty() ? "" : "; ") + std::to_string(list.year);
    for (std::size_t i = 0; i < list.prices.size(); ++i) {
      out += (i == 0 ? " " : ", ") + list.prices[i].first + " " + list.prices[i].second.to_string(2);
    }
  }
  return out;
}

// The lists a month is re-rated at: today's lists, with each price a billed line of the
// month took from a list put back to what it was billed at (issue 13: January billed at
// 4.20, the list says 4.50 since; January's corrections stay at 4.20).
TEST(BilledPriceLists, PutBackThePricesTheMonthWasBilledAt) {
  model::PriceList y2026;
  y2026.year = 2026;
  y2026.prices = {{kPi, dec("4.50")}, {kPs, dec("11.85")}};
  model::PriceList y2027;
  y2027.year = 2027;
  y2027.prices = {{kPi, dec("4.05")}};
  const std::vector<model::PriceList> today = {y2026, y2027};
  struct PriceCase {
    const char* name;
    std::vector<BilledLine> billed;
    std::string lists;
  };
  const std::vector<PriceCase> cases = {
      {"nothing billed: the lists as they are",
       {},
       "2026 purchase-invoice 4.50, payslip 11.85; 2027 purchase-invoice 4.05"},
      {"a price that is not a list's is left alone",
       {billed(LineKind::usage, kPi, 47, "4.20", {}, "agreement"),
        billed(LineKind::usage, kPi, 3, "4.10", {}, "tier 2")},
       "2026 purchase-invoice 4.50, payslip 11.85; 2027 purchase-invoice 4.05"},
      {"a list price billed: the billed price, in that year's list only",
       {billed(LineKind::usage, kPi, 47, "4.20", {}, "list 2026")},
       "2026 purchase-invoice 4.20, payslip 11.85; 2027 purchase-invoice 4.05"},
      {"a true-up is priced from the list too",
       {billed(LineKind::true_up, kPs, 753, "11.00", {}, "list 2026")},
       "2026 purchase-invoice 4.50, payslip 11.00; 2027 purchase-invoice 4.05"},
      {"amount kinds carry no unit price to put back",
       {billed(LineKind::sla_credit, kPi, 1, "-9.99", {}, "list 2026")},
       "2026 purchase-invoice 4.50, payslip 11.85; 2027 purchase-invoice 4.05"},
      {"the first line counts: the final invoice's, not a later correction at another price",
       {billed(LineKind::usage, kPi, 47, "4.20", {}, "list 2026"),
        billed(LineKind::usage, kPi, 46, "4.50", {}, "list 2026")},
       "2026 purchase-invoice 4.20, payslip 11.85; 2027 purchase-invoice 4.05"},
      {"a service the list no longer has gets its billed price back",
       {billed(LineKind::usage, kPs, 10, "11.60", {}, "list 2027")},
       "2026 purchase-invoice 4.50, payslip 11.85; 2027 purchase-invoice 4.05, payslip 11.60"},
      {"a list no longer there is not made up",
       {billed(LineKind::usage, kPi, 10, "3.90", {}, "list 2025")},
       "2026 purchase-invoice 4.50, payslip 11.85; 2027 purchase-invoice 4.05"},
  };
  for (const auto& c : cases) EXPECT_EQ(describe(billed_price_lists(today, c.billed)), c.lists) << c.name;
}

TEST(CorrectionLines, NeedAFinalInvoice) {
  EXPECT_THROW((void)correction_lines(Month(2027, 2), {}, {}, {}, catalog(), "en"), InvariantError);
}

}  // namespace
}  // namespace costcover::invoice
