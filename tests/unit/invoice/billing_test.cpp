// One agency's month billed (invoice/billing.hpp), table-driven: the month rated when an
// agreement is in force, the corrections of the earlier final months to correct after its
// own lines, both split by VAT group under the month's header. Each invoice is written as
//   "GROUP net N: kind service quantity x unit_price = amount; ..."
// and every expected amount is worked out in the comments.
#include <gtest/gtest.h>

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "invoice/billing.hpp"
#include "test_values.hpp"

namespace costcover::invoice {
namespace {

using model::LineKind;

using testing::dec;
using testing::kPi;
using testing::kPs;
using testing::kS;

model::ContractSet contracts() {
  model::ContractSet set;
  auto service = [](std::string id, std::string name, model::Vat vat) {
    model::Service s;
    s.id = std::move(id);
    s.name = {{"en", std::move(name)}};
    s.unit = "unit";
    s.vat = std::move(vat);
    return s;
  };
  set.catalog.services = {service(kPi, "Purchase invoice processing", {}), service(kPs, "Payslip", kS)};
  model::PriceList prices;
  prices.year = 2027;
  prices.prices = {{kPi, dec("4.20")}, {kPs, dec("11.85")}};
  set.price_lists = {prices};
  return set;
}

model::ServiceTerms list_price(const std::string& service) {
  model::ServiceTerms terms;
  terms.service = service;
  terms.price.model = model::PriceModel::list;
  return terms;
}

model::Agreement agreement(const char* from, const char* to) {
  model::Agreement a;
  a.id = "SA-KTL";
  a.version = 1;
  a.client = "KTL";
  a.valid = {parse_date(from), parse_date(to)};
  a.billing.buyer_reference = "KTL-17";
  a.billing.payment_terms_days = 21;
  a.services = {list_price(kPi), list_price(kPs)};
  return a;
}

rating::DailyVolume volume(std::int64_t id, const std::string& service, const char* day, std::int64_t quantity) {
  return {id, service, parse_date(day), {}, 1, quantity, quantity};
}

BilledLine billed(const std::string& service, std::int64_t quantity, const char* unit_price) {
  BilledLine line;
  line.kind = LineKind::usage;
  line.service = service;
  line.price_source = "list 2027";
  line.unit_price = dec(unit_price);
  line.quantity = quantity;
  line.amount = multiply_round(quantity, line.unit_price);
  line.vat = service == kPs ? kS : model::Vat{};
  line.agreement_id = "SA-KTL";
  line.agreement_version = 1;
  return line;
}

std::string describe(const Invoice& invoice) {
  std::string out = to_string(invoice.group) + " net " + invoice.net.to_string() + ":";
  for (const auto& line : invoice.lines) {
    out += " " + model::to_string(line.kind) + " " + line.service + " " + std::to_string(line.quantity) + " x " +
           line.unit_price.to_string(2) + " = " + line.amount.to_string() + ";";
  }
  return out;
}

// KTL's March 2027 under `agreements`, with the month's `volumes`.
AgencyMonth march(const model::ContractSet& set, std::span<const model::Agreement> agreements,
                  std::span<const rating::DailyVolume> volumes, bool in_force) {
  AgencyMonth month;
  month.agency = "KTL";
  month.period = Month(2027, 3);
  month.contracts = &set;
  month.agreements = agreements;
  month.in_force = in_force;
  month.volumes = volumes;
  return month;
}

struct Case {
  const char* name;
  model::Agreement agreement;
  bool in_force;
  std::map<std::string, std::vector<FinalInvoiceRef>> to_correct;
  std::map<std::string, std::vector<BilledLine>> billed;
  std::vector<rating::DailyVolume> volumes;
  std::vector<rating::DailyVolume> history;
  std::vector<std::string> invoices;
  int corrections;
};

TEST(BillAgency, RatesCorrectsAndSplits) {
  const auto year = agreement("2027-01-01", "2027-12-31");
  const std::vector<FinalInvoiceRef> february = {{21, "2027-000001", VatGroup::not_subject}};
  const std::vector<Case> cases = {
      {"nothing in force, nothing to correct: no invoice",
       agreement("2026-01-01", "2026-12-31"),
       false,
       {},
       {},
       {},
       {},
       {},
       0},
      {"in force: the month rated, split by VAT group",
       year,
       true,
       {},
       {},
       {volume(1, kPi, "2027-03-02", 100), volume(2, kPs, "2027-03-03", 10)},
       {},
       // 100 x 4.20 = 420.00 (O); 10 x 11.85 = 118.50 (S)
       {"O net 420.00: usage purchase-invoice 100 x 4.20 = 420.00;",
        "VAT net 118.50: usage payslip 10 x 11.85 = 118.50;"},
       0},
      {"a final February whose volumes changed: its correction after the month's own lines",
       year,
       true,
       {{"2027-02", february}},
       {{"2027-02", {billed(kPi, 80, "4.20")}}},
       {volume(1, kPi, "2027-03-02", 100)},
       {volume(3, kPi, "2027-02-10", 81)},
       // March 100 x 4.20 = 420.00; February re-rated 81 - 80 billed = +1 x 4.20 = 4.20; net 424.20
       {"O net 424.20: usage purchase-invoice 100 x 4.20 = 420.00; correction purchase-invoice 1 x 4.20 = 4.20;"},
       1},
      {"history of other months is not the month's: only February's days re-rate February",
       year,
       true,
       {{"2027-02", february}},
       {{"2027-02", {billed(kPi, 80, "4.20")}}},
       {},
       {volume(4, kPi, "2027-01-31", 500), volume(3, kPi, "2027-02-10", 80)},
       // February: 80 re-rated = 80 billed; January's 500 belong to no month corrected
       {},
       0},
      {"no agreement in force: an invoice of the corrections only",
       agreement("2027-01-01", "2027-02-28"),
       false,
       {{"2027-02", february}},
       {{"2027-02", {billed(kPi, 80, "4.20")}}},
       {},
       {volume(3, kPi, "2027-02-10", 78)},
       // 78 - 80 = -2 x 4.20 = -8.40
       {"O net -8.40: correction purchase-invoice -2 x 4.20 = -8.40;"},
       1},
  };
  const model::ContractSet set = contracts();
  for (const auto& c : cases) {
    const std::vector<model::Agreement> agreements = {c.agreement};
    AgencyMonth month = march(set, agreements, c.volumes, c.in_force);
    month.to_correct = &c.to_correct;
    month.billed = &c.billed;
    month.history = c.history;
    const AgencyBill bill = bill_agency(month);
    std::vector<std::string> actual;
    for (const auto& invoice : bill.invoices) {
      actual.push_back(describe(invoice));
      EXPECT_EQ(invoice.header.buyer_reference, "KTL-17") << c.name;
      EXPECT_EQ(invoice.header.payment_terms_days, 21) << c.name;
      EXPECT_EQ(invoice.header.period, Month(2027, 3)) << c.name;
    }
    EXPECT_EQ(actual, c.invoices) << c.name;
    EXPECT_EQ(bill.corrections, c.corrections) << c.name;
  }
}

// Issue 13: February was billed at the list price 4.20 and the 2027 list says 4.50 since.
// A cancelled February transaction is corrected at 4.20, the price February was billed
// at (its own lines say so), not as -47 @ 4.20 / +46 @ 4.50; March is rated at 4.50.
TEST(BillAgency, CorrectsAtThePriceTheMonthWasBilledAt) {
  model::ContractSet set = contracts();
  set.price_lists[0].prices = {{kPi, dec("4.50")}, {kPs, dec("11.85")}};
  auto at_list = [](LineKind kind, std::int64_t quantity) {
    BilledLine line = billed(kPi, quantity, "4.20");
    line.kind = kind;
    return line;
  };
  model::Agreement limited = agreement("2027-01-01", "2027-12-31");
  limited.services[0].volume.lower_limit = 800;
  struct PriceCase {
    const char* name;
    model::Agreement agreement;
    bool in_force;
    std::vector<BilledLine> billed;
    std::vector<std::string> invoices;
  };
  const std::vector<PriceCase> cases = {
      {"one unit cancelled: -1 x 4.20",
       agreement("2027-01-01", "2027-12-31"),
       false,
       {at_list(LineKind::usage, 47)},
       // 46 - 47 = -1 x 4.20 = -4.20 (at 4.50 it would be -47 x 4.20 + 46 x 4.50 = +9.60)
       {"O net -4.20: correction purchase-invoice -1 x 4.20 = -4.20;"}},
      {"below the lower limit: the true-up moves too, at February's price",
       limited,
       false,
       {at_list(LineKind::usage, 47), at_list(LineKind::true_up, 753)},
       // usage 46 - 47 = -1 x 4.20 = -4.20; true-up (800 - 46) - 753 = +1 x 4.20 = +4.20; net 0.00
       {"O net 0.00: correction purchase-invoice -1 x 4.20 = -4.20; correction purchase-invoice 1 x 4.20 = 4.20;"}},
      {"March itself is rated at today's list",
       agreement("2027-01-01", "2027-12-31"),
       true,
       {at_list(LineKind::usage, 47)},
       // March 10 x 4.50 = 45.00; February -1 x 4.20 = -4.20; net 40.80
       {"O net 40.80: usage purchase-invoice 10 x 4.50 = 45.00; correction purchase-invoice -1 x 4.20 = -4.20;"}},
  };
  const std::map<std::string, std::vector<FinalInvoiceRef>> to_correct = {
      {"2027-02", {{21, "2027-000001", VatGroup::not_subject}}}};
  const std::vector<rating::DailyVolume> march_volumes = {volume(1, kPi, "2027-03-02", 10)};
  const std::vector<rating::DailyVolume> history = {volume(3, kPi, "2027-02-10", 46)};
  for (const auto& c : cases) {
    const std::vector<model::Agreement> agreements = {c.agreement};
    const std::map<std::string, std::vector<BilledLine>> billed_months = {{"2027-02", c.billed}};
    AgencyMonth month = march(set, agreements, march_volumes, c.in_force);
    month.to_correct = &to_correct;
    month.billed = &billed_months;
    month.history = history;
    std::vector<std::string> actual;
    for (const auto& invoice : bill_agency(month).invoices) actual.push_back(describe(invoice));
    EXPECT_EQ(actual, c.invoices) << c.name;
  }
}

TEST(BillAgency, KeepsTheFindingsButMetDeadlines) {
  const model::ContractSet set = contracts();
  model::Agreement a = agreement("2027-01-01", "2027-12-31");
  a.services = {list_price(kPi)};
  // Purchase invoices within 5 business days, 95 % of them.
  a.services[0].performance = {model::PerformanceTarget{model::Metric::processing_time, 5, dec("0.95"), std::nullopt}};
  const std::vector<model::Agreement> agreements = {a};
  // Payslips no agreement covers: not billed, said so. 100 purchase invoices, all in 1
  // business day: 100 x 4.20 = 420.00 billed, the target met (100 %), which rating
  // reports (deadline_met) and the bill leaves out.
  const std::vector<rating::DailyVolume> volumes = {volume(1, kPs, "2027-03-03", 10),
                                                    volume(2, kPi, "2027-03-04", 100)};
  const AgencyBill bill = bill_agency(march(set, agreements, volumes, true));
  ASSERT_EQ(bill.invoices.size(), 1U);
  EXPECT_EQ(bill.invoices[0].net, Money::parse("420.00"));
  ASSERT_EQ(bill.findings.size(), 1U);
  EXPECT_NE(bill.findings[0].find("payslip"), std::string::npos) << bill.findings[0];
}

TEST(BillAgency, RatingProblemsAreInputErrors) {
  model::ContractSet set = contracts();
  set.price_lists.clear();  // `price: list` without a price list for 2027
  const std::vector<model::Agreement> agreements = {agreement("2027-01-01", "2027-12-31")};
  const std::vector<rating::DailyVolume> volumes = {volume(1, kPi, "2027-03-02", 100)};
  EXPECT_THROW((void)bill_agency(march(set, agreements, volumes, true)), InputError);
}

}  // namespace
}  // namespace costcover::invoice
