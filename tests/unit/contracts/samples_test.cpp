// The sample contracts under contracts/ load with no findings and hold what the README
// promises: 12 agencies, an amendment, every price model and exception kind.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "contract_files.hpp"
#include "contracts/loader.hpp"

namespace costcover::contracts {
namespace {

using testing::all_findings;

TEST(Samples, LoadWithoutFindings) {
  const LoadResult result = load_directory(testing::samples_dir());
  EXPECT_TRUE(result.ok()) << all_findings(result);
  EXPECT_EQ(result.files_read, 19);
  EXPECT_EQ(result.contracts.catalog.services.size(), 10U);
  EXPECT_EQ(result.contracts.agencies.size(), 12U);
  EXPECT_EQ(result.contracts.price_lists.size(), 2U);
  EXPECT_EQ(result.contracts.agreements.size(), 13U);
  EXPECT_EQ(result.contracts.cost_models.size(), 2U);
}

TEST(Samples, EveryAgencyHasAnAgreementInForceIn2026And2027) {
  const LoadResult result = load_directory(testing::samples_dir());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  for (const auto& agency : result.contracts.agencies) {
    for (const Date day : {Date(2026, 10, 15), Date(2027, 6, 30)}) {
      std::vector<model::Agreement> versions;
      for (const auto& a : result.contracts.agreements) {
        if (a.client == agency.id) versions.push_back(a);
      }
      EXPECT_NE(version_in_force(versions, day), nullptr) << agency.id << " " << format_date(day);
    }
  }
}

TEST(Samples, UseEveryPriceModelAndExceptionKind) {
  const LoadResult result = load_directory(testing::samples_dir());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  std::set<model::PriceModel> models;
  std::set<model::ExceptionKind> kinds;
  bool yearly_lower_limit = false;
  bool over_limit_price = false;
  bool over_limit_flag = false;
  bool fee_month = false;
  bool fee_year = false;
  bool amendment = false;
  for (const auto& a : result.contracts.agreements) {
    amendment = amendment || a.version > 1;
    for (const auto& s : a.services) {
      models.insert(s.price.model);
      yearly_lower_limit = yearly_lower_limit || (s.volume.per == model::Window::year && s.volume.lower_limit);
      over_limit_price =
          over_limit_price || (s.volume.upper_limit && s.volume.over_limit == model::OverLimitMode::price);
      over_limit_flag = over_limit_flag || (s.volume.upper_limit && s.volume.over_limit == model::OverLimitMode::flag);
    }
    for (const auto& f : a.fees) (f.per == model::FeePer::month ? fee_month : fee_year) = true;
    for (const auto& e : a.exceptions) kinds.insert(e.kind);
  }
  EXPECT_EQ(models.size(), 3U);
  EXPECT_EQ(kinds.size(), 5U);
  EXPECT_TRUE(yearly_lower_limit);
  EXPECT_TRUE(over_limit_price);
  EXPECT_TRUE(over_limit_flag);
  EXPECT_TRUE(fee_month);
  EXPECT_TRUE(fee_year);
  EXPECT_TRUE(amendment);
}

// Every fee and charge names the catalog service it pays for; account-management is paid
// by fees only: no agreement has terms for it, and the cost model gives it a cost.
TEST(Samples, FeesAndChargesNameTheirService) {
  const LoadResult result = load_directory(testing::samples_dir());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  std::set<std::string> paid;
  for (const auto& a : result.contracts.agreements) {
    for (const auto& fee : a.fees) {
      EXPECT_NE(result.contracts.catalog.find(fee.service), nullptr) << a.id << " " << fee.id;
      paid.insert(fee.service);
    }
    for (const auto& ex : a.exceptions) {
      if (ex.kind == model::ExceptionKind::charge) {
        EXPECT_NE(result.contracts.catalog.find(ex.service), nullptr) << a.id << " " << ex.id;
        paid.insert(ex.service);
      }
    }
    EXPECT_EQ(a.terms_for("account-management"), nullptr) << a.id;
  }
  EXPECT_EQ(paid, (std::set<std::string>{"account-management", "archiving", "fixed-asset"}));
  const model::CostModel* model = result.contracts.cost_model(2026);
  ASSERT_NE(model, nullptr);
  bool has_share = false;
  for (const auto& centre : model->centres) {
    for (const auto& [service, share] : centre.services) has_share = has_share || service == "account-management";
  }
  EXPECT_TRUE(has_share);
}

TEST(Samples, ContentHashIsTheSha256OfTheFile) {
  const LoadResult result = load_directory(testing::samples_dir());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  for (const auto& a : result.contracts.agreements) {
    EXPECT_EQ(a.content_hash.size(), 64U);
    EXPECT_EQ(a.source_file.rfind(testing::samples_dir(), 0), 0U) << a.source_file;
  }
}

TEST(Samples, CostModelForecastsMatchTheAgreements) {
  // The forecasts in costs/2026.yaml are the agreements' forecasts for a year (monthly x 12),
  // using the version in force on 2026-12-31; a service paid by fees only (no agreement
  // forecasts it) forecasts 12 months per agreement with a fee on it.
  const LoadResult result = load_directory(testing::samples_dir());
  ASSERT_TRUE(result.ok()) << all_findings(result);
  std::map<std::string, std::vector<model::Agreement>> by_id;
  for (const auto& a : result.contracts.agreements) by_id[a.id].push_back(a);
  std::map<std::string, std::int64_t> yearly;
  for (const auto& [id, versions] : by_id) {
    const model::Agreement* a = version_in_force(versions, Date(2026, 12, 31));
    ASSERT_NE(a, nullptr);
    for (const auto& s : a->services) {
      if (s.volume.forecast) yearly[s.service] += *s.volume.forecast * (s.volume.per == model::Window::month ? 12 : 1);
    }
  }
  std::map<std::string, std::int64_t> fee_months;
  for (const auto& [id, versions] : by_id) {
    const model::Agreement* a = version_in_force(versions, Date(2026, 12, 31));
    std::set<std::string> services;
    for (const auto& fee : a->fees) services.insert(fee.service);
    for (const auto& service : services) fee_months[service] += 12;
  }
  for (const auto& [service, months] : fee_months) {
    if (yearly.count(service) == 0) yearly[service] = months;
  }
  const model::CostModel* model = result.contracts.cost_model(2026);
  ASSERT_NE(model, nullptr);
  for (const auto& [service, volume] : model->forecast_volumes) EXPECT_EQ(volume, yearly[service]) << service;
}

TEST(Samples, AgreementTextLoadsAgainstTheSet) {
  const LoadResult set = load_directory(testing::samples_dir());
  ASSERT_TRUE(set.ok()) << all_findings(set);
  const std::string path = testing::samples_dir() + "/agreements/ktl-v2.yaml";
  const LoadResult one = load_agreement_text("ktl-v2.yaml", testing::read_text_file(path), set.contracts);
  EXPECT_TRUE(one.ok()) << all_findings(one);
  ASSERT_EQ(one.contracts.agreements.size(), 1U);
  EXPECT_EQ(one.contracts.agreements[0].version, 2);
  EXPECT_EQ(one.contracts.agreements[0].exceptions.size(), 5U);
}

}  // namespace
}  // namespace costcover::contracts
