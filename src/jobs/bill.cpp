#include "jobs/bill.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "invoice/billing.hpp"
#include "rating/rating.hpp"
#include "store/contracts.hpp"
#include "store/invoices.hpp"
#include "store/volumes.hpp"

namespace costcover::jobs {
namespace {

// COSTCOVER_TIMING=1 prints the time of each phase to stderr (for the benchmark).
class PhaseTimer {
 public:
  PhaseTimer() : enabled_(std::getenv("COSTCOVER_TIMING") != nullptr), last_(std::chrono::steady_clock::now()) {}
  void mark(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    if (enabled_) {
      std::cerr << fmt::format("  {:<28} {:>8} ms\n", phase,
                               std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    }
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

constexpr std::size_t kParallelFrom = 50;  // agencies: below, one thread is enough

using Volumes = std::map<std::string, std::vector<rating::DailyVolume>>;

// What the run knows of one agency before billing it.
struct AgencyWork {
  std::vector<model::Agreement> agreements;
  bool in_force = false;
  std::set<invoice::VatGroup> final_groups;            // VAT groups of the month with a final invoice in force
  std::map<invoice::VatGroup, std::int64_t> released;  // groups whose final invoice is credited in full: its id
  std::map<std::string, std::vector<invoice::FinalInvoiceRef>> to_correct;  // earlier month -> its final invoices
};
using Work = std::map<std::string, AgencyWork>;

// Earlier days the run reads, and for whom.
struct HistoryPlan {
  std::vector<std::string> billed;                                // agencies billed this month
  std::vector<std::string> correcting;                            // with final months to re-rate: every row
  std::vector<std::pair<std::string, std::string>> yearly_pairs;  // (agency, service) rated per year: day sums
  Date correction_from;
  Date window_from;
};

struct History {
  Volumes rows;               // per agency: the earlier days it needs
  store::BilledLines billed;  // what billed the months to correct
};

// One agency's result of the rating phase.
struct Outcome {
  AgencySummary summary;
  std::vector<invoice::Invoice> invoices;
  std::vector<Finding> problems;
};

// The month's volumes of every agency in scope, and the stored contracts, parsed on a
// second connection while this one reads the volumes when options.connection_string is
// set (the two take about as long, and the machine has two cores).
std::pair<Volumes, model::ContractSet> read_month(soci::session& session, const BillingOptions& options,
                                                  PhaseTimer& timer, db::Job* job) {
  std::future<model::ContractSet> parsing;
  if (!options.connection_string.empty()) {
    parsing = std::async(std::launch::async, [connection = options.connection_string] {
      auto second = db::connect(connection);
      return store::load_stored_contracts(*second);
    });
  }
  if (job != nullptr) job->step("reading the month's volumes");
  auto volumes =
      store::load_volumes(session, options.period.first_day(), options.period.last_day(),
                          options.agency ? std::vector<std::string>{*options.agency} : std::vector<std::string>{});
  timer.mark("month volumes");
  auto contracts = parsing.valid() ? parsing.get() : store::load_stored_contracts(session);
  timer.mark("contracts");
  return {std::move(volumes), std::move(contracts)};
}

// Which agencies: those with an agreement in force in the month, and those with final
// months to correct (only the months whose volumes or agreements changed since).
Work select_agencies(soci::session& session, const BillingOptions& options, const model::ContractSet& contracts) {
  const Month period = options.period;
  Work work;
  for (const auto& agreement : contracts.agreements) {
    if (options.agency && agreement.client != *options.agency) continue;
    auto& entry = work[agreement.client];
    entry.agreements.push_back(agreement);
    if (agreement.valid.intersect(period.range())) entry.in_force = true;
  }
  for (auto& [agency, months] : store::final_invoices_until(session, period, options.agency)) {
    const auto found = work.find(agency);
    if (found == work.end()) continue;  // no agreement at all: nothing to rate
    for (auto& [month, refs] : months) {
      if (month == period.to_string()) {
        for (const auto& ref : refs) found->second.final_groups.insert(ref.group);
      } else {
        found->second.to_correct[month] = std::move(refs);
      }
    }
  }
  for (auto& [agency, groups] : store::released_finals(session, period, options.agency)) {
    const auto found = work.find(agency);
    if (found == work.end()) continue;
    // A group billed again and final since is no longer released.
    std::erase_if(groups, [&](const auto& group) { return found->second.final_groups.count(group.first) > 0; });
    found->second.released = std::move(groups);
  }
  const auto changed = store::changed_since_final(session, period, options.agency);
  for (auto& [agency, entry] : work) {
    const std::string& id = agency;  // a structured binding cannot be captured before C++20 in clang 14
    std::erase_if(entry.to_correct, [&](const auto& month) { return changed.count({id, month.first}) == 0; });
  }
  return work;
}

// The agencies to bill and the earlier days they need; an agency already final for the
// month gets its "skipped" summary instead, unless a final invoice of the month was
// credited in full (then the groups it released are billed again, bill_one).
HistoryPlan plan_history(const Work& work, Month period, BillingReport& report) {
  HistoryPlan plan;
  plan.correction_from = period.first_day();
  plan.window_from = period.first_day();
  for (const auto& [agency, entry] : work) {
    if (!entry.in_force && entry.to_correct.empty()) continue;
    if (!entry.final_groups.empty() && entry.released.empty()) {
      AgencySummary summary;
      summary.agency = agency;
      summary.skipped = "already final for " + period.to_string() +
                        "; changes go on the next month as corrections (an invoice credited in full may be billed "
                        "again)";
      report.agencies.push_back(std::move(summary));
      continue;
    }
    plan.billed.push_back(agency);
    const Date from = rating::history_from(entry.agreements, period);
    if (!entry.to_correct.empty()) {
      plan.correcting.push_back(agency);
      Date earliest = from;
      for (const auto& [earlier, refs] : entry.to_correct) {
        earliest = std::min(earliest, rating::history_from(entry.agreements, Month::parse(earlier)));
      }
      plan.correction_from = std::min(plan.correction_from, earliest);
    } else if (from < period.first_day()) {
      plan.window_from = std::min(plan.window_from, from);
      std::set<std::string> services;
      for (const auto& agreement : entry.agreements) {
        for (const auto& terms : agreement.services) {
          if (terms.volume.per == model::Window::year) services.insert(terms.service);
        }
      }
      for (const auto& service : services) plan.yearly_pairs.emplace_back(agency, service);
    }
  }
  return plan;
}

// Earlier days only for who needs them: day sums of yearly windows, every row of the
// agencies with months to correct, and what billed those months.
History read_history(soci::session& session, const HistoryPlan& plan, Month period) {
  const Date day_before = period.first_day() - boost::gregorian::days(1);
  History history;
  history.rows = store::load_window_history(session, plan.window_from, day_before, plan.yearly_pairs);
  if (!plan.correcting.empty()) {
    auto full = store::load_volumes(session, plan.correction_from, day_before, plan.correcting);
    for (auto& [agency, rows] : full) history.rows[agency] = std::move(rows);
  }
  history.billed = store::billed_lines(session, period, plan.correcting);
  return history;
}

// Everything one agency's bill reads (views of the run's data).
struct RunData {
  const BillingOptions& options;
  const model::ContractSet& contracts;
  const Work& work;
  const Volumes& volumes;
  const History& history;
  const std::map<std::string, Money>& previous;
};

template <typename Map>
auto find_or_empty(const Map& map, const std::string& key) -> const typename Map::mapped_type& {
  static const typename Map::mapped_type kEmpty{};
  const auto found = map.find(key);
  return found != map.end() ? found->second : kEmpty;
}

Outcome bill_one(const std::string& agency, const RunData& run) {
  const Month period = run.options.period;
  const auto& entry = run.work.at(agency);
  Outcome outcome;
  AgencySummary& summary = outcome.summary;
  summary.agency = agency;
  if (const auto found = run.previous.find(agency); found != run.previous.end()) summary.previous = found->second;
  try {
    invoice::AgencyMonth month;
    month.agency = agency;
    month.period = period;
    month.contracts = &run.contracts;
    month.agreements = entry.agreements;
    month.in_force = entry.in_force;
    month.to_correct = &entry.to_correct;
    month.billed = &find_or_empty(run.history.billed, agency);
    month.volumes = find_or_empty(run.volumes, agency);
    month.history = find_or_empty(run.history.rows, agency);
    // The descriptions name the services in the agency's language (agencies.yaml language).
    month.language = model::language_of(run.contracts.agencies, agency);
    invoice::AgencyBill bill = invoice::bill_agency(month);
    // A month billed again after a full credit: only the VAT groups without a final invoice
    // in force get a draft, each replacing the invoice credited in full.
    std::erase_if(bill.invoices,
                  [&](const invoice::Invoice& drafted) { return entry.final_groups.count(drafted.group); });
    for (auto& drafted : bill.invoices) {
      if (const auto released = entry.released.find(drafted.group); released != entry.released.end()) {
        drafted.replaces_invoice_id = released->second;
      }
    }
    summary.findings = std::move(bill.findings);
    summary.corrections = 0;
    for (const auto& drafted : bill.invoices) {
      summary.corrections +=
          static_cast<int>(std::count_if(drafted.lines.begin(), drafted.lines.end(),
                                         [](const auto& line) { return line.kind == model::LineKind::correction; }));
    }
    for (const auto& invoice : bill.invoices) {
      summary.invoices += 1;
      summary.lines += static_cast<int>(invoice.lines.size());
      summary.total += invoice.net;
    }
    outcome.invoices = std::move(bill.invoices);
  } catch (const InputError& error) {
    for (auto finding : error.findings()) {
      finding.message = agency + ": " + finding.message;
      outcome.problems.push_back(std::move(finding));
    }
    if (error.findings().empty()) {
      Finding finding;
      finding.message = agency + ": " + error.what();
      outcome.problems.push_back(std::move(finding));
    }
  } catch (const InvariantError& error) {
    // Say whose bill broke it (an amount beyond 64 bits names no agency by itself).
    throw InvariantError(agency + " " + period.to_string() + ": " + error.what());
  }
  return outcome;
}

// Billing is pure: the agencies are billed in two threads, each into its own results,
// which stay in agency order (the output does not depend on the threads).
std::vector<Outcome> bill_agencies(const std::vector<std::string>& agencies, const RunData& run) {
  std::vector<Outcome> outcomes(agencies.size());
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto bill_range = [&](std::size_t begin, std::size_t end) {
    try {
      for (std::size_t i = begin; i < end; ++i) outcomes[i] = bill_one(agencies[i], run);
    } catch (...) {
      const std::lock_guard guard(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  const std::size_t half = agencies.size() / 2;
  if (agencies.size() >= kParallelFrom) {
    std::thread second(bill_range, half, agencies.size());
    bill_range(0, half);
    second.join();
  } else {
    bill_range(0, agencies.size());
  }
  if (failure) std::rethrow_exception(failure);
  return outcomes;
}

// The outcomes into the report and one list of invoices; every agency's rating problems
// together as one InputError.
std::vector<invoice::Invoice> merge(std::vector<Outcome>& outcomes, BillingReport& report) {
  std::vector<invoice::Invoice> invoices;
  std::vector<Finding> problems;
  for (auto& outcome : outcomes) {
    report.invoices += outcome.summary.invoices;
    report.lines += outcome.summary.lines;
    report.total += outcome.summary.total;
    std::move(outcome.invoices.begin(), outcome.invoices.end(), std::back_inserter(invoices));
    std::move(outcome.problems.begin(), outcome.problems.end(), std::back_inserter(problems));
    report.agencies.push_back(std::move(outcome.summary));
  }
  std::sort(report.agencies.begin(), report.agencies.end(),
            [](const AgencySummary& a, const AgencySummary& b) { return a.agency < b.agency; });
  if (!problems.empty()) throw InputError(problems);
  return invoices;
}

// Replaces the month's drafts of the agencies in scope (finals are never touched: the
// triggers would refuse it anyway).
void write_drafts(soci::session& session, const BillingOptions& options, const std::vector<invoice::Invoice>& invoices,
                  std::size_t agencies, BillingReport& report, db::Job& job, PhaseTimer& timer) {
  job.step("replacing the month's drafts");
  (void)store::delete_month_drafts(session, options.period, options.agency);
  timer.mark("delete drafts");
  (void)store::insert_invoices(session, invoices, report.job_run_id, &report.lineage_rows);
  timer.mark("insert invoices");
  store::analyze_invoices(session);
  job.count("agencies", static_cast<std::int64_t>(agencies));
  job.count("invoices", report.invoices);
  job.count("lines", report.lines);
  job.count("lineage_rows", report.lineage_rows);
  job.set_message(fmt::format("{} draft invoice(s), net total {}", report.invoices, report.total.to_string()));
}

// The billing run itself; `job` is null for a dry run (nothing is written or recorded).
void bill(soci::session& session, const BillingOptions& options, BillingReport& report, db::Job* job) {
  PhaseTimer timer;
  const Month period = options.period;
  report.period = period;
  report.dry_run = options.dry_run;
  report.force = options.force;
  if (job != nullptr) job->step("checking that the month is ready");
  report.readiness = store::billing_readiness(session, period, options.agency);
  timer.mark("readiness");
  const auto [volumes, contracts] = read_month(session, options, timer, job);
  const Work work = select_agencies(session, options, contracts);
  const HistoryPlan plan = plan_history(work, period, report);
  const History history = read_history(session, plan, period);
  timer.mark("history");
  const auto previous = store::month_net_totals(session, period.previous(), options.agency);
  auto outcomes = bill_agencies(plan.billed, RunData{options, contracts, work, volumes, history, previous});
  const auto invoices = merge(outcomes, report);
  timer.mark("rating");

  // Uncounted input always refuses (the nightly job counts it); --force overrides only
  // unresolved rejects.
  report.blocked = report.readiness.uncounted_days > 0 || (report.readiness.unresolved_rejects > 0 && !options.force);
  if (job == nullptr) return;
  if (report.blocked) {
    job->count("invoices", 0);
    job->refuse(report.readiness.uncounted_days > 0
                    ? fmt::format("drafts refused: {} uncounted day(s); run `costcover nightly`",
                                  report.readiness.uncounted_days)
                    : fmt::format("drafts refused: {} unresolved reject(s); resolve them (costcover rejects) "
                                  "or use --force",
                                  report.readiness.unresolved_rejects));
    return;
  }
  write_drafts(session, options, invoices, plan.billed.size(), report, *job, timer);
}

}  // namespace

bool month_not_ended(Month period, Date today) { return today <= period.last_day(); }

BillingReport run_billing(soci::session& session, const BillingOptions& options) {
  if (!options.dry_run && !options.early && month_not_ended(options.period, options.today)) {
    throw InputError(
        fmt::format("{} has not ended (today is {} in Helsinki, its last day {}): bill it early "
                    "with --early, or wait until the month is over",
                    options.period.to_string(), format_date(options.today), format_date(options.period.last_day())));
  }
  BillingReport report;
  if (options.dry_run) {
    bill(session, options, report, nullptr);
    return report;
  }
  db::JobSpec spec("bill", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& job) {
    report = BillingReport{};  // the job may run again after a transient error
    report.job_run_id = job.run_id();
    bill(session, options, report, &job);
  });
  report.written = !report.blocked;
  return report;
}

}  // namespace costcover::jobs
