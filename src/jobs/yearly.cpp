#include "jobs/yearly.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "invoice/header.hpp"
#include "invoice/invoice.hpp"
#include "jobs/costs_import.hpp"
#include "store/contracts.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << content;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string model_hash(soci::session& session, const model::CostModel& model) {
  const auto rows = db::query(session, "SELECT content_hash FROM contract_file WHERE path = $1", {model.source_file});
  return rows.empty() ? std::string() : rows.text(0, 0);
}

std::string method_name(model::AllocationMethod method) {
  switch (method) {
    case model::AllocationMethod::direct:
      return "direct";
    case model::AllocationMethod::step_down:
      return "step_down";
    case model::AllocationMethod::reciprocal:
      return "reciprocal";
  }
  return "direct";
}

struct YearInputs {
  model::ContractSet contracts;
  const model::CostModel* model = nullptr;
  StoredLedger ledger;
  std::string model_sha256;
  costing::Allocation allocation;
};

YearInputs read_inputs(soci::session& session, int year) {
  YearInputs in;
  in.contracts = store::load_stored_contracts(session);
  in.model = in.contracts.cost_model(year);
  if (in.model == nullptr) {
    throw InputError(
        fmt::format("no cost model for {} in the database: add contracts/costs/{}.yaml and run "
                    "`costcover contracts load`",
                    year, year));
  }
  in.ledger = load_stored_ledger(session, year);
  in.model_sha256 = model_hash(session, *in.model);
  costing::AllocationOptions options;
  for (const auto& service : in.contracts.catalog.services) options.service_order.push_back(service.id);
  in.allocation = costing::allocate_costs(*in.model, in.ledger.totals, options);
  return in;
}

std::string inputs_json(const YearInputs& in) {
  return fmt::format(
      R"({{"ledger_load":{},"ledger_file":{},"ledger_sha256":"{}","ledger_total":"{}","cost_model":{},"cost_model_sha256":"{}"}})",
      in.ledger.load_id, db::json_string(in.ledger.file_name), in.ledger.file_hash, in.ledger.total.to_string(),
      db::json_string(in.model->source_file), in.model_sha256);
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  // Width in code points, so names with ä and ö line up.
  std::size_t length = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++length;
  }
  if (length >= width) return text;
  const std::string fill(width - length, ' ');
  return right ? fill + text : text + fill;
}

std::string service_name(const model::Catalog& catalog, const std::string& id) {
  const model::Service* service = catalog.find(id);
  return service == nullptr ? id : service->name_in("en");
}

std::string year_periods_sql() { return "i.period BETWEEN $1 || '-01' AND $1 || '-12'"; }

// The agreement version whose terms head an agency's settlement invoice: the one in force
// on the year's last day, else the one whose validity ended last within the year.

}  // namespace

// ---- price proposal ---------------------------------------------------------------------

costing::PriceTable adjusted_prices(const std::vector<costing::UnitCostRow>& rows,
                                    const std::vector<CarriedDifference>& carried) {
  costing::PriceTable prices;
  for (const auto& row : rows) {
    if (!row.proposed_price || !row.forecast_volume || *row.forecast_volume <= 0) continue;
    Money surplus;
    for (const auto& c : carried) {
      if (c.service == row.service) surplus += c.surplus;
    }
    if (surplus == Money()) {
      prices.emplace_back(row.service, *row.proposed_price);
      continue;
    }
    const Money to_cover = row.total_cost - surplus;
    if (to_cover <= Money()) {
      prices.emplace_back(row.service, Decimal());
      continue;
    }
    const costing::Integer cents =
        costing::ceil_of(costing::Rational(costing::Integer(to_cover.cents()), costing::Integer(*row.forecast_volume)));
    prices.emplace_back(row.service, Decimal::from_units(costing::int64_of(cents) * 10'000));
  }
  return prices;
}

std::vector<costing::AgencyVolume> forecast_volumes(const model::ContractSet& contracts, int price_year) {
  const Date first(static_cast<unsigned short>(price_year), 1, 1);
  const Date before = first - boost::gregorian::days(1);
  std::map<std::string, std::vector<model::Agreement>> by_id;
  for (const auto& a : contracts.agreements) by_id[a.id].push_back(a);
  struct Entry {
    std::string agency;
    int order = 0;
    costing::AgencyVolume volume;
  };
  std::vector<Entry> entries;
  for (const auto& [id, versions] : by_id) {
    const model::Agreement* agreement = model::version_in_force(versions, first);
    if (agreement == nullptr) agreement = model::version_in_force(versions, before);
    if (agreement == nullptr) continue;
    for (const auto& terms : agreement->services) {
      if (terms.price.model != model::PriceModel::list || !terms.volume.forecast) continue;
      const std::int64_t volume =
          terms.volume.per == model::Window::month ? *terms.volume.forecast * 12 : *terms.volume.forecast;
      entries.push_back(Entry{agreement->client, contracts.catalog.order_of(terms.service),
                              costing::AgencyVolume{agreement->client, terms.service, volume}});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.agency, a.order) < std::tie(b.agency, b.order);
  });
  std::vector<costing::AgencyVolume> out;
  out.reserve(entries.size());
  for (auto& e : entries) out.push_back(std::move(e.volume));
  return out;
}

std::string what_if_table(const std::vector<costing::WhatIfRow>& rows) {
  std::string out =
      fmt::format("{} {} {} {} {} {} {} {} {}\n", pad("agency", 8, false), pad("service", 17, false),
                  pad("volume", 9, true), pad("price now", 10, true), pad("proposed", 10, true),
                  pad("amount now", 14, true), pad("proposed", 14, true), pad("change", 13, true), pad("%", 8, true));
  for (const auto& row : rows) {
    const bool total = row.service == costing::kTotalRow;
    const auto pct = row.change_percent();
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", pad(total ? "" : row.agency, 8, false),
                       pad(total ? row.agency + " total" : row.service, 17, false),
                       pad(row.volume ? std::to_string(*row.volume) : "", 9, true),
                       pad(row.current_price ? row.current_price->to_string(4) : "", 10, true),
                       pad(row.proposed_price ? row.proposed_price->to_string(4) : "", 10, true),
                       pad(row.current_amount.to_display(), 14, true), pad(row.proposed_amount.to_display(), 14, true),
                       pad(row.change().to_display(), 13, true), pad(pct ? pct->to_string(2) : "", 8, true));
  }
  return out;
}

ProposeReport run_propose(soci::session& session, const ProposeOptions& options) {
  ProposeReport report;
  report.price_year = options.year + 1;
  db::JobSpec spec("prices propose", db::kCostsLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = ProposeReport{};  // the job may run again after a transient error
    report.price_year = options.year + 1;
    report.job_run_id = run.run_id();
    run.step("reading the ledger, the cost model and the contracts");
    const YearInputs in = read_inputs(session, options.year);
    run.set_inputs(inputs_json(in));
    const auto unit_rows = costing::unit_cost_rows(in.allocation, *in.model);
    report.unit_costs = unit_rows;

    const auto settled = db::query(session,
                                   "SELECT service, CAST(surplus AS text), decision FROM cost_settlement "
                                   "WHERE year = $1::int ORDER BY service",
                                   {std::to_string(options.year)});
    report.settlement_recorded = !settled.empty();
    for (std::size_t r = 0; r < settled.size(); ++r) {
      const Money surplus = Money::parse(settled.text(r, 1));
      if (settled.text(r, 2) == "carry_forward" && surplus != Money()) {
        report.carried.push_back(CarriedDifference{settled.text(r, 0), surplus});
      }
    }
    // Catalog order for the header lines.
    std::stable_sort(report.carried.begin(), report.carried.end(), [&](const auto& a, const auto& b) {
      return in.contracts.catalog.order_of(a.service) < in.contracts.catalog.order_of(b.service);
    });
    report.proposed = adjusted_prices(unit_rows, report.carried);

    std::vector<std::string> header = {
        fmt::format("Proposed cost-covering prices for {}, by `costcover prices propose --year {}`.", report.price_year,
                    options.year),
        fmt::format("Ledger {}: {} (sha256 {}), {} rows, total {}.", options.year,
                    fs::path(in.ledger.file_name).filename().string(), in.ledger.file_hash, in.ledger.rows,
                    in.ledger.total.to_string()),
        fmt::format("Cost model {}: {} (sha256 {}), method {}, imputed interest {}.", options.year,
                    in.model->source_file, in.model_sha256, method_name(in.model->method),
                    in.allocation.imputed_interest.to_string()),
        fmt::format("Volumes: forecast_volumes of the cost model {}; price = total cost / forecast volume, "
                    "rounded up to the cent.",
                    options.year),
    };
    if (report.carried.empty()) {
      header.push_back(report.settlement_recorded
                           ? fmt::format("No difference of {} was carried forward by `costcover settle`.", options.year)
                           : fmt::format("`costcover settle --year {}` has not run: no carried differences included.",
                                         options.year));
    }
    for (const auto& c : report.carried) {
      header.push_back(fmt::format("{}: {} {} of {} carried forward into the price.", c.service,
                                   c.surplus > Money() ? "surplus" : "deficit",
                                   (c.surplus > Money() ? c.surplus : -c.surplus).to_string(), options.year));
    }
    const std::string basis =
        fmt::format("cost model {} and ledger {}, proposed by costcover", options.year, options.year);

    const auto current = in.contracts.price_list(options.year);
    costing::PriceTable current_prices;
    if (current != nullptr) current_prices = current->prices;
    report.what_if =
        costing::price_what_if(forecast_volumes(in.contracts, report.price_year), current_prices, report.proposed);

    const fs::path dir(options.out_dir);
    const std::vector<std::pair<fs::path, std::string>> files = {
        {dir / "allocation.csv", costing::allocation_csv(costing::allocation_rows(in.allocation))},
        {dir / "unit_costs.csv", costing::unit_costs_csv(unit_rows)},
        {dir / "prices" / (std::to_string(report.price_year) + ".yaml"),
         costing::price_list_yaml(report.price_year, basis, report.proposed, header)},
        {dir / "what_if.csv", costing::price_what_if_csv(report.what_if)},
    };
    for (const auto& [path, content] : files) {
      write_file(path, content);
      report.files.push_back(path.string());
    }
    run.count("services", static_cast<std::int64_t>(report.proposed.size()));
    run.count("carried", static_cast<std::int64_t>(report.carried.size()));
    run.count("what_if_rows", static_cast<std::int64_t>(report.what_if.size()));
    run.set_message(fmt::format("prices {} proposed for {} services", report.price_year, report.proposed.size()));
  });
  return report;
}

// ---- settlement --------------------------------------------------------------------------

std::string matching_html(int year, const model::Catalog& catalog, const std::vector<costing::MatchingRow>& rows,
                          const std::vector<costing::SettlementPlan>& plans, Money other_revenue) {
  using costing::CostCategory;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>Cost-revenue matching calculation {}</title>\n", year);
  out +=
      "<style>\nbody{font-family:sans-serif;margin:2em;color:#222}\n"
      "table{border-collapse:collapse;font-size:0.9em}\n"
      "th,td{padding:0.3em 0.6em;border-bottom:1px solid #ccc}\n"
      "th{text-align:left;vertical-align:bottom}\ntd.n,th.n{text-align:right;white-space:nowrap}\n"
      "tr.total td{font-weight:bold;border-top:2px solid #222}\ntd.neg{color:#a00}\n</style>\n</head>\n<body>\n";
  out += fmt::format("<h1>{} — cost-revenue matching calculation {}</h1>\n", html_escape(catalog.provider.name), year);
  out +=
      "<p>Cost-covering services (kustannusvastaavuuslaskelma), euros. Revenue is what final invoices of the "
      "year billed for each service, net of VAT, before settlement.</p>\n";
  out += "<table>\n<thead>\n<tr><th>Service</th>";
  const char* headings[] = {"Revenue",
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
  for (const char* h : headings) out += fmt::format("<th class=\"n\">{}</th>", h);
  out += "</tr>\n</thead>\n<tbody>\n";
  auto cell = [](Money m) {
    return fmt::format("<td class=\"n{}\">{}</td>", m < Money() ? " neg" : "", m.to_display());
  };
  for (const auto& row : rows) {
    const bool total = row.service == costing::kTotalRow;
    out += total ? "<tr class=\"total\">" : "<tr>";
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
  }
  out += "</tbody>\n</table>\n";
  if (other_revenue != Money()) {
    out += fmt::format(
        "<p>Fixed fees and one-off charges invoiced in {} ({} euros) belong to no service and are "
        "not in the table.</p>\n",
        year, other_revenue.to_display());
  }
  out +=
      "<h2>Settlement</h2>\n<table>\n<thead>\n<tr><th>Service</th><th class=\"n\">Surplus (+) / deficit (−)</th>"
      "<th class=\"n\">Threshold</th><th>Decision</th><th class=\"n\">Settled with agencies</th><th>Reason</th>"
      "</tr>\n</thead>\n<tbody>\n";
  for (const auto& plan : plans) {
    Money settled;
    for (const auto& line : plan.lines) settled += line.amount;
    out += fmt::format("<tr><td>{}</td>{}{}<td>{}</td>{}<td>{}</td></tr>\n",
                       html_escape(service_name(catalog, plan.service)), cell(plan.surplus), cell(plan.threshold),
                       plan.decision == costing::SettlementDecision::settle ? "settled" : "carried forward",
                       cell(settled), html_escape(plan.reason));
  }
  out +=
      "</tbody>\n</table>\n<p>A settled surplus is credited (negative amounts), a settled deficit charged, to "
      "each agency in proportion to what it was invoiced for the service.</p>\n</body>\n</html>\n";
  return out;
}

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
    const YearInputs in = read_inputs(session, options.year);
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
    write_file(dir / "matching.csv", costing::matching_csv(report.matching));
    write_file(dir / "matching.html",
               matching_html(options.year, catalog, report.matching, report.plans, report.other_revenue));
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
      line.kind = model::LineKind::settlement;
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
      const invoice::InvoiceHeader header =
          invoice::header_for(agency, Month(options.year, 12), versions, whole_year);
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
        Money settled;
        for (const auto& line : plan.lines) settled += line.amount;
        db::exec(
            session,
            "INSERT INTO cost_settlement (year, service, job_run_id, ledger_load_id, revenue, total_cost, surplus, "
            "threshold, decision, reason, settled) VALUES ($1::int, $2, $3::bigint, $4::bigint, $5::numeric, "
            "$6::numeric, $7::numeric, $8::numeric, $9, $10, $11::numeric)",
            {year, plan.service, std::to_string(run.run_id()), std::to_string(in.ledger.load_id),
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

std::string settle_table(const SettleReport& report) {
  std::string out =
      fmt::format("{} {} {} {} {} {}\n", pad("service", 17, false), pad("revenue", 15, true),
                  pad("total cost", 15, true), pad("surplus", 14, true), pad("coverage", 9, true), "decision");
  for (const auto& row : report.matching) {
    std::string decision;
    for (const auto& plan : report.plans) {
      if (plan.service != row.service) continue;
      Money settled;
      for (const auto& line : plan.lines) settled += line.amount;
      decision = plan.decision == costing::SettlementDecision::settle
                     ? "settle " + settled.to_display() + " (" + std::to_string(plan.lines.size()) + " agencies)"
                     : "carry forward";
    }
    const auto coverage = row.coverage_percent();
    out += fmt::format("{} {} {} {} {} {}\n", pad(row.service, 17, false), pad(row.revenue.to_display(), 15, true),
                       pad(row.total_cost().to_display(), 15, true), pad(row.surplus().to_display(), 14, true),
                       pad(coverage ? coverage->to_string(2) + " %" : "", 9, true), decision);
  }
  return out;
}

}  // namespace costcover::jobs
