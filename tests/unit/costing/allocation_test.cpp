// Hand-checked allocations: one data set with two support centres (MGMT, ICT) and two
// production centres (AP, PAY), allocated by direct, step_down and reciprocal. Every
// expected figure is worked out in the comments.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "costing/costing.hpp"
#include "model_builder.hpp"
#include "render/costing_csv.hpp"

namespace costcover::costing {
namespace {

using namespace costcover::costing::testing;
using model::AllocationMethod;
using model::CostModel;

// The data set (sample_model() and sample_ledger() in model_builder.hpp):
//   own costs (ledger):  MGMT 100 000.00, ICT 200 000.00, AP 300 000.00, PAY 400 000.00
//                        (total 1 000 000.00)
//   MGMT allocates by the driver fte {MGMT 4, ICT 6, AP 14, PAY 20}: its own 4 is left
//     out, so of 40: ICT 6/40 = 0.15, AP 14/40 = 0.35, PAY 20/40 = 0.50.
//   ICT allocates by shares {MGMT 0.10, AP 0.50, PAY 0.40}.
//   AP works for purchase-invoice 0.85 and travel-claim 0.15; PAY for payslip 1.0.
//   Salaries (41xx) everywhere except ICT, whose costs are purchased services (44xx).
//   Forecast volumes: purchase-invoice 100 000, travel-claim 20 000, payslip 50 000.

// Amounts in the Allocation are rationals in cents.
Rational euros(std::int64_t numerator, std::int64_t denominator = 1) {
  return Rational(Integer(numerator) * 100, Integer(denominator));  // in cents
}

// ---- direct ----------------------------------------------------------------------------
// Support centres go straight to production centres, shares renormalised over them:
//   MGMT: AP 14/34, PAY 20/34 of 100 000  -> AP 41 176.470588..., PAY 58 823.529411...
//   ICT:  AP 0.5/0.9 = 5/9, PAY 4/9 of 200 000 -> AP 111 111.111..., PAY 88 888.888...
//   AP received  = 700 000/17 + 1 000 000/9 = 23 300 000/153 = 152 287.581699...
//   PAY received = 300 000 - that                            = 147 712.418300...
// In cents 15 228 758.17 and 14 771 241.83: the floors sum to 29 999 999, the one cent
// left goes to the larger remainder (PAY): AP 152 287.58, PAY 147 712.42.
TEST(AllocationDirect, HandChecked) {
  const Allocation a = allocate_costs(sample_model(AllocationMethod::direct), sample_ledger());
  EXPECT_EQ(a.centre("AP")->received, euros(23'300'000, 153));
  EXPECT_EQ(a.centre("PAY")->received, euros(300'000) - euros(23'300'000, 153));
  EXPECT_EQ(a.centre("MGMT")->received, 0);
  EXPECT_EQ(a.centre("MGMT")->allocated_out, euros(100'000));
  EXPECT_EQ(a.centre("ICT")->allocated_out, euros(200'000));
  EXPECT_EQ(render::allocation_csv(allocation_rows(a)),
            "cost_centre,kind,own_cost,received,allocated_out,total_cost\n"
            "MGMT,support,100000.00,0.00,100000.00,100000.00\n"
            "ICT,support,200000.00,0.00,200000.00,200000.00\n"
            "AP,production,300000.00,152287.58,0.00,452287.58\n"
            "PAY,production,400000.00,147712.42,0.00,547712.42\n");
}

// ---- step_down (MGMT first, then ICT) --------------------------------------------------
//   MGMT 100 000: ICT 15 000, AP 35 000, PAY 50 000.
//   ICT has 200 000 + 15 000 = 215 000; MGMT is closed, so its 0.10 share is left out and
//   AP gets 0.5/0.9 = 5/9 = 119 444.444..., PAY 4/9 = 95 555.555...
//   AP received 35 000 + 119 444.444... = 154 444.444... -> 154 444.44
//   PAY received 50 000 + 95 555.555... = 145 555.555... -> 145 555.56 (the larger
//   remainder takes the leftover cent)
TEST(AllocationStepDown, HandChecked) {
  const Allocation a = allocate_costs(sample_model(AllocationMethod::step_down), sample_ledger());
  EXPECT_EQ(a.centre("ICT")->received, euros(15'000));
  EXPECT_EQ(a.centre("ICT")->allocated_out, euros(215'000));
  EXPECT_EQ(a.centre("MGMT")->received, 0);  // nothing back to a closed centre
  EXPECT_EQ(a.centre("AP")->received, euros(35'000) + euros(215'000 * 5, 9));
  EXPECT_EQ(a.centre("PAY")->received, euros(50'000) + euros(215'000 * 4, 9));
  EXPECT_EQ(render::allocation_csv(allocation_rows(a)),
            "cost_centre,kind,own_cost,received,allocated_out,total_cost\n"
            "MGMT,support,100000.00,0.00,100000.00,100000.00\n"
            "ICT,support,200000.00,15000.00,215000.00,215000.00\n"
            "AP,production,300000.00,154444.44,0.00,454444.44\n"
            "PAY,production,400000.00,145555.56,0.00,545555.56\n");
}

// Step-down with both support centres on the fte driver: ICT leaves out its own 6 and the
// closed MGMT's 4, so AP gets 14/34 and PAY 20/34 of ICT's 215 000.
TEST(AllocationStepDown, ClosedCentresDriverShareIsLeftOut) {
  CostModel m = sample_model(AllocationMethod::step_down);
  m.centres[1] = support_by_driver("ICT", "fte");
  const Allocation a = allocate_costs(m, sample_ledger());
  EXPECT_EQ(a.centre("MGMT")->received, 0);
  EXPECT_EQ(a.centre("AP")->received, euros(35'000) + euros(215'000 * 14, 34));
  EXPECT_EQ(a.centre("PAY")->received, euros(50'000) + euros(215'000 * 20, 34));
}

// ---- reciprocal ------------------------------------------------------------------------
// The support centres' totals M and I solve
//   M = 100 000 + 0.10 I,  I = 200 000 + 0.15 M
//   => M = 100 000 + 20 000 + 0.015 M => M = 120 000 / 0.985 = 24 000 000/197 = 121 827.411167...
//      I = 200 000 + 0.15 M = 43 000 000/197                                  = 218 274.111675...
//   MGMT received 0.10 I = 4 300 000/197 = 21 827.411167... -> 21 827.41
//   ICT received  0.15 M = 3 600 000/197 = 18 274.111675... -> 18 274.11
//   AP received  0.35 M + 0.5 I = (8 400 000 + 21 500 000)/197 = 29 900 000/197 = 151 776.649746...
//   PAY received 0.50 M + 0.4 I = (12 000 000 + 17 200 000)/197 = 29 200 000/197 = 148 223.350253...
//   (together 59 100 000/197 = 300 000, the support centres' own costs)
//   In cents 15 177 664.97 and 14 822 335.03: the leftover cent goes to AP.
//   AP total 451 776.65, PAY 548 223.35; sum 1 000 000.00.
TEST(AllocationReciprocal, HandChecked) {
  const Allocation a = allocate_costs(sample_model(AllocationMethod::reciprocal), sample_ledger());
  EXPECT_EQ(a.centre("MGMT")->allocated_out, euros(24'000'000, 197));
  EXPECT_EQ(a.centre("ICT")->allocated_out, euros(43'000'000, 197));
  EXPECT_EQ(a.centre("MGMT")->received, euros(4'300'000, 197));
  EXPECT_EQ(a.centre("ICT")->received, euros(3'600'000, 197));
  EXPECT_EQ(a.centre("AP")->received, euros(29'900'000, 197));
  EXPECT_EQ(a.centre("PAY")->received, euros(29'200'000, 197));
  EXPECT_EQ(render::allocation_csv(allocation_rows(a)),
            "cost_centre,kind,own_cost,received,allocated_out,total_cost\n"
            "MGMT,support,100000.00,21827.41,121827.41,121827.41\n"
            "ICT,support,200000.00,18274.11,218274.11,218274.11\n"
            "AP,production,300000.00,151776.65,0.00,451776.65\n"
            "PAY,production,400000.00,148223.35,0.00,548223.35\n");
  // The flows, exactly: MGMT -> ICT 0.15 M, MGMT -> AP 0.35 M, MGMT -> PAY 0.5 M,
  // ICT -> MGMT 0.1 I, ICT -> AP 0.5 I, ICT -> PAY 0.4 I.
  ASSERT_EQ(a.flows.size(), 6U);
  EXPECT_EQ(a.flows[0].from, "MGMT");
  EXPECT_EQ(a.flows[0].to, "ICT");
  EXPECT_EQ(a.flows[0].amount, euros(3'600'000, 197));
  EXPECT_EQ(a.flows[3].from, "ICT");
  EXPECT_EQ(a.flows[3].to, "MGMT");
  EXPECT_EQ(a.flows[3].amount, euros(4'300'000, 197));
}

// Services of the reciprocal example: AP's total 89 000 000/197 splits 0.85 / 0.15.
//   purchase-invoice personnel 0.85 x 300 000 = 255 000; support 0.85 x 29 900 000/197
//     = 25 415 000/197 = 129 010.152284...
//   travel-claim personnel 45 000; support 4 485 000/197 = 22 766.497461...
//   payslip personnel 400 000; support 29 200 000/197 = 148 223.350253...
// The support column sums to 300 000.00 exactly; its fractions (.23, .75, .03 cents) add
// to one cent, which goes to travel-claim: 129 010.15, 22 766.50, 148 223.35.
// unit costs: 384 010.15 / 100 000 = 3.8401015 -> 3.8401, proposed 3.85 (rounded up);
//   67 766.50 / 20 000 = 3.388325 -> 3.3883, proposed 3.39;
//   548 223.35 / 50 000 = 10.964467 -> 10.9645, proposed 10.97.
TEST(AllocationReciprocal, ServicesAndUnitCosts) {
  const CostModel model = sample_model(AllocationMethod::reciprocal);
  const Allocation a = allocate_costs(model, sample_ledger());
  ASSERT_EQ(a.services.size(), 3U);
  EXPECT_EQ(a.service("purchase-invoice")->cost[index_of(CostCategory::support_functions)], euros(25'415'000, 197));
  EXPECT_EQ(a.service("purchase-invoice")->cost[index_of(CostCategory::personnel)], euros(255'000));
  EXPECT_EQ(render::unit_costs_csv(unit_cost_rows(a, model)),
            "service,direct_cost,support_cost,capital_cost,total_cost,forecast_volume,unit_cost,proposed_price\n"
            "purchase-invoice,255000.00,129010.15,0.00,384010.15,100000,3.8401,3.8500\n"
            "travel-claim,45000.00,22766.50,0.00,67766.50,20000,3.3883,3.3900\n"
            "payslip,400000.00,148223.35,0.00,548223.35,50000,10.9645,10.9700\n");
}

// A support centre's own driver value never matters: it is left out.
TEST(AllocationDriver, OwnShareLeftOut) {
  for (const AllocationMethod method :
       {AllocationMethod::direct, AllocationMethod::step_down, AllocationMethod::reciprocal}) {
    CostModel small = sample_model(method);
    CostModel big = sample_model(method);
    big.drivers[0].second[0].second = Decimal::parse("4000");  // MGMT's own fte
    const Allocation a = allocate_costs(small, sample_ledger());
    const Allocation b = allocate_costs(big, sample_ledger());
    for (std::size_t i = 0; i < a.centres.size(); ++i) {
      EXPECT_EQ(a.centres[i].received, b.centres[i].received) << a.centres[i].id;
      EXPECT_EQ(a.centres[i].allocated_out, b.centres[i].allocated_out) << a.centres[i].id;
    }
  }
  // Reciprocal, MGMT alone: ICT 6/40 of 100 000 = 15 000 (its own 4 is not in the 40).
  CostModel m = sample_model(AllocationMethod::reciprocal);
  m.centres[1] = support_by_shares("ICT", {{"AP", "1.0"}});
  const Allocation a = allocate_costs(m, sample_ledger());
  EXPECT_EQ(a.centre("ICT")->received, euros(15'000));
  EXPECT_EQ(a.centre("MGMT")->received, 0);
}

// Imputed interest: PAY's payroll system, book value 480 000.00 at 3 % = 14 400.00, added
// to PAY's own cost; production totals then sum to 1 000 000 + 14 400.
// An ICT asset of 1 234.57 at 3.5 % = 43.20995 -> 43.21 (per asset, half away from zero)
// travels with ICT's costs and stays imputed interest in the services.
TEST(AllocationInterest, AddedThroughTheAssetsCentre) {
  CostModel m = sample_model(AllocationMethod::reciprocal);
  m.imputed_interest_rate = Decimal::parse("0.03");
  m.assets = {{"payroll-system", "PAY", eur("480000.00")}};
  Allocation a = allocate_costs(m, sample_ledger());
  EXPECT_EQ(a.imputed_interest, eur("14400.00"));
  EXPECT_EQ(a.centre("PAY")->own_cost, euros(414'400));
  const auto rows = allocation_rows(a);
  EXPECT_EQ(rows[3].own_cost, eur("414400.00"));
  EXPECT_EQ(rows[2].total_cost + rows[3].total_cost, eur("1014400.00"));
  EXPECT_EQ(a.service("payslip")->cost[index_of(CostCategory::imputed_interest)], euros(14'400));

  m.imputed_interest_rate = Decimal::parse("0.035");
  m.assets = {{"ledger-system", "ICT", eur("1234.57")}};
  a = allocate_costs(m, sample_ledger());
  EXPECT_EQ(a.imputed_interest, eur("43.21"));
  EXPECT_EQ(a.interest.at(0).interest, eur("43.21"));
  Rational interest_in_services = 0;
  for (const auto& s : a.services) interest_in_services += s.cost[index_of(CostCategory::imputed_interest)];
  EXPECT_EQ(interest_in_services, Rational(4321));
  const auto services = service_cost_rows(a);
  Money interest_column;
  for (const auto& s : services) interest_column += s[CostCategory::imputed_interest];
  EXPECT_EQ(interest_column, eur("43.21"));
}

// Cost types: longest prefix wins; every euro lands in one column.
//   P (production, service s): 4000 materials 100; 4100 personnel 200; 4190 (rents by the
//   longer prefix "4190") 50; 4300 rents 30; 4400 purchased 40; 6800 depreciation 60;
//   7000 other -> other_direct 10. Asset of P: 2 000 x 5 % = 100 interest.
//   S (support, all to P): 4100 salaries 500 -> support_functions; 6800 depreciation 70
//   -> depreciation; asset of S: 1 000 x 5 % = 50 -> imputed_interest.
//   s: materials 100, personnel 200, rents 80, purchased 40, other_direct 10,
//      support 500, depreciation 130, interest 150: total 1 210 = ledger 1 060 + 150.
TEST(CostTypes, LongestPrefixAndClassification) {
  CostModel m;
  m.year = 2027;
  m.method = AllocationMethod::step_down;
  m.centres = {support_by_shares("S", {{"P", "1"}}), production("P", {{"s", "1"}})};
  m.cost_types = standard_cost_types();
  m.cost_types.push_back({"rents", {"4190"}});
  m.imputed_interest_rate = Decimal::parse("0.05");
  m.assets = {{"a1", "P", eur("2000.00")}, {"a2", "S", eur("1000.00")}};
  EXPECT_EQ(cost_type_for(m, "4190 Premises staff"), "rents");
  EXPECT_EQ(cost_type_for(m, "4100 Salaries"), "personnel");
  EXPECT_EQ(cost_type_for(m, "9999"), "other");
  EXPECT_EQ(cost_type_for(m, ""), "other");
  const Allocation a = allocate_costs(
      m, {ledger("P", "4000 Materials", "100"), ledger("P", "4100 Salaries", "200"), ledger("P", "4190 X", "50"),
          ledger("P", "4300 Rent", "30"), ledger("P", "4400 Services", "40"), ledger("P", "6800 Depr", "60"),
          ledger("P", "7000 Other", "10"), ledger("S", "4100 Salaries", "500"), ledger("S", "6800 Depr", "70")});
  const auto rows = service_cost_rows(a);
  ASSERT_EQ(rows.size(), 1U);
  const ServiceCostRow& s = rows[0];
  EXPECT_EQ(s[CostCategory::materials], eur("100"));
  EXPECT_EQ(s[CostCategory::personnel], eur("200"));
  EXPECT_EQ(s[CostCategory::rents], eur("80"));
  EXPECT_EQ(s[CostCategory::purchased_services], eur("40"));
  EXPECT_EQ(s[CostCategory::other_direct], eur("10"));
  EXPECT_EQ(s[CostCategory::support_functions], eur("500"));
  EXPECT_EQ(s[CostCategory::depreciation], eur("130"));
  EXPECT_EQ(s[CostCategory::imputed_interest], eur("150"));
  EXPECT_EQ(s[CostCategory::other_common], eur("0"));
  EXPECT_EQ(s.direct_total(), eur("430"));
  EXPECT_EQ(s.total(), eur("1210"));
  EXPECT_EQ(a.ledger_total, eur("1060"));
  EXPECT_EQ(a.imputed_interest, eur("150"));
}

TEST(CostTypes, NoCatchAllIsAnInputError) {
  CostModel m = sample_model(AllocationMethod::direct);
  m.cost_types = {{"personnel", {"41"}}};
  try {
    (void)allocate_costs(m, sample_ledger());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.findings().size(), 1U);
    EXPECT_EQ(e.findings()[0].message,
              "ledger account \"4400 ICT services\" of cost centre ICT matches no cost_types prefix (add \"\" to "
              "catch everything)");
  }
}

std::vector<std::string> messages_of(const CostModel& model, const std::vector<LedgerTotal>& rows) {
  try {
    (void)allocate_costs(model, rows);
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const auto& f : e.findings()) out.push_back(f.message);
    return out;
  }
  return {};
}

TEST(AllocationErrors, AreCollectedAndNameTheIds) {
  CostModel m = sample_model(AllocationMethod::reciprocal);
  m.centres[0].driver = "headcount";
  auto rows = sample_ledger();
  rows.push_back(ledger("HR", "4100 Salaries", "5.00"));
  EXPECT_EQ(messages_of(m, rows),
            (std::vector<std::string>{
                "ledger cost centre \"HR\" (account \"4100 Salaries\", 5.00) is not in the cost model",
                "cost centre MGMT allocates by driver \"headcount\", which is not defined under drivers"}));
}

TEST(AllocationErrors, SupportCentresServingOnlyEachOther) {
  CostModel m = sample_model(AllocationMethod::reciprocal);
  m.centres[0] = support_by_shares("MGMT", {{"ICT", "1"}});
  m.centres[1] = support_by_shares("ICT", {{"MGMT", "1"}});
  EXPECT_EQ(messages_of(m, sample_ledger()),
            (std::vector<std::string>{"support cost centres MGMT, ICT pass their costs only among themselves; "
                                      "nothing reaches a production centre"}));
  m.method = AllocationMethod::direct;
  EXPECT_EQ(messages_of(m, sample_ledger()),
            (std::vector<std::string>{
                "support cost centre MGMT has nothing to allocate to under direct: none of its targets is a "
                "production centre",
                "support cost centre ICT has nothing to allocate to under direct: none of its targets is a "
                "production centre"}));
}

TEST(AllocationErrors, ProductionCentreWithoutServices) {
  CostModel m = sample_model(AllocationMethod::direct);
  m.centres[3].services.clear();
  EXPECT_EQ(messages_of(m, sample_ledger()),
            (std::vector<std::string>{"production cost centre PAY has costs (547712.42) but no service shares to "
                                      "pass them to"}));
}

TEST(AllocationOrder, ServiceOrderOption) {
  AllocationOptions options;
  options.service_order = {"payslip", "unknown", "travel-claim"};
  const Allocation a = allocate_costs(sample_model(AllocationMethod::direct), sample_ledger(), options);
  ASSERT_EQ(a.services.size(), 3U);
  EXPECT_EQ(a.services[0].service, "payslip");
  EXPECT_EQ(a.services[1].service, "travel-claim");
  EXPECT_EQ(a.services[2].service, "purchase-invoice");
}

}  // namespace
}  // namespace costcover::costing
