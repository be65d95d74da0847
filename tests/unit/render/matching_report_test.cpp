// The published matching calculation (render/matching_report.hpp) and the languages'
// number forms (render/locale.hpp): labels per language, the area and total columns, this
// year beside the previous one, and the result after the settlement.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/locale.hpp"
#include "render/matching_report.hpp"

namespace costcover::render {
namespace {

using costing::CostCategory;

Money eur(const char* text) { return Money::parse(text); }

constexpr const char* kNbsp = "\u00a0";

TEST(Locale, MoneyAndPercentInEachLanguage) {
  struct Case {
    const char* amount;
    Language language;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"1234567.89", Language::fi, std::string("1") + kNbsp + "234" + kNbsp + "567,89"},
      {"-53389.39", Language::fi, std::string("\u2212") + "53" + kNbsp + "389,39"},  // U+2212 minus
      {"0.00", Language::sv, "0,00"},
      {"999.99", Language::sv, "999,99"},  // no group under a thousand
      {"1000.00", Language::en, "1,000.00"},
      {"-0.01", Language::en, "-0.01"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_money(eur(c.amount), c.language), c.expected) << c.amount;
  EXPECT_EQ(format_percent(Decimal::parse("98.7654"), Language::fi), std::string("98,77") + kNbsp + "%");
  EXPECT_EQ(format_percent(Decimal::parse("101.5"), Language::en), "101.50%");
  EXPECT_EQ(parse_language("sv"), Language::sv);
  EXPECT_FALSE(parse_language("de").has_value());
}

model::Catalog catalog() {
  model::Catalog out;
  out.provider.name = "Palvelukeskus";
  const auto service = [](const char* id, const char* fi, const char* en, model::Area area) {
    model::Service s;
    s.id = id;
    s.name = {{"fi", fi}, {"en", en}};
    s.area = area;
    return s;
  };
  out.services = {service("purchase-invoice", "Ostolaskut", "Purchase invoices", model::Area::finance),
                  service("payslip", "Palkkalaskelmat", "Payslips", model::Area::hr),
                  service("account-management", "Asiakkuuden hoito", "Account management", model::Area::other)};
  return out;
}

costing::MatchingRow row(int year, const char* service, const char* revenue, const char* personnel,
                         const char* support) {
  costing::MatchingRow out;
  out.year = year;
  out.service = service;
  out.revenue = eur(revenue);
  out.cost[costing::index_of(CostCategory::personnel)] = eur(personnel);
  out.cost[costing::index_of(CostCategory::support_functions)] = eur(support);
  return out;
}

// 2026: purchase-invoice revenue 1 000.00 against 800 + 300 = 1 100.00 (deficit 100.00,
// settled: +100.00 charged); payslip 2 000.00 against 1 500 + 400 = 1 900.00 (surplus 100.00,
// carried forward); account-management 300.00 against 200 + 50 = 250.00 (surplus 50.00,
// carried). TOTAL 3 300.00 against 3 250.00: surplus 50.00, after the settlement 150.00.
MatchingReport report_2026() {
  MatchingReport report;
  std::vector<costing::MatchingRow> rows = {row(2026, "purchase-invoice", "1000.00", "800.00", "300.00"),
                                            row(2026, "payslip", "2000.00", "1500.00", "400.00"),
                                            row(2026, "account-management", "300.00", "200.00", "50.00"),
                                            row(2026, "TOTAL", "3300.00", "2500.00", "750.00")};
  costing::SettlementPlan settle;
  settle.service = "purchase-invoice";
  settle.decision = costing::SettlementDecision::settle;
  settle.lines = {costing::SettlementLine{"KTL", eur("600.00"), eur("60.00")},
                  costing::SettlementLine{"LVT", eur("400.00"), eur("40.00")}};
  costing::SettlementPlan carry;
  carry.service = "payslip";
  carry.decision = costing::SettlementDecision::carry_forward;
  report.current = matching_year(2026, rows, {settle, carry});
  return report;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

TEST(MatchingReport, FinnishByDefaultWithAreasAndTotal) {
  const std::string html = matching_report_html(catalog(), report_2026());
  EXPECT_NE(html.find("<html lang=\"fi\">"), std::string::npos);
  EXPECT_NE(html.find("<h1>Kustannusvastaavuuslaskelma 2026</h1>"), std::string::npos);
  EXPECT_NE(html.find("size: A4 landscape"), std::string::npos);
  // The summary: one column per area with services, and the total.
  EXPECT_NE(html.find("<th class=\"n\">Taloushallinto</th><th class=\"n\">Henkilöstöhallinto</th>"
                      "<th class=\"n\">Muut palvelut</th><th class=\"n\">Yhteensä</th>"),
            std::string::npos);
  // One table for the summary and one per area.
  EXPECT_EQ(count(html, "<table>"), 4U);
  // The TOTAL revenue 3 300,00; the total's result after the settlement: 50 + 100 = 150,00.
  EXPECT_NE(html.find(std::string("3") + kNbsp + "300,00"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Tulos tasauksen jälkeen</th>"), std::string::npos);
  // purchase-invoice: surplus −100,00, settled +100,00, result 0,00; its decision "tasattu".
  const auto finance = html.find("<caption>Taloushallinto</caption>");
  ASSERT_NE(finance, std::string::npos);
  const std::string finance_table = html.substr(finance, html.find("</table>", finance) - finance);
  EXPECT_NE(finance_table.find("<th scope=\"row\">Kustannusvastaavuus (tuotot − kustannukset)</th>"
                               "<td class=\"n neg\">\u2212100,00</td>"),
            std::string::npos)
      << finance_table;
  EXPECT_NE(finance_table.find("<th scope=\"row\">Tasaus asiakkaiden kanssa</th><td class=\"n\">100,00</td>"),
            std::string::npos);
  EXPECT_NE(finance_table.find("<th scope=\"row\">Tulos tasauksen jälkeen</th><td class=\"n\">0,00</td>"),
            std::string::npos);
  EXPECT_NE(finance_table.find("<td class=\"n\">tasattu</td>"), std::string::npos);
  // Coverage of purchase-invoice: 1000 / 1100 = 90.909 -> 90,91 %.
  EXPECT_NE(finance_table.find(std::string("90,91") + kNbsp + "%"), std::string::npos);
}

TEST(MatchingReport, PreviousYearBesideThisYear) {
  MatchingReport report = report_2026();
  // 2025 had no account-management: its cells stay empty.
  report.previous = matching_year(
      2025,
      {row(2025, "purchase-invoice", "900.00", "700.00", "250.00"),
       row(2025, "payslip", "1800.00", "1400.00", "350.00"), row(2025, "TOTAL", "2700.00", "2100.00", "600.00")},
      {});
  const std::string html = matching_report_html(catalog(), report);
  EXPECT_NE(html.find("<tr class=\"years\"><th></th><th class=\"n\">2026</th><th class=\"n prev\">2025</th>"),
            std::string::npos);
  // Every column spans its two years.
  EXPECT_NE(html.find("<th class=\"n\" colspan=\"2\">Yhteensä</th>"), std::string::npos);
  const auto other = html.find("<caption>Muut palvelut</caption>");
  ASSERT_NE(other, std::string::npos);
  const std::string other_table = html.substr(other, html.find("</table>", other) - other);
  // account-management 300,00 this year, nothing the year before; the area's total the same.
  EXPECT_NE(other_table.find("<th scope=\"row\">Maksullisen toiminnan tuotot</th><td class=\"n\">300,00</td>"
                             "<td class=\"n\"></td><td class=\"n\">300,00</td><td class=\"n\"></td>"),
            std::string::npos)
      << other_table;
  // Without a previous year there is no years row.
  EXPECT_EQ(matching_report_html(catalog(), report_2026()).find("class=\"years\""), std::string::npos);
}

TEST(MatchingReport, SwedishAndEnglish) {
  MatchingReport report = report_2026();
  report.language = Language::sv;
  const std::string sv = matching_report_html(catalog(), report);
  EXPECT_NE(sv.find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(sv.find("Kalkyl över kostnadsmotsvarighet 2026"), std::string::npos);
  EXPECT_NE(sv.find("Resultat efter utjämning"), std::string::npos);
  // The catalog has no Swedish names: the first one written (Finnish) stands in.
  EXPECT_NE(sv.find("Ostolaskut"), std::string::npos);
  report.language = Language::en;
  const std::string en = matching_report_html(catalog(), report);
  EXPECT_NE(en.find("Cost-revenue matching calculation 2026"), std::string::npos);
  EXPECT_NE(en.find("<td class=\"n\">3,300.00</td>"), std::string::npos);
  EXPECT_NE(en.find("Purchase invoices"), std::string::npos);
}

TEST(MatchingReport, NamesAreEscaped) {
  model::Catalog names = catalog();
  names.provider.name = "Palvelukeskus <PK>";
  names.services[0].name = {{"fi", "Ostot & maksut"}};
  const std::string html = matching_report_html(names, report_2026());
  EXPECT_NE(html.find("<p class=\"provider\">Palvelukeskus &lt;PK&gt;</p>"), std::string::npos);
  EXPECT_NE(html.find(">Ostot &amp; maksut</th>"), std::string::npos);
  EXPECT_EQ(html.find("<PK>"), std::string::npos);
}

TEST(MatchingReport, AServiceTheCatalogLacksGoesWithOther) {
  MatchingReport report = report_2026();
  report.current.rows.insert(report.current.rows.end() - 1, row(2026, "legacy-service", "10.00", "0.00", "0.00"));
  const std::string html = matching_report_html(catalog(), report);
  const auto other = html.find("<caption>Muut palvelut</caption>");
  ASSERT_NE(other, std::string::npos);
  EXPECT_NE(html.find("legacy-service", other), std::string::npos);
}

}  // namespace
}  // namespace costcover::render
