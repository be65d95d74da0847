// The small queries of the model: the version in force, exceptions, cost types, ids.
#include <gtest/gtest.h>

#include "contracts/business_id.hpp"
#include "model/model.hpp"

namespace costcover::model {
namespace {

Agreement version(int number, const char* from, const char* to) {
  Agreement a;
  a.id = "SA-X";
  a.version = number;
  a.valid = {parse_date(from), parse_date(to)};
  return a;
}

struct InForceCase {
  const char* day;
  int expected;  // 0: none
};

TEST(VersionInForce, HighestVersionWhoseRangeContainsTheDay) {
  // v1 the whole two years; v2 overlaps from mid-2026; v3 only a summer; v4 later, not
  // adjacent. Versions are given out of order on purpose.
  const std::vector<Agreement> versions = {
      version(3, "2026-06-01", "2026-08-31"),
      version(1, "2026-01-01", "2027-12-31"),
      version(4, "2028-01-01", "2028-12-31"),
      version(2, "2026-07-01", "2027-12-31"),
  };
  const InForceCase cases[] = {
      {"2025-12-31", 0}, {"2026-01-01", 1}, {"2026-05-31", 1}, {"2026-06-01", 3}, {"2026-06-30", 3}, {"2026-07-01", 3},
      {"2026-08-31", 3}, {"2026-09-01", 2}, {"2027-12-31", 2}, {"2028-01-01", 4}, {"2029-01-01", 0},
  };
  for (const auto& c : cases) {
    const Agreement* found = version_in_force(versions, parse_date(c.day));
    if (c.expected == 0) {
      EXPECT_EQ(found, nullptr) << c.day;
    } else {
      ASSERT_NE(found, nullptr) << c.day;
      EXPECT_EQ(found->version, c.expected) << c.day;
    }
  }
}

TEST(VersionInForce, AmendmentEndingTheFirstVersion) {
  const std::vector<Agreement> versions = {version(1, "2026-01-01", "2026-06-30"),
                                           version(2, "2026-07-01", "2027-12-31")};
  EXPECT_EQ(version_in_force(versions, parse_date("2026-06-30"))->version, 1);
  EXPECT_EQ(version_in_force(versions, parse_date("2026-07-01"))->version, 2);
  EXPECT_EQ(version_in_force({}, parse_date("2026-07-01")), nullptr);
}

TEST(AgreementException, AppliesToServicesAndDays) {
  AgreementException ex;
  EXPECT_TRUE(ex.applies_to_service("payslip"));         // no services: all
  EXPECT_TRUE(ex.applies_on(parse_date("2030-01-01")));  // no period: always
  ex.services = {"purchase-invoice"};
  ex.period = DateRange{parse_date("2027-12-15"), parse_date("2027-12-31")};
  EXPECT_TRUE(ex.applies_to_service("purchase-invoice"));
  EXPECT_FALSE(ex.applies_to_service("payslip"));
  EXPECT_FALSE(ex.applies_on(parse_date("2027-12-14")));
  EXPECT_TRUE(ex.applies_on(parse_date("2027-12-15")));
  EXPECT_TRUE(ex.applies_on(parse_date("2027-12-31")));
  AgreementException charge;
  charge.kind = ExceptionKind::charge;
  charge.date = parse_date("2027-02-01");
  EXPECT_TRUE(charge.applies_on(parse_date("2027-02-01")));
  EXPECT_FALSE(charge.applies_on(parse_date("2027-02-02")));
  EXPECT_EQ(to_string(ExceptionKind::limits_suspended), "limits_suspended");
}

// first_exception: the kind, the services and the period decide; the first listed wins.
TEST(Agreement, FirstExceptionOfAKind) {
  auto make = [](const char* id, ExceptionKind kind, std::vector<std::string> services, const char* from,
                 const char* to) {
    AgreementException e;
    e.id = id;
    e.kind = kind;
    e.services = std::move(services);
    if (from != nullptr) e.period = DateRange{parse_date(from), parse_date(to)};
    return e;
  };
  Agreement a = version(1, "2027-01-01", "2027-12-31");
  a.exceptions = {
      make("EX-1", ExceptionKind::sla_waiver, {}, "2027-03-01", "2027-03-31"),
      make("EX-2", ExceptionKind::price, {"payslip"}, "2027-03-10", "2027-03-20"),
      make("EX-3", ExceptionKind::price, {}, "2027-03-15", "2027-04-30"),
      make("EX-4", ExceptionKind::limits_suspended, {}, nullptr, nullptr),
  };
  struct Case {
    ExceptionKind kind;
    const char* service;
    const char* day;
    const char* expected;  // nullptr: none
  };
  const Case cases[] = {
      {ExceptionKind::price, "payslip", "2027-03-09", nullptr},      // before both periods
      {ExceptionKind::price, "payslip", "2027-03-10", "EX-2"},       // EX-2 only
      {ExceptionKind::price, "payslip", "2027-03-16", "EX-2"},       // both apply: the first listed
      {ExceptionKind::price, "travel-claim", "2027-03-16", "EX-3"},  // EX-2 names payslip only
      {ExceptionKind::price, "payslip", "2027-04-30", "EX-3"},       // the last day of EX-3
      {ExceptionKind::price, "payslip", "2027-05-01", nullptr},      //
      {ExceptionKind::sla_waiver, "payslip", "2027-03-01", "EX-1"},
      {ExceptionKind::limits_suspended, "payslip", "2027-12-31", "EX-4"},  // no period: always
      {ExceptionKind::exclude, "payslip", "2027-03-16", nullptr},          // no exception of the kind
  };
  for (const auto& c : cases) {
    const AgreementException* found = a.first_exception(c.kind, c.service, parse_date(c.day));
    EXPECT_EQ(found == nullptr ? std::string("none") : found->id, c.expected == nullptr ? "none" : c.expected)
        << to_string(c.kind) << " " << c.service << " " << c.day;
  }
}

// exclusion_for: an exclude with tags takes rows carrying any of them, one without tags
// takes every row; the first listed that applies wins.
TEST(Agreement, ExclusionForARowsTags) {
  Agreement a = version(1, "2027-01-01", "2027-12-31");
  AgreementException rework;
  rework.id = "EX-1";
  rework.kind = ExceptionKind::exclude;
  rework.tags = {"rework-provider", "duplicate"};
  AgreementException march;
  march.id = "EX-2";
  march.kind = ExceptionKind::exclude;
  march.services = {"payslip"};
  march.period = DateRange{parse_date("2027-03-01"), parse_date("2027-03-31")};
  AgreementException price;
  price.id = "EX-3";
  price.kind = ExceptionKind::price;
  a.exceptions = {price, rework, march};
  struct Case {
    const char* service;
    const char* day;
    std::vector<std::string> tags;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"purchase-invoice", "2027-05-01", {}, nullptr},                    // no tag, no untagged exclude
      {"purchase-invoice", "2027-05-01", {"late-from-client"}, nullptr},  // another tag
      {"purchase-invoice", "2027-05-01", {"a", "duplicate"}, "EX-1"},     // any of the tags
      {"payslip", "2027-03-05", {}, "EX-2"},                              // untagged: every row
      {"payslip", "2027-03-05", {"rework-provider"}, "EX-1"},             // both: the first listed
      {"payslip", "2027-04-01", {}, nullptr},                             // outside EX-2's period
      {"travel-claim", "2027-03-05", {}, nullptr},                        // EX-2 names payslip only
  };
  for (const auto& c : cases) {
    const AgreementException* found = a.exclusion_for(c.service, parse_date(c.day), c.tags);
    EXPECT_EQ(found == nullptr ? std::string("none") : found->id, c.expected == nullptr ? "none" : c.expected)
        << c.service << " " << c.day;
  }
}

TEST(PriceList, ListPriceByYearTriesEachListOfTheYear) {
  PriceList first;
  first.year = 2027;
  first.prices = {{"payslip", Decimal::parse("11.85")}};
  PriceList second;
  second.year = 2027;
  second.prices = {{"purchase-invoice", Decimal::parse("4.20")}};
  PriceList next;
  next.year = 2028;
  next.prices = {{"purchase-invoice", Decimal::parse("4.35")}};
  const std::vector<PriceList> lists = {first, second, next};
  EXPECT_EQ(list_price(lists, 2027, "payslip"), Decimal::parse("11.85"));
  EXPECT_EQ(list_price(lists, 2027, "purchase-invoice"), Decimal::parse("4.20"));  // from the second list
  EXPECT_EQ(list_price(lists, 2028, "purchase-invoice"), Decimal::parse("4.35"));
  EXPECT_EQ(list_price(lists, 2028, "payslip"), std::nullopt);
  EXPECT_EQ(list_price(lists, 2029, "payslip"), std::nullopt);
}

TEST(Vat, SameVatComparesCategoryRateAndReason) {
  const Vat standard{VatCategory::standard, Decimal::parse("25.5"), ""};
  EXPECT_TRUE(same_vat(standard, standard));
  EXPECT_FALSE(same_vat(standard, Vat{VatCategory::standard, Decimal::parse("14"), ""}));
  EXPECT_FALSE(same_vat(standard, Vat{}));
  EXPECT_TRUE(
      same_vat(Vat{VatCategory::exempt, std::nullopt, "training"}, Vat{VatCategory::exempt, std::nullopt, "training"}));
  EXPECT_FALSE(same_vat(Vat{VatCategory::exempt, std::nullopt, "training"},
                        Vat{VatCategory::exempt, std::nullopt, "health care"}));
}

TEST(CostModel, LongestPrefixWins) {
  CostModel model;
  model.cost_types = {{"personnel", {"41", "42"}}, {"purchased_services", {"44", "4610"}}, {"other", {""}}};
  EXPECT_EQ(model.cost_type_of("4100 Salaries"), "personnel");
  EXPECT_EQ(model.cost_type_of("4610 Consulting"), "purchased_services");
  EXPECT_EQ(model.cost_type_of("4600 Licences"), "other");
  EXPECT_EQ(model.cost_type_of(""), "other");
}

TEST(Catalog, OrderAndNames) {
  Catalog catalog;
  catalog.services.push_back(Service{"purchase-invoice",
                                     {{"fi", "Ostolaskun käsittely"}, {"en", "Purchase invoice"}},
                                     "invoice",
                                     Area::finance,
                                     {},
                                     {}});
  catalog.services.push_back(Service{"payslip", {{"fi", "Palkkalaskelma"}}, "payslip", Area::hr, {}, {}});
  EXPECT_EQ(catalog.order_of("payslip"), 1);
  EXPECT_EQ(catalog.order_of("nothing"), -1);
  EXPECT_EQ(catalog.find("payslip")->name_in("en"), "Palkkalaskelma");  // falls back to the first
  EXPECT_EQ(catalog.find("purchase-invoice")->name_in("en"), "Purchase invoice");
  EXPECT_EQ(vat_code(VatCategory::not_subject), "O");
  EXPECT_EQ(vat_code(VatCategory::reverse_charge), "AE");
}

TEST(BusinessId, CheckDigits) {
  EXPECT_EQ(contracts::business_id_check_digit("0245437"), 2);             // sum 141, remainder 9 -> 11 - 9
  EXPECT_EQ(contracts::business_id_check_digit("1567535"), 0);             // remainder 0 -> 0
  EXPECT_EQ(contracts::business_id_check_digit("0245919"), std::nullopt);  // remainder 1: no valid id
  EXPECT_TRUE(contracts::valid_business_id("2900011-9"));
  EXPECT_FALSE(contracts::valid_business_id("2900011-8"));
  EXPECT_FALSE(contracts::valid_business_id("290001-19"));
  EXPECT_FALSE(contracts::valid_business_id("2900011-9 "));
  EXPECT_TRUE(contracts::valid_iban("FI2112345600000785"));
  EXPECT_FALSE(contracts::valid_iban("FI2112345600000786"));
  EXPECT_FALSE(contracts::valid_iban("FI21 1234 5600 0007 85"));
}

}  // namespace
}  // namespace costcover::model
