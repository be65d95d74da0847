#include "jobs/settle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/errors.hpp"
#include "invoice/header.hpp"
#include "invoice/settlement.hpp"
#include "jobs/files.hpp"
#include "jobs/yearly.hpp"
#include "model/line_kind.hpp"
#include "render/costing_csv.hpp"
#include "render/matching_report.hpp"
#include "store/costing.hpp"
#include "store/invoices.hpp"
#include "store/ledger.hpp"

namespace costcover::jobs {
namespace {

namespace fs = std::filesystem;

invoice::Line invoice_line(int year, const costing::SettlementInvoiceLine& settlement) {
  invoice::Line line;
  line.kind = model::LineKind::settlement;
  line.service = settlement.service;
  line.description = settlement.description;
  line.quantity = 1;
  line.unit_price = Decimal::from_money(settlement.amount);
  line.exact_amount = Decimal::from_money(settlement.amount);
  line.amount = settlement.amount;
  line.vat = settlement.vat;
  line.price_source = costing::settlement_price_source(year);
  line.days = costing::settlement_days(year);
  return line;
}

// The agency's settlement drafts from its lines (in order).
std::vector<invoice::Invoice> agency_invoices(int year, const std::string& agency, std::vector<invoice::Line> lines,
                                              const std::vector<model::Agreement>& agreements,
                                              const std::string& language) {
  std::vector<model::Agreement> versions;
  for (const auto& agreement : agreements) {
    if (agreement.client == agency) versions.push_back(agreement);
  }
  const invoice::InvoiceHeader header =
      invoice::header_for(agency, Month(year, 12), versions, costing::settlement_days(year));
  for (auto& line : lines) {
    line.agreement_id = header.agreement_id;
    line.agreement_version = header.agreement_version;
  }
  return invoice::settlement_documents(header, year, lines, language);
}

// The matching calculation, its TOTAL revenue checked against the year's final invoice
// lines, and one plan per service.
void match(soci::session& session, int year, const YearInputs& in, const costing::YearRevenue& revenue,
           SettleReport& report) {
  report.matching = costing::matching_rows(in.allocation, revenue.by_service);
  costing::check_matching_revenue(year, report.matching, store::final_revenue_total(session, year));
  report.plans = costing::plan_settlements(*in.model, report.matching, revenue);
}

// The year before, for the published calculation, when the database has all of it: its
// cost model, its ledger and final invoices whose every line names a service (years
// billed before fees named their service are left out). Its settlement is what its final
// settlement lines settled.
std::optional<render::MatchingYear> previous_year(soci::session& session, int year,
                                                  const model::ContractSet& contracts) {
  const int previous = year - 1;
  if (contracts.cost_model(previous) == nullptr) return std::nullopt;
  if (!store::current_ledger_load(session, previous, costing::CostBasis::ledger)) return std::nullopt;
  const auto invoiced = store::settlement_revenue(session, previous);
  const bool placed = std::all_of(invoiced.begin(), invoiced.end(), [](const auto& e) { return !e.service.empty(); });
  if (invoiced.empty() || !placed) return std::nullopt;
  const YearInputs in = read_year_inputs(session, previous);
  render::MatchingYear out;
  out.year = previous;
  out.rows = costing::matching_rows(in.allocation, costing::year_revenue(invoiced).by_service);
  for (const auto& settled : store::final_settlement_amounts(session, previous)) {
    out.settled[settled.service] += settled.amount;
  }
  return out;
}

void write_matching_files(soci::session& session, const SettleOptions& options, const model::ContractSet& contracts,
                          SettleReport& report) {
  const fs::path dir = options.out_dir;
  write_file_atomically(dir / "matching.csv", render::matching_csv(report.matching));
  render::MatchingReport published;
  published.language = options.language;
  published.current = render::matching_year(options.year, report.matching, report.plans);
  published.previous = previous_year(session, options.year, contracts);
  write_file_atomically(dir / "matching.html", render::matching_report_html(contracts.catalog, published));
  report.files = {(dir / "matching.csv").string(), (dir / "matching.html").string()};
}

// Drafts of the year would still change its revenue; a month without a final invoice
// means billing has not finished. The matching files stay written for review.
void refuse_unless_complete(soci::session& session, const SettleOptions& options) {
  const auto blocker =
      costing::settlement_blocker(options.year, store::settlement_blocking_drafts(session, options.year),
                                  store::months_without_final_invoice(session, options.year), options.force);
  if (blocker) throw InputError(*blocker + "; " + fs::path(options.out_dir).string() + "/matching.csv written");
}

// The plans that cost_settlement can hold (it references the catalog's services).
std::vector<costing::SettlementPlan> recordable(const std::vector<costing::SettlementPlan>& plans,
                                                const model::Catalog& catalog) {
  std::vector<costing::SettlementPlan> out;
  std::copy_if(plans.begin(), plans.end(), std::back_inserter(out),
               [&](const auto& plan) { return catalog.find(plan.service) != nullptr; });
  return out;
}

// Settle's earlier drafts out, the new ones and the decisions in; then every service's
// settlement lines must sum to what its plan settles.
void replace_settlement(soci::session& session, const db::Job& run, const YearInputs& in, int year,
                        const std::vector<invoice::Invoice>& invoices, SettleReport& report) {
  report.replaced_drafts = store::delete_settlement_drafts(session, year);
  if (!invoices.empty()) (void)store::insert_invoices(session, invoices, run.run_id());
  store::replace_cost_settlement(session, year, run.run_id(), in.ledger.load.id,
                                 recordable(report.plans, in.contracts.catalog));
  costing::check_settlement_sums(year, report.plans, store::settlement_sums(session, year));
  report.result = costing::centre_result(year, report.matching, report.plans);
  const auto recorded = store::recorded_result(session, year);
  if (!recorded || *recorded != report.result) {
    throw InvariantError(fmt::format("{}: cost_settlement records a result of {} but the settlement's is {}", year,
                                     recorded ? recorded->result().to_string() : std::string("nothing"),
                                     report.result.result().to_string()));
  }
}

void count(db::Job& run, const SettleReport& report) {
  run.count("services", static_cast<std::int64_t>(report.plans.size()));
  run.count("settled", std::count_if(report.plans.begin(), report.plans.end(),
                                     [](const auto& p) { return p.decision == costing::SettlementDecision::settle; }));
  run.count("invoices", report.invoices);
  run.count("lines", report.lines);
  run.count("replaced_drafts", report.replaced_drafts);
  run.set_message(fmt::format("{} settlement draft(s), {} line(s), net {}; the centre's result {}", report.invoices,
                              report.lines, report.drafted.to_string(), report.result.result().to_string()));
}

}  // namespace

std::vector<invoice::Invoice> settlement_invoices(int year, const std::vector<costing::SettlementInvoiceLine>& lines,
                                                  const std::vector<model::Agreement>& agreements,
                                                  const std::vector<model::Agency>& agencies) {
  std::map<std::string, std::vector<invoice::Line>> by_agency;
  for (const auto& line : lines) by_agency[line.agency].push_back(invoice_line(year, line));
  std::vector<invoice::Invoice> invoices;
  for (auto& [agency, agency_lines] : by_agency) {
    for (auto& invoice :
         agency_invoices(year, agency, std::move(agency_lines), agreements, model::language_of(agencies, agency))) {
      invoices.push_back(std::move(invoice));
    }
  }
  return invoices;
}

SettleReport run_settle(soci::session& session, const SettleOptions& options) {
  SettleReport report;
  // Settlement drafts are drafts like billing's, and settle reads what finalisation made
  // final: the invoices lock keeps bill, finalize and settle apart.
  db::JobSpec spec("settle", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = SettleReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    // The ledger must not change under the matching: a `costs import` of the year waits.
    const db::JobLock costs(session, db::kCostsLock, true, spec.notice);
    run.step("reading the ledger, the cost model and the contracts");
    const YearInputs in = read_year_inputs(session, options.year);
    run.set_inputs(inputs_json(in));
    const costing::YearRevenue revenue = costing::year_revenue(store::settlement_revenue(session, options.year));
    match(session, options.year, in, revenue, report);
    write_matching_files(session, options, in.contracts, report);
    refuse_unless_complete(session, options);

    const auto lines =
        costing::settlement_lines(options.year, in.contracts.catalog, report.plans, revenue,
                                  store::final_settlement_amounts(session, options.year), in.contracts.agencies);
    const auto invoices = settlement_invoices(options.year, lines, in.contracts.agreements, in.contracts.agencies);
    report.invoices = static_cast<int>(invoices.size());
    for (const auto& invoice : invoices) {
      report.lines += static_cast<int>(invoice.lines.size());
      report.drafted += invoice.net;
    }
    run.step("replacing the settlement drafts");
    replace_settlement(session, run, in, options.year, invoices, report);
    count(run, report);
  });
  return report;
}

}  // namespace costcover::jobs
