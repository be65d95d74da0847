#include "render/matching_html.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace costcover::render {
namespace {

using costing::CostCategory;

constexpr const char* kStyle =
    "<style>\nbody{font-family:sans-serif;margin:2em;color:#222}\n"
    "table{border-collapse:collapse;font-size:0.9em}\n"
    "th,td{padding:0.3em 0.6em;border-bottom:1px solid #ccc}\n"
    "th{text-align:left;vertical-align:bottom}\ntd.n,th.n{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:bold;border-top:2px solid #222}\ntd.neg{color:#a00}\n</style>\n";

// The matching table's amount columns after the service, in matching.csv's order.
constexpr const char* kHeadings[] = {"Revenue",
                                     "Materials",
                                     "Personnel",
                                     "Rents",
                                     "Purchased services",
                                     "Other direct costs",
                                     "Direct costs total",
                                     "Support functions",
                                     "Depreciation",
                                     "Imputed interest",
                                     "Other common costs",
                                     "Common costs total",
                                     "Total cost",
                                     "Surplus (+) / deficit (−)",
                                     "Cost coverage %"};

std::string service_name(const model::Catalog& catalog, const std::string& id) {
  const model::Service* service = catalog.find(id);
  return service == nullptr ? id : service->name_in("en");
}

std::string cell(Money amount) {
  return fmt::format("<td class=\"n{}\">{}</td>", amount < Money() ? " neg" : "", amount.to_display());
}

std::string head(int year, const model::Catalog& catalog) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>Cost-revenue matching calculation {}</title>\n", year);
  out += kStyle;
  out += "</head>\n<body>\n";
  out += fmt::format("<h1>{} — cost-revenue matching calculation {}</h1>\n", html_escape(catalog.provider.name), year);
  out +=
      "<p>Cost-covering services (kustannusvastaavuuslaskelma), euros. Revenue is what final invoices of the "
      "year billed for each service, net of VAT, before settlement.</p>\n";
  return out;
}

std::string matching_row(const model::Catalog& catalog, const costing::MatchingRow& row) {
  const bool total = row.service == costing::kTotalRow;
  std::string out = total ? "<tr class=\"total\">" : "<tr>";
  out += fmt::format("<td>{}</td>", total ? "Total" : html_escape(service_name(catalog, row.service)));
  out += cell(row.revenue);
  for (const CostCategory c : {CostCategory::materials, CostCategory::personnel, CostCategory::rents,
                               CostCategory::purchased_services, CostCategory::other_direct}) {
    out += cell(row[c]);
  }
  out += cell(row.direct_total());
  for (const CostCategory c : {CostCategory::support_functions, CostCategory::depreciation,
                               CostCategory::imputed_interest, CostCategory::other_common}) {
    out += cell(row[c]);
  }
  out += cell(row.common_total());
  out += cell(row.total_cost());
  out += cell(row.surplus());
  const auto coverage = row.coverage_percent();
  out += fmt::format("<td class=\"n\">{}</td></tr>\n", coverage ? coverage->to_string(2) : "");
  return out;
}

std::string matching_table(const model::Catalog& catalog, const std::vector<costing::MatchingRow>& rows) {
  std::string out = "<table>\n<thead>\n<tr><th>Service</th>";
  for (const char* heading : kHeadings) out += fmt::format("<th class=\"n\">{}</th>", heading);
  out += "</tr>\n</thead>\n<tbody>\n";
  for (const auto& row : rows) out += matching_row(catalog, row);
  out += "</tbody>\n</table>\n";
  return out;
}

std::string settlement_table(const model::Catalog& catalog, const std::vector<costing::SettlementPlan>& plans) {
  std::string out =
      "<h2>Settlement</h2>\n<table>\n<thead>\n<tr><th>Service</th><th class=\"n\">Surplus (+) / deficit (−)</th>"
      "<th class=\"n\">Threshold</th><th>Decision</th><th class=\"n\">Settled with agencies</th><th>Reason</th>"
      "</tr>\n</thead>\n<tbody>\n";
  for (const auto& plan : plans) {
    out += fmt::format("<tr><td>{}</td>{}{}<td>{}</td>{}<td>{}</td></tr>\n",
                       html_escape(service_name(catalog, plan.service)), cell(plan.surplus), cell(plan.threshold),
                       plan.decision == costing::SettlementDecision::settle ? "settled" : "carried forward",
                       cell(plan.settled()), html_escape(plan.reason));
  }
  out +=
      "</tbody>\n</table>\n<p>A settled surplus is credited (negative amounts), a settled deficit charged, to "
      "each agency in proportion to what it was invoiced for the service.</p>\n";
  return out;
}

}  // namespace

std::string matching_html(int year, const model::Catalog& catalog, const std::vector<costing::MatchingRow>& rows,
                          const std::vector<costing::SettlementPlan>& plans, Money other_revenue) {
  std::string out = head(year, catalog);
  out += matching_table(catalog, rows);
  if (other_revenue != Money()) {
    out += fmt::format(
        "<p>Fixed fees and one-off charges invoiced in {} ({} euros) belong to no service and are "
        "not in the table.</p>\n",
        year, other_revenue.to_display());
  }
  out += settlement_table(catalog, plans);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace costcover::render
