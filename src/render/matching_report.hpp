// The published cost-revenue matching calculation (kustannusvastaavuuslaskelma) as HTML
// (pure), in the shape state agencies publish it: revenue and each cost item as rows, the
// services as columns, this year beside the previous year where there is one, then the
// surplus or deficit, the coverage %, the settlement with the agencies and the result
// after it. In the agency-facing languages (fi by default, sv, en), amounts as the
// language writes them, laid out for A4 landscape in print:
//   - a summary table: one column per service area (finance, hr, other) and the total;
//   - one table per area: its services (catalog order) and the area's total, continued in
//     a second table when the area has more than four columns (seven with one year). No clock:
// the same values always give the same bytes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "costing/matching.hpp"
#include "costing/settlement.hpp"
#include "model/model.hpp"
#include "render/locale.hpp"

namespace costcover::render {

// One year of the calculation.
struct MatchingYear {
  int year = 0;
  std::vector<costing::MatchingRow> rows;  // costing::matching_rows: the services, then TOTAL
  std::map<std::string, Money> settled;    // service -> settled with the agencies (+ charged, − credited)
  std::map<std::string, costing::SettlementDecision> decisions;  // service -> decision, where one was taken
};

struct MatchingReport {
  Language language = Language::fi;
  MatchingYear current;
  std::optional<MatchingYear> previous;  // the year before, when the database has it
};

[[nodiscard]] std::string matching_report_html(const model::Catalog& catalog, const MatchingReport& report);

// The year's settled amounts and decisions from its plans (jobs use it for the current year).
[[nodiscard]] MatchingYear matching_year(int year, std::vector<costing::MatchingRow> rows,
                                         const std::vector<costing::SettlementPlan>& plans);

}  // namespace costcover::render
