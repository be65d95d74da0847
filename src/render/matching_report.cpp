#include "render/matching_report.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include <fmt/format.h>

#include "core/text.hpp"

namespace costcover::render {
namespace {

using costing::CostCategory;

constexpr std::array<CostCategory, 5> kDirect = {CostCategory::materials, CostCategory::personnel, CostCategory::rents,
                                                 CostCategory::purchased_services, CostCategory::other_direct};
constexpr std::array<CostCategory, 4> kCommon = {CostCategory::support_functions, CostCategory::depreciation,
                                                 CostCategory::imputed_interest, CostCategory::other_common};
// Amount columns to a table: 4 groups of this year and the previous, or 7 of one year,
// leave each amount some 28 mm on A4 landscape (an eight-digit amount with its sign
// needs 23 mm in 8 pt condensed).
constexpr std::size_t kColumnsTwoYears = 4;
constexpr std::size_t kColumnsOneYear = 7;
constexpr std::array<model::Area, 3> kAreas = {model::Area::finance, model::Area::hr, model::Area::other};

// Every text of the page, in one language.
struct Labels {
  const char* lang;
  const char* title;  // {year}
  const char* unit_note;
  const char* summary;
  const char* revenue;
  const char* revenue_row;
  const char* costs;
  const char* direct;
  std::array<const char*, costcover::costing::kCategoryCount> category;
  const char* direct_total;
  const char* common;
  const char* common_total;
  const char* total_cost;
  const char* surplus;
  const char* coverage;
  const char* settled;
  const char* result;
  const char* decision;
  const char* decision_settle;
  const char* decision_carry;
  const char* total;
  const char* area_total;  // {area}
  std::array<const char*, 3> area;
  const char* notes;
};

constexpr Labels kFinnish = {
    "fi",
    "Kustannusvastaavuuslaskelma {}",
    "Maksullinen toiminta, kustannusvastaavat palvelut. Euroa, arvonlisäverottomat määrät. Tuotot ovat vuoden "
    "lopullisilla laskuilla ja hyvityslaskuilla laskutetut määrät palveluittain ennen tasausta.",
    "Yhteenveto palvelualueittain",
    "Tuotot",
    "Maksullisen toiminnan tuotot",
    "Kustannukset",
    "Erilliskustannukset",
    {"Aineet, tarvikkeet ja tavarat", "Henkilöstökustannukset", "Vuokrat", "Palvelujen ostot",
     "Muut erilliskustannukset", "Tukitoimintojen kustannukset", "Poistot", "Korot", "Muut yhteiskustannukset"},
    "Erilliskustannukset yhteensä",
    "Osuus yhteiskustannuksista",
    "Yhteiskustannukset yhteensä",
    "Kokonaiskustannukset",
    "Kustannusvastaavuus (tuotot − kustannukset)",
    "Kustannusvastaavuus, %",
    "Tasaus asiakkaiden kanssa",
    "Tulos tasauksen jälkeen",
    "Tasauspäätös",
    "tasattu",
    "siirretty",
    "Yhteensä",
    "{} yhteensä",
    {"Taloushallinto", "Henkilöstöhallinto", "Muut palvelut"},
    "Tasaus: ylijäämä hyvitetään (−) ja alijäämä laskutetaan (+) kullekin asiakkaalle sen palvelusta laskutetun "
    "osuuden mukaan. Siirretty ero otetaan huomioon seuraavan vuoden hinnoittelussa.",
};

constexpr Labels kSwedish = {
    "sv",
    "Kalkyl över kostnadsmotsvarighet {}",
    "Avgiftsbelagd verksamhet, tjänster med kostnadsmotsvarighet. Euro, belopp utan mervärdesskatt. Intäkterna är "
    "det som årets slutliga fakturor och kreditnotor fakturerat per tjänst före utjämning.",
    "Sammandrag per tjänsteområde",
    "Intäkter",
    "Intäkter av avgiftsbelagd verksamhet",
    "Kostnader",
    "Särkostnader",
    {"Material, förnödenheter och varor", "Personalkostnader", "Hyror", "Köp av tjänster", "Övriga särkostnader",
     "Stödfunktionernas kostnader", "Avskrivningar", "Räntor", "Övriga samkostnader"},
    "Särkostnader sammanlagt",
    "Andel av samkostnader",
    "Samkostnader sammanlagt",
    "Totala kostnader",
    "Kostnadsmotsvarighet (intäkter − kostnader)",
    "Kostnadsmotsvarighet, %",
    "Utjämning med kunderna",
    "Resultat efter utjämning",
    "Beslut",
    "utjämnat",
    "överfört",
    "Sammanlagt",
    "{} sammanlagt",
    {"Ekonomiförvaltning", "Personalförvaltning", "Övriga tjänster"},
    "Utjämning: ett överskott krediteras (−) och ett underskott faktureras (+) varje kund i proportion till vad "
    "den fakturerats för tjänsten. En överförd skillnad beaktas i nästa års prissättning.",
};

constexpr Labels kEnglish = {
    "en",
    "Cost-revenue matching calculation {}",
    "Chargeable services priced to cover their cost. Euros, net of VAT. Revenue is what the year's final invoices "
    "and credit notes billed for each service, before the settlement.",
    "Summary by service area",
    "Revenue",
    "Revenue from chargeable services",
    "Costs",
    "Direct costs",
    {"Materials, supplies and goods", "Personnel", "Rents", "Purchased services", "Other direct costs",
     "Support functions", "Depreciation", "Imputed interest", "Other common costs"},
    "Direct costs total",
    "Share of common costs",
    "Common costs total",
    "Total costs",
    "Surplus (+) / deficit (−)",
    "Cost coverage, %",
    "Settlement with the agencies",
    "Result after the settlement",
    "Decision",
    "settled",
    "carried forward",
    "Total",
    "{} total",
    {"Financial administration", "HR administration", "Other services"},
    "Settlement: a surplus is credited (−) and a deficit charged (+) to each agency in proportion to what it was "
    "invoiced for the service. A difference carried forward goes into next year's prices.",
};

const Labels& labels_for(Language language) {
  switch (language) {
    case Language::sv:
      return kSwedish;
    case Language::en:
      return kEnglish;
    case Language::fi:
      break;
  }
  return kFinnish;
}

// What one column shows for one year: the sum of its services' rows (a MatchingRow, so
// the totals, surplus and coverage are costing's), and what the settlement settled.
struct Figures {
  costing::MatchingRow sum;
  Money settled;
  std::optional<costing::SettlementDecision> decision;  // a single service's only
  [[nodiscard]] Money result() const { return sum.surplus() + settled; }
};

void add(Figures& figures, const costing::MatchingRow& row) {
  figures.sum.revenue += row.revenue;
  for (std::size_t i = 0; i < figures.sum.cost.size(); ++i) figures.sum.cost[i] += row.cost[i];
}

// The figures of `services` in a year (all services: the TOTAL row); nothing when the year
// has none of them.
std::optional<Figures> figures_of(const MatchingYear& year, const std::vector<std::string>& services, bool total) {
  Figures out;
  bool any = false;
  for (const auto& row : year.rows) {
    const bool is_total = row.service == costing::kTotalRow;
    if (total != is_total) continue;
    if (!total && std::find(services.begin(), services.end(), row.service) == services.end()) continue;
    add(out, row);
    any = true;
  }
  if (!any) return std::nullopt;
  for (const auto& [service, amount] : year.settled) {
    if (total || std::find(services.begin(), services.end(), service) != services.end()) out.settled += amount;
  }
  if (!total && services.size() == 1) {
    if (const auto found = year.decisions.find(services.front()); found != year.decisions.end()) {
      out.decision = found->second;
    }
  }
  return out;
}

struct Column {
  std::string heading;
  std::optional<Figures> current;
  std::optional<Figures> previous;
};

Column column(std::string heading, const MatchingReport& report, const std::vector<std::string>& services, bool total) {
  Column out{std::move(heading), figures_of(report.current, services, total), std::nullopt};
  if (report.previous) out.previous = figures_of(*report.previous, services, total);
  return out;
}

// The services of each area in catalog order; services the matching has and the catalog
// lacks go with "other".
std::array<std::vector<std::string>, 3> services_by_area(const model::Catalog& catalog, const MatchingReport& report) {
  std::array<std::vector<std::string>, 3> out;
  std::vector<std::string> seen;
  for (const auto& service : catalog.services) {
    const bool in_report = std::any_of(report.current.rows.begin(), report.current.rows.end(),
                                       [&](const auto& row) { return row.service == service.id; });
    if (!in_report) continue;
    out[static_cast<std::size_t>(service.area)].push_back(service.id);
    seen.push_back(service.id);
  }
  for (const auto& row : report.current.rows) {
    if (row.service == costing::kTotalRow) continue;
    if (std::find(seen.begin(), seen.end(), row.service) == seen.end()) out[2].push_back(row.service);
  }
  return out;
}

std::string service_name(const model::Catalog& catalog, const std::string& id, const Labels& labels) {
  const model::Service* service = catalog.find(id);
  return service == nullptr ? id : service->name_in(labels.lang);
}

std::string amount_cell(const std::optional<Figures>& figures, const std::function<Money(const Figures&)>& value,
                        Language language) {
  if (!figures) return "<td class=\"n\"></td>";
  const Money amount = value(*figures);
  return fmt::format("<td class=\"n{}\">{}</td>", amount < Money() ? " neg" : "", format_money(amount, language));
}

// One body row: its label and a cell per column and year.
using CellText = std::function<std::string(const std::optional<Figures>&)>;

std::string body_row(const std::string& css, const std::string& label, const std::vector<Column>& columns,
                     bool two_years, const CellText& cell) {
  std::string out = css.empty() ? "<tr>" : "<tr class=\"" + css + "\">";
  out += "<th scope=\"row\">" + html_escape(label) + "</th>";
  for (const auto& col : columns) {
    out += cell(col.current);
    if (two_years) out += cell(col.previous);
  }
  return out + "</tr>\n";
}

std::string heading_row(const std::string& label, std::size_t cells) {
  return fmt::format("<tr class=\"heading\"><th scope=\"row\">{}</th><td colspan=\"{}\"></td></tr>\n",
                     html_escape(label), cells);
}

std::string table(const std::string& caption, const std::vector<Column>& columns, const MatchingReport& report) {
  const Labels& labels = labels_for(report.language);
  const Language language = report.language;
  const bool two_years = report.previous.has_value();
  const std::size_t cells = columns.size() * (two_years ? 2 : 1);
  std::string out =
      "<section>\n<table>\n<caption>" + html_escape(caption) + "</caption>\n<colgroup><col class=\"label\">";
  for (std::size_t i = 0; i < cells; ++i) out += "<col>";
  out += "</colgroup>\n<thead>\n<tr><th></th>";
  for (const auto& col : columns) {
    out += fmt::format("<th class=\"n\"{}>{}</th>", two_years ? " colspan=\"2\"" : "", html_escape(col.heading));
  }
  out += "</tr>\n";
  if (two_years) {
    out += "<tr class=\"years\"><th></th>";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      out +=
          fmt::format(R"(<th class="n">{}</th><th class="n prev">{}</th>)", report.current.year, report.previous->year);
    }
    out += "</tr>\n";
  }
  out += "</thead>\n<tbody>\n";
  const auto money_row = [&](const std::string& css, const char* label, std::function<Money(const Figures&)> value) {
    out += body_row(css, label, columns, two_years,
                    [&](const std::optional<Figures>& f) { return amount_cell(f, value, language); });
  };
  out += heading_row(labels.revenue, cells);
  money_row("", labels.revenue_row, [](const Figures& f) { return f.sum.revenue; });
  out += heading_row(labels.costs, cells);
  out += heading_row(labels.direct, cells);
  for (const auto c : kDirect) {
    money_row("item", labels.category[costing::index_of(c)], [c](const Figures& f) { return f.sum[c]; });
  }
  money_row("subtotal", labels.direct_total, [](const Figures& f) { return f.sum.direct_total(); });
  out += heading_row(labels.common, cells);
  for (const auto c : kCommon) {
    money_row("item", labels.category[costing::index_of(c)], [c](const Figures& f) { return f.sum[c]; });
  }
  money_row("subtotal", labels.common_total, [](const Figures& f) { return f.sum.common_total(); });
  money_row("total", labels.total_cost, [](const Figures& f) { return f.sum.total_cost(); });
  money_row("result", labels.surplus, [](const Figures& f) { return f.sum.surplus(); });
  out += body_row("", labels.coverage, columns, two_years, [&](const std::optional<Figures>& f) {
    const auto percent = f ? f->sum.coverage_percent() : std::nullopt;
    return "<td class=\"n\">" + (percent ? format_percent(*percent, language) : std::string()) + "</td>";
  });
  money_row("", labels.settled, [](const Figures& f) { return f.settled; });
  money_row("result", labels.result, [](const Figures& f) { return f.result(); });
  const bool any_decision = std::any_of(columns.begin(), columns.end(), [](const Column& c) {
    return (c.current && c.current->decision) || (c.previous && c.previous->decision);
  });
  if (any_decision) {
    out += body_row("", labels.decision, columns, two_years, [&](const std::optional<Figures>& f) {
      if (!f || !f->decision) return std::string("<td class=\"n\"></td>");
      return std::string("<td class=\"n\">") +
             (*f->decision == costing::SettlementDecision::settle ? labels.decision_settle : labels.decision_carry) +
             "</td>";
    });
  }
  out += "</tbody>\n</table>\n</section>\n";
  return out;
}

constexpr const char* kStyle = R"(<style>
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "DejaVu Sans Condensed", "Arial Narrow", sans-serif; font-size: 8pt; color: #111; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 1mm; }
p.provider { margin: 0 0 1mm; font-weight: bold; }
p.note { margin: 0 0 3mm; max-width: 200mm; }
section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 5mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
caption { text-align: left; font-weight: bold; font-size: 9.5pt; padding: 1mm 0; }
col.label { width: 50mm; }
th, td { padding: 0.5mm 1mm; border-bottom: 0.2mm solid #ccc; vertical-align: bottom; }
thead th { font-weight: bold; border-bottom: 0.4mm solid #111; overflow-wrap: anywhere; hyphens: auto; }
tbody th { text-align: left; font-weight: normal; }
.n { text-align: right; white-space: nowrap; }
th.prev, tr.years th.prev { color: #555; }
tr.heading th { font-weight: bold; padding-top: 1.5mm; }
tr.item th { padding-left: 4mm; }
tr.subtotal th, tr.subtotal td { font-weight: bold; }
tr.total th, tr.total td, tr.result th, tr.result td { font-weight: bold; border-top: 0.4mm solid #111; }
td.neg { color: #a00; }
p.notes { margin-top: 2mm; max-width: 200mm; }
</style>
)";

}  // namespace

MatchingYear matching_year(int year, std::vector<costing::MatchingRow> rows,
                           const std::vector<costing::SettlementPlan>& plans) {
  MatchingYear out;
  out.year = year;
  out.rows = std::move(rows);
  for (const auto& plan : plans) {
    out.settled[plan.service] += plan.settled();
    out.decisions[plan.service] = plan.decision;
  }
  return out;
}

std::string matching_report_html(const model::Catalog& catalog, const MatchingReport& report) {
  const Labels& labels = labels_for(report.language);
  const std::string title = fmt::format(fmt::runtime(labels.title), report.current.year);
  std::string out =
      fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n",
                  labels.lang, html_escape(title));
  out += kStyle;
  out += "</head>\n<body>\n";
  out += "<h1>" + html_escape(title) + "</h1>\n";
  out += "<p class=\"provider\">" + html_escape(catalog.provider.name) + "</p>\n";
  out += "<p class=\"note\">" + html_escape(labels.unit_note) + "</p>\n";
  const auto areas = services_by_area(catalog, report);
  std::vector<Column> summary;
  for (std::size_t a = 0; a < kAreas.size(); ++a) {
    if (!areas[a].empty()) summary.push_back(column(labels.area[a], report, areas[a], false));
  }
  summary.push_back(column(labels.total, report, {}, true));
  out += table(labels.summary, summary, report);
  for (std::size_t a = 0; a < kAreas.size(); ++a) {
    if (areas[a].empty()) continue;
    std::vector<Column> columns;
    for (const auto& service : areas[a]) {
      columns.push_back(column(service_name(catalog, service, labels), report, {service}, false));
    }
    columns.push_back(column(fmt::format(fmt::runtime(labels.area_total), labels.area[a]), report, areas[a], false));
    // At most kColumnsTwoYears (or kColumnsOneYear) columns to a table, so that every
    // amount fits its cell on A4 landscape: a larger area continues in a second table.
    const std::size_t per_table = report.previous ? kColumnsTwoYears : kColumnsOneYear;
    const std::size_t parts = (columns.size() + per_table - 1) / per_table;
    for (std::size_t part = 0; part < parts; ++part) {
      const auto first = columns.begin() + static_cast<std::ptrdiff_t>(part * per_table);
      const auto last = columns.begin() + static_cast<std::ptrdiff_t>(std::min(columns.size(), (part + 1) * per_table));
      const std::string caption =
          parts == 1 ? std::string(labels.area[a]) : fmt::format("{} ({}/{})", labels.area[a], part + 1, parts);
      out += table(caption, std::vector<Column>(first, last), report);
    }
  }
  out += "<p class=\"notes\">" + html_escape(labels.notes) + "</p>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace costcover::render
