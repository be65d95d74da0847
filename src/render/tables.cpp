#include "render/tables.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "core/decimal.hpp"

namespace costcover::render {

// --- Invoicing ---------------------------------------------------------------------------

namespace {

std::string readiness_warning(const invoice::BillingSummary& summary) {
  return fmt::format(
      "NOT READY: {} agency/service/day key(s) not yet counted by the nightly job, {} unresolved "
      "rejected row(s) for the month{}\n",
      summary.readiness.uncounted_days, summary.readiness.unresolved_rejects,
      summary.force     ? " (--force: drafts written anyway)"
      : summary.dry_run ? " (bill would refuse without --force)"
                        : " (drafts refused; run `costcover nightly`, resolve the rejects, or "
                          "use --force)");
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
    out += fmt::format("  {}  {:<8} {:<3} {:>14}  due {}\n", invoice.number, invoice.agency, to_string(invoice.group),
                       invoice.gross.to_display(), format_date(invoice.due_date));
  }
  return out;
}

// --- Costing -----------------------------------------------------------------------------

}  // namespace costcover::render
