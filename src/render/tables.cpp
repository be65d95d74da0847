#include "render/tables.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdlib>

#include "core/decimal.hpp"
#include "core/utf8.hpp"

namespace costcover::render {
namespace {

enum class Align { left, right };

// `text` filled with spaces to `width` characters.
std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::size_t length = display_width(text);
  if (length >= width) return text;
  const std::string fill(width - length, ' ');
  return align == Align::right ? fill + text : text + fill;
}

std::string left(const std::string& text, std::size_t width) { return pad(text, width, Align::left); }
std::string right(const std::string& text, std::size_t width) { return pad(text, width, Align::right); }

}  // namespace

// --- Invoicing ---------------------------------------------------------------------------

namespace {

std::string readiness_warning(const invoice::BillingSummary& summary) {
  return fmt::format(
      "NOT READY: {} agency/service/day key(s) not yet counted by the nightly job, {} unresolved "
      "rejected row(s) for the month{}\n",
      summary.readiness.uncounted_days, summary.readiness.unresolved_rejects,
      summary.readiness.uncounted_days > 0
          ? (summary.dry_run ? " (bill would refuse: run `costcover nightly` first)"
                             : " (drafts refused: run `costcover nightly` first; --force does not override it)")
      : summary.force   ? " (--force: drafts written despite the rejects)"
      : summary.dry_run ? " (bill would refuse without --force)"
                        : " (drafts refused; see `costcover rejects list`, resolve them, or use --force)");
}

// "+12.50 (+3.4 %)", "-1.00", "new": the change from the previous month's net total.
std::string change_text(const invoice::AgencySummary& agency) {
  if (!agency.previous) return "new";
  const Money delta = agency.total - *agency.previous;
  std::string change = (delta > Money{} ? "+" : "") + delta.to_display();
  if (agency.previous->cents() != 0) {
    // Percent with one decimal, in integers: delta / previous * 1000, rounded.
    const Int128 per_mille = divide_round(Int128{delta.cents()} * 1000, Int128{agency.previous->cents()});
    const auto value = static_cast<long long>(per_mille);
    change += fmt::format(" ({}{}.{} %)", value < 0 ? "-" : (value > 0 ? "+" : ""), std::llabs(value) / 10,
                          std::llabs(value) % 10);
  }
  return change;
}

std::string agency_rows(const invoice::AgencySummary& agency) {
  if (!agency.skipped.empty()) return fmt::format("{:<10} skipped: {}\n", agency.agency, agency.skipped);
  std::string out = fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", agency.agency, agency.invoices,
                                agency.lines, agency.total.to_display(),
                                agency.previous ? agency.previous->to_display() : "-", change_text(agency));
  if (agency.corrections > 0)
    out += fmt::format("  {} correction line(s) of earlier final months\n", agency.corrections);
  for (const auto& finding : agency.findings) out += "  finding: " + finding + '\n';
  return out;
}

}  // namespace

std::string billing_table(const invoice::BillingSummary& summary) {
  std::string out = fmt::format("bill {}{}: {} agencies, {} invoice(s), {} line(s), net total {} EUR\n",
                                summary.period.to_string(), summary.dry_run ? " (dry run, nothing written)" : "",
                                summary.agencies.size(), summary.invoices, summary.lines, summary.total.to_display());
  if (!summary.readiness.ready()) out += readiness_warning(summary);
  out += fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", "agency", "invoices", "lines", "total",
                     "previous month", "change");
  for (const auto& agency : summary.agencies) out += agency_rows(agency);
  if (summary.written) {
    out += fmt::format("drafts written (job run {}, {} lineage rows)\n", summary.job_run_id, summary.lineage_rows);
  }
  return out;
}

std::string finalized_table(const std::vector<invoice::NumberedInvoice>& invoices) {
  std::string out;
  for (const auto& invoice : invoices) {
    out += fmt::format("  {}  {:<8} {:<3} {:>14}  {}\n", invoice.number, invoice.agency, to_string(invoice.group),
                       invoice.gross.to_display(),
                       invoice.due_date ? "due " + format_date(*invoice.due_date) : "credit note, no due date");
  }
  return out;
}

// ---- costing ------------------------------------------------------------------------------

namespace {

std::string settle_decision(const std::vector<costing::SettlementPlan>& plans, const std::string& service) {
  std::string decision;
  for (const auto& plan : plans) {
    if (plan.service != service) continue;
    decision = plan.decision == costing::SettlementDecision::settle
                   ? "settle " + plan.settled().to_display() + " (" + std::to_string(plan.lines.size()) + " agencies)"
                   : "carry forward";
  }
  return decision;
}

}  // namespace

std::string settle_table(const std::vector<costing::MatchingRow>& matching,
                         const std::vector<costing::SettlementPlan>& plans) {
  std::string out = fmt::format("{} {} {} {} {} {}\n", left("service", 17), right("revenue", 15),
                                right("total cost", 15), right("surplus", 14), right("coverage", 9), "decision");
  for (const auto& row : matching) {
    const auto coverage = row.coverage_percent();
    out += fmt::format("{} {} {} {} {} {}\n", left(row.service, 17), right(row.revenue.to_display(), 15),
                       right(row.total_cost().to_display(), 15), right(row.surplus().to_display(), 14),
                       right(coverage ? coverage->to_string(2) + " %" : "", 9), settle_decision(plans, row.service));
  }
  return out;
}

std::string centre_result_table(const costing::CentreResult& result) {
  std::string out = fmt::format("the centre's result after the settlement: revenue {} + settlement {} - cost {} = {}\n",
                                result.revenue.to_display(), result.settlement.to_display(),
                                result.total_cost.to_display(), result.result().to_display());
  if (result.carried_services == 0) {
    out += "  every difference settled: nothing is carried forward\n";
  } else {
    out += fmt::format("  carried forward into a later price list: {} over {} service(s)\n",
                       result.carried_forward.to_display(), result.carried_services);
  }
  return out;
}

std::string unit_costs_table(const std::vector<costing::UnitCostRow>& rows, const costing::PriceTable& proposed) {
  std::string out;
  for (const auto& row : rows) {
    std::string price;
    for (const auto& [service, p] : proposed) {
      if (service == row.service) price = p.to_string(4);
    }
    out += fmt::format("  {} total cost {}  volume {}  unit cost {}  price {}\n", left(row.service, 17),
                       right(row.total_cost.to_display(), 15),
                       right(row.forecast_volume ? std::to_string(*row.forecast_volume) : "", 9),
                       right(row.unit_cost ? row.unit_cost->to_string(4) : "", 9), right(price, 9));
  }
  return out;
}

std::string what_if_table(const std::vector<costing::WhatIfRow>& rows) {
  std::string out = fmt::format("{} {} {} {} {} {} {} {} {}\n", left("agency", 8), left("service", 17),
                                right("volume", 9), right("price now", 10), right("proposed", 10),
                                right("amount now", 14), right("proposed", 14), right("change", 13), right("%", 8));
  for (const auto& row : rows) {
    const bool total = row.service == costing::kTotalRow;
    const auto percent = row.change_percent();
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", left(total ? "" : row.agency, 8),
                       left(total ? row.agency + " total" : row.service, 17),
                       right(row.volume ? std::to_string(*row.volume) : "", 9),
                       right(row.current_price ? row.current_price->to_string(4) : "", 10),
                       right(row.proposed_price ? row.proposed_price->to_string(4) : "", 10),
                       right(row.current_amount.to_display(), 14), right(row.proposed_amount.to_display(), 14),
                       right(row.change().to_display(), 13), right(percent ? percent->to_string(2) : "", 8));
  }
  return out;
}

}  // namespace costcover::render
