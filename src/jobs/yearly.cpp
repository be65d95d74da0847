#include "jobs/yearly.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "invoice/header.hpp"
#include "invoice/invoice.hpp"
#include "jobs/files.hpp"
#include "model/cost_model_names.hpp"
#include "render/costing_csv.hpp"
#include "render/matching_html.hpp"
#include "store/contracts.hpp"
#include "store/invoices.hpp"
#include "store/ledger.hpp"

namespace costcover::jobs {
namespace {

namespace fs = std::filesystem;

std::string year_periods_sql() { return "i.period BETWEEN $1 || '-01' AND $1 || '-12'"; }

// The current ledger of the year: its load and its totals, which must sum to the load's.
StoredLedger read_ledger(soci::session& session, int year) {
  auto load = store::current_ledger_load(session, year);
  if (!load) {
    throw InputError(fmt::format(
        "no cost ledger of {} in the database: run `costcover costs import --year {} FILE.csv`", year, year));
  }
  StoredLedger ledger{std::move(*load), store::ledger_totals(session, year)};
  Money sum;
  for (const auto& total : ledger.totals) sum += total.amount;
  if (sum != ledger.load.total) {
    throw InvariantError(fmt::format("the ledger of {} sums to {} but its load {} recorded {}", year, sum.to_string(),
                                     ledger.load.id, ledger.load.total.to_string()));
  }
  return ledger;
}

}  // namespace

const model::CostModel& require_cost_model(const model::ContractSet& contracts, int year) {
  const model::CostModel* model = contracts.cost_model(year);
  if (model == nullptr) {
    throw InputError(
        fmt::format("no cost model for {} in the database: add contracts/costs/{}.yaml and run "
                    "`costcover contracts load`",
                    year, year));
  }
  return *model;
}

YearInputs read_year_inputs(soci::session& session, int year) {
  YearInputs in;
  in.contracts = store::load_stored_contracts(session);
  in.model = &require_cost_model(in.contracts, year);
  in.ledger = read_ledger(session, year);
  in.model_sha256 = store::contract_file_hash(session, in.model->source_file);
  costing::AllocationOptions options;
  for (const auto& service : in.contracts.catalog.services) options.service_order.push_back(service.id);
  in.allocation = costing::allocate_costs(*in.model, in.ledger.totals, options);
  return in;
}

std::string inputs_json(const YearInputs& in) {
  const store::LedgerLoad& load = in.ledger.load;
  return fmt::format(
      R"({{"ledger_load":{},"ledger_file":{},"ledger_sha256":"{}","ledger_total":"{}","cost_model":{},"cost_model_sha256":"{}"}})",
      load.id, db::json_string(load.file_name), load.file_hash, load.total.to_string(),
      db::json_string(in.model->source_file), in.model_sha256);
}

// ---- settlement --------------------------------------------------------------------------

SettleReport run_settle(soci::session& session, const SettleOptions& options) {
  SettleReport report;
  const std::string year = std::to_string(options.year);
  const std::string price_source = "settlement " + year;
  // Settlement drafts are drafts like billing's: the billing lock keeps `bill` and
  // `settle` from replacing drafts at the same time.
  // The finalize lock keeps a finalisation from turning its drafts final between reading
  // what is already settled and replacing the drafts.
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
    const model::Catalog& catalog = in.contracts.catalog;

    // Revenue: final invoice lines of the year's periods (credit notes included, negative),
    // per service and agency; settlement lines are not revenue of the year being settled.
    const auto invoiced =
        db::query(session,
                  "SELECT coalesce(l.service, ''), i.agency, CAST(sum(l.amount) AS text) FROM invoice i "
                  "JOIN invoice_line l ON l.invoice_id = i.id WHERE i.status = 'final' AND " +
                      year_periods_sql() + " AND l.kind <> 'settlement' GROUP BY 1, 2 ORDER BY 1, 2",
                  {year});
    std::map<std::string, std::vector<std::pair<std::string, Money>>> by_service;
    std::vector<std::pair<std::string, Money>> revenue;
    for (std::size_t r = 0; r < invoiced.size(); ++r) {
      const Money amount = Money::parse(invoiced.text(r, 2));
      if (invoiced.text(r, 0).empty()) {
        report.other_revenue += amount;
        continue;
      }
      by_service[invoiced.text(r, 0)].emplace_back(invoiced.text(r, 1), amount);
      revenue.emplace_back(invoiced.text(r, 0), amount);
    }
    report.matching = costing::matching_rows(in.allocation, revenue);
    for (const auto& row : report.matching) {
      if (row.service == costing::kTotalRow) continue;
      report.plans.push_back(costing::plan_settlement(*in.model, row, by_service[row.service]));
    }

    const fs::path dir(options.out_dir);
    write_file_atomically(dir / "matching.csv", render::matching_csv(report.matching));
    write_file_atomically(dir / "matching.html", render::matching_html(options.year, catalog, report.matching,
                                                                       report.plans, report.other_revenue));
    report.files = {(dir / "matching.csv").string(), (dir / "matching.html").string()};

    // Is the year complete? Drafts would still change its revenue; a month without a final
    // invoice means billing has not finished.
    const auto drafts = db::query(
        session,
        "SELECT i.agency || ' ' || i.period FROM invoice i WHERE i.status = 'draft' AND " + year_periods_sql() +
            " AND NOT EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id = i.id AND l.kind = 'settlement' "
            "AND l.price_source = $2) ORDER BY i.period, i.agency",
        {year, price_source});
    const auto missing = db::query(
        session,
        "SELECT $1 || '-' || lpad(m::text, 2, '0') FROM generate_series(1, 12) m WHERE NOT EXISTS (SELECT 1 FROM "
        "invoice i WHERE i.status = 'final' AND i.period = $1 || '-' || lpad(m::text, 2, '0')) ORDER BY m",
        {year});
    if (!drafts.empty()) {
      report.blocked = true;
      report.blocked_reason = fmt::format(
          "{} draft invoice(s) of {} are not final (first: {}); finalize or re-bill "
          "them before settling",
          drafts.size(), year, drafts.text(0, 0));
    } else if (!missing.empty() && !options.force) {
      std::string months;
      for (std::size_t r = 0; r < missing.size(); ++r) months += (r > 0 ? ", " : "") + missing.text(r, 0);
      report.blocked = true;
      report.blocked_reason = fmt::format(
          "the year {} is not fully invoiced: no final invoice for {}; settle after "
          "the year's last finalisation (or --force)",
          year, months);
    }
    if (report.blocked) throw InputError(report.blocked_reason + "; " + dir.string() + "/matching.csv written");

    // Settlement lines wanted per (agency, service), minus what final settlement invoices
    // of the year already hold: re-running after a finalised settlement adds only the change.
    std::map<std::pair<std::string, std::string>, Money> wanted;
    for (const auto& plan : report.plans) {
      for (const auto& line : plan.lines) wanted[{line.agency, plan.service}] += line.amount;
    }
    const auto finals = db::query(session,
                                  "SELECT i.agency, l.service, CAST(sum(l.amount) AS text) FROM invoice i JOIN "
                                  "invoice_line l ON l.invoice_id = i.id WHERE i.status = 'final' AND l.kind = "
                                  "'settlement' AND l.price_source = $1 GROUP BY 1, 2 ORDER BY 1, 2",
                                  {price_source});
    std::map<std::pair<std::string, std::string>, Money> already;
    for (std::size_t r = 0; r < finals.size(); ++r) {
      already[{finals.text(r, 0), finals.text(r, 1)}] = Money::parse(finals.text(r, 2));
      wanted.try_emplace({finals.text(r, 0), finals.text(r, 1)}, Money());
    }
    std::map<std::string, const costing::SettlementPlan*> plan_of;
    for (const auto& plan : report.plans) plan_of[plan.service] = &plan;

    // One draft per agency (and VAT group), lines in catalog order.
    std::map<std::string, std::vector<std::pair<int, invoice::Line>>> lines_of;
    const DateRange whole_year{Date(static_cast<unsigned short>(options.year), 1, 1),
                               Date(static_cast<unsigned short>(options.year), 12, 31)};
    for (const auto& [key, amount] : wanted) {
      const auto& [agency, service] = key;
      const Money change = amount - (already.count(key) > 0 ? already[key] : Money());
      if (change == Money()) continue;
      const model::Service* svc = catalog.find(service);
      if (svc == nullptr) throw InvariantError("settlement for service " + service + " which the catalog lacks");
      const auto* plan = plan_of.count(service) > 0 ? plan_of[service] : nullptr;
      Money invoiced_by_agency;
      for (const auto& [a, m] : by_service[service]) {
        if (a == agency) invoiced_by_agency += m;
      }
      invoice::Line line;
      line.kind = "settlement";
      line.service = service;
      if (plan != nullptr && plan->decision == costing::SettlementDecision::settle) {
        line.description = fmt::format("{}: settlement of {}, {} {} {} in proportion to {} invoiced of {}{}",
                                       svc->name_in("en"), year, plan->surplus > Money() ? "surplus" : "deficit",
                                       (plan->surplus > Money() ? plan->surplus : -plan->surplus).to_display(),
                                       plan->surplus > Money() ? "returned" : "charged",
                                       invoiced_by_agency.to_display(), plan->revenue.to_display(),
                                       already.count(key) > 0 ? " (change to the settlement already invoiced)" : "");
      } else {
        line.description = fmt::format("{}: settlement of {} reversed (the difference is now carried forward)",
                                       svc->name_in("en"), year);
      }
      line.quantity = 1;
      line.unit_price = Decimal::from_money(change);
      line.exact_amount = Decimal::from_money(change);
      line.amount = change;
      line.vat = svc->vat;
      line.price_source = price_source;
      line.days = whole_year;
      lines_of[agency].emplace_back(catalog.order_of(service), std::move(line));
    }
    std::vector<invoice::Invoice> invoices;
    for (auto& [agency, lines] : lines_of) {
      std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<model::Agreement> versions;
      for (const auto& agreement : in.contracts.agreements) {
        if (agreement.client == agency) versions.push_back(agreement);
      }
      const invoice::InvoiceHeader header = invoice::header_for(agency, Month(options.year, 12), versions, whole_year);
      std::vector<invoice::Line> plain;
      for (auto& [order, line] : lines) {
        line.agreement_id = header.agreement_id;
        line.agreement_version = header.agreement_version;
        plain.push_back(std::move(line));
      }
      for (auto& invoice : invoice::assemble_invoices(header, invoice::InvoiceKind::invoice, plain)) {
        invoice::check_invoice(invoice, "settlement draft of " + agency);
        report.lines += static_cast<int>(invoice.lines.size());
        report.drafted += invoice.net;
        invoices.push_back(std::move(invoice));
      }
    }
    report.invoices = static_cast<int>(invoices.size());

    run.step("replacing the settlement drafts");
    {
      report.replaced_drafts = static_cast<int>(db::exec(
          session,
          "DELETE FROM invoice i WHERE i.status = 'draft' AND i.kind = 'invoice' AND i.period = $1 || '-12' AND "
          "EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id = i.id AND l.kind = 'settlement' AND "
          "l.price_source = $2)",
          {year, price_source}));
      if (!invoices.empty()) (void)store::insert_invoices(session, invoices, run.run_id());
      db::exec(session, "DELETE FROM cost_settlement WHERE year = $1::int", {year});
      for (const auto& plan : report.plans) {
        if (catalog.find(plan.service) == nullptr) continue;
        const Money settled = plan.settled();
        db::exec(
            session,
            "INSERT INTO cost_settlement (year, service, job_run_id, ledger_load_id, revenue, total_cost, surplus, "
            "threshold, decision, reason, settled) VALUES ($1::int, $2, $3::bigint, $4::bigint, $5::numeric, "
            "$6::numeric, $7::numeric, $8::numeric, $9, $10, $11::numeric)",
            {year, plan.service, std::to_string(run.run_id()), std::to_string(in.ledger.load.id),
             plan.revenue.to_string(), plan.total_cost.to_string(), plan.surplus.to_string(),
             plan.threshold.to_string(), costing::to_string(plan.decision), plan.reason, settled.to_string()});
      }
      // After settlement, revenue + settlement lines - cost is zero for every settled service.
      const auto after = db::query(session,
                                   "SELECT l.service, CAST(sum(l.amount) AS text) FROM invoice i JOIN invoice_line l "
                                   "ON l.invoice_id = i.id WHERE l.kind = 'settlement' AND l.price_source = $1 "
                                   "GROUP BY 1",
                                   {price_source});
      std::map<std::string, Money> lines_sum;
      for (std::size_t r = 0; r < after.size(); ++r) lines_sum[after.text(r, 0)] = Money::parse(after.text(r, 1));
      for (const auto& plan : report.plans) {
        const Money settled = lines_sum.count(plan.service) > 0 ? lines_sum[plan.service] : Money();
        const Money expected = plan.decision == costing::SettlementDecision::settle ? -plan.surplus : Money();
        if (settled != expected) {
          throw InvariantError(fmt::format(
              "{} {}: settlement lines sum to {} but the difference to settle is {} "
              "(remainder {})",
              plan.service, year, settled.to_string(), expected.to_string(), (expected - settled).to_string()));
        }
      }
    }
    run.count("services", static_cast<std::int64_t>(report.plans.size()));
    run.count("settled",
              static_cast<std::int64_t>(std::count_if(report.plans.begin(), report.plans.end(), [](const auto& p) {
                return p.decision == costing::SettlementDecision::settle;
              })));
    run.count("invoices", report.invoices);
    run.count("lines", report.lines);
    run.count("replaced_drafts", report.replaced_drafts);
    run.set_message(fmt::format("{} settlement draft(s), {} line(s), net {}", report.invoices, report.lines,
                                report.drafted.to_string()));
  });
  return report;
}

}  // namespace costcover::jobs
