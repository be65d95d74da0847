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
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "invoice/corrections.hpp"
#include "invoice/header.hpp"
#include "invoice/invoice.hpp"
#include "model/line_kind.hpp"
#include "rating/rating.hpp"
#include "store/contracts.hpp"
#include "store/invoices.hpp"
#include "store/volumes.hpp"

namespace costcover::jobs {
namespace {

// Line kinds come from the database as text (the CHECK of sql/030 lists them).
model::LineKind parse_kind(const std::string& text) {
  if (const auto kind = model::parse_line_kind(text)) return *kind;
  throw InvariantError("unknown invoice line kind \"" + text + "\"");
}

bool overlaps(const model::Agreement& agreement, Month period) {
  return agreement.valid.from <= period.last_day() && agreement.valid.to >= period.first_day();
}

model::Vat vat_from(const std::string& category, const std::string& rate) {
  model::Vat vat;
  vat.category = invoice::parse_vat_category(category);
  if (!rate.empty()) vat.rate = Decimal::parse(rate);
  return vat;
}

std::int64_t to_int(const std::string& text) { return std::stoll(text); }

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

struct AgencyWork {
  std::vector<model::Agreement> agreements;
  bool in_force = false;
  bool final_this_month = false;
  std::map<std::string, std::vector<invoice::FinalInvoiceRef>> finals;  // earlier period -> its final invoices
};

// Whether the month still has input the nightly job has not counted, and rejected rows
// nobody resolved: billing_readiness() of sql/061.
void check_readiness(soci::session& session, const BillingOptions& options, BillingReport& report) {
  const auto readiness = store::billing_readiness(session, options.period, options.agency);
  report.dirty_days = readiness.uncounted_days;
  report.unresolved_rejects = readiness.unresolved_rejects;
}

// Lines already billed for the earlier finalised months of the agencies: the lines of
// their final invoices and the corrections of them (final ones, and drafts of other
// months), with their lineage.
std::map<std::pair<std::string, std::string>, std::vector<invoice::BilledLine>> load_billed(
    soci::session& session, Month period, const std::vector<std::string>& agencies) {
  std::map<std::pair<std::string, std::string>, std::vector<invoice::BilledLine>> out;
  if (agencies.empty()) return out;
  const std::string lines_sql =
      "WITH billed AS ("
      "  SELECT o.agency, o.period, l.invoice_id, l.line_no, l.kind AS kind FROM invoice o "
      "    JOIN invoice_line l ON l.invoice_id = o.id "
      "   WHERE o.status = 'final' AND o.kind = 'invoice' AND o.period < $1 AND o.agency = ANY($2::text[]) "
      "     AND l.kind <> 'correction' "
      "  UNION ALL "
      "  SELECT o.agency, o.period, l.invoice_id, l.line_no, l.corrected_kind FROM invoice c "
      "    JOIN invoice_line l ON l.invoice_id = c.id JOIN invoice o ON o.id = l.corrects_invoice_id "
      "   WHERE l.kind = 'correction' AND c.kind = 'invoice' AND (c.status = 'final' OR c.period <> $1) "
      "     AND o.kind = 'invoice' AND o.agency = ANY($2::text[])) "
      "SELECT b.agency, b.period, b.invoice_id, b.line_no, b.kind, coalesce(l.service, ''), l.price_source, "
      "       CAST(l.unit_price AS text), l.quantity, CAST(l.amount AS text), l.vat_category, "
      "       coalesce(CAST(l.vat_rate AS text), ''), coalesce(l.agreement_id, ''), coalesce(l.agreement_version, 0), "
      "       coalesce(l.exception_id, '') "
      "  FROM billed b JOIN invoice_line l ON l.invoice_id = b.invoice_id AND l.line_no = b.line_no "
      " ORDER BY b.agency, b.period, b.invoice_id, b.line_no";
  const db::Params params{period.to_string(), db::text_array(agencies)};
  const auto rows = db::query(session, lines_sql, params);
  std::map<std::pair<std::int64_t, int>, invoice::BilledLine*> by_line;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    invoice::BilledLine line;
    line.kind = parse_kind(rows.text(r, 4));
    line.service = rows.text(r, 5);
    line.price_source = rows.text(r, 6);
    line.unit_price = Decimal::parse(rows.text(r, 7));
    line.quantity = to_int(rows.text(r, 8));
    line.amount = Money::parse(rows.text(r, 9));
    line.vat = vat_from(rows.text(r, 10), rows.text(r, 11));
    line.agreement_id = rows.text(r, 12);
    line.agreement_version = static_cast<int>(to_int(rows.text(r, 13)));
    line.exception_id = rows.text(r, 14);
    auto& list = out[{rows.text(r, 0), rows.text(r, 1)}];
    list.push_back(std::move(line));
  }
  // Pointers only after every push_back (vectors may have moved).
  for (std::size_t r = 0, index = 0; r < rows.size(); ++r) {
    auto& list = out[{rows.text(r, 0), rows.text(r, 1)}];
    if (r == 0 || rows.text(r, 0) != rows.text(r - 1, 0) || rows.text(r, 1) != rows.text(r - 1, 1)) index = 0;
    by_line[{to_int(rows.text(r, 2)), static_cast<int>(to_int(rows.text(r, 3)))}] = &list[index++];
  }
  const auto volumes =
      db::query(session,
                "SELECT v.invoice_id, v.line_no, coalesce(v.daily_volume_id, 0), v.service, to_char(v.day, "
                "'YYYY-MM-DD'), v.tags, "
                "       v.business_days, v.quantity "
                "  FROM v_invoice_line_volume v JOIN invoice i ON i.id = v.invoice_id "
                " WHERE i.agency = ANY($2::text[]) AND i.kind = 'invoice' AND (i.status = 'final' OR i.period <> $1) "
                "   AND v.day < $3::date ORDER BY v.invoice_id, v.line_no, v.day, v.service, v.tags, v.business_days",
                {period.to_string(), db::text_array(agencies), format_date(period.first_day())});
  for (std::size_t r = 0; r < volumes.size(); ++r) {
    const auto found = by_line.find({to_int(volumes.text(r, 0)), static_cast<int>(to_int(volumes.text(r, 1)))});
    if (found == by_line.end()) continue;
    found->second->volumes.push_back(invoice::LineVolume{
        to_int(volumes.text(r, 2)), volumes.text(r, 3), parse_date(volumes.text(r, 4)), volumes.text(r, 5),
        static_cast<int>(to_int(volumes.text(r, 6))), to_int(volumes.text(r, 7))});
  }
  return out;
}

std::vector<rating::DailyVolume> slice(const std::vector<rating::DailyVolume>& rows, Date from, Date to) {
  std::vector<rating::DailyVolume> out;
  for (const auto& row : rows) {
    if (row.day >= from && row.day <= to) out.push_back(row);
  }
  return out;
}

std::vector<invoice::Line> rate_month(const std::string& agency, Month month, const model::ContractSet& contracts,
                                      const std::vector<model::Agreement>& agreements,
                                      const std::vector<rating::DailyVolume>& volumes,
                                      const std::vector<rating::DailyVolume>& history, const std::string& language,
                                      std::vector<rating::RatingFinding>* findings) {
  rating::RatingInput input;
  input.agency = agency;
  input.month = month;
  input.catalog = &contracts.catalog;
  input.agreements = agreements;
  input.price_lists = contracts.price_lists;
  input.volumes = volumes;
  input.history = history;
  input.language = language;
  const rating::RatingResult result = rating::rate(input);
  std::vector<invoice::Line> lines;
  lines.reserve(result.lines.size());
  const invoice::VolumeIndex index = invoice::index_volumes(volumes);
  for (const auto& rated : result.lines) lines.push_back(invoice::from_rated(rated, index, agreements));
  if (findings) *findings = result.findings;
  return lines;
}

// The billing run itself; `job` is null for a dry run (nothing is written or recorded).
void bill(soci::session& session, const BillingOptions& options, BillingReport& report, db::Job* job) {
  PhaseTimer timer;
  const Month period = options.period;
  const auto step = [job](const char* what) {
    if (job != nullptr) job->step(what);
  };
  {
    step("checking that the month is ready");
    check_readiness(session, options, report);
    timer.mark("readiness");
    // The contracts are parsed on a second connection while this one reads the month's
    // volumes: the two take about as long, and the machine has two cores.
    std::future<model::ContractSet> parsing;
    if (!options.connection_string.empty()) {
      parsing = std::async(std::launch::async, [connection = options.connection_string] {
        auto second = db::connect(connection);
        return store::load_stored_contracts(*second);
      });
    }
    step("reading the month's volumes");
    auto volumes =
        store::load_volumes(session, period.first_day(), period.last_day(),
                            options.agency ? std::vector<std::string>{*options.agency} : std::vector<std::string>{});
    timer.mark("month volumes");
    const model::ContractSet contracts = parsing.valid() ? parsing.get() : store::load_stored_contracts(session);
    timer.mark("contracts");

    // Which agencies: agreements in force in the month, and final invoices to correct.
    std::map<std::string, AgencyWork> work;
    for (const auto& agreement : contracts.agreements) {
      if (options.agency && agreement.client != *options.agency) continue;
      auto& entry = work[agreement.client];
      entry.agreements.push_back(agreement);
      if (overlaps(agreement, period)) entry.in_force = true;
    }
    {
      const auto rows = db::query(session,
                                  "SELECT agency, period, id, number, vat_group FROM invoice "
                                  "WHERE status = 'final' AND kind = 'invoice' AND period <= $1 "
                                  "AND ($2::text IS NULL OR agency = $2) ORDER BY agency, period, vat_group, number",
                                  {period.to_string(), options.agency});
      for (std::size_t r = 0; r < rows.size(); ++r) {
        auto found = work.find(rows.text(r, 0));
        if (found == work.end()) continue;  // no agreement at all: nothing to rate
        if (rows.text(r, 1) == period.to_string()) {
          found->second.final_this_month = true;
        } else {
          found->second.finals[rows.text(r, 1)].push_back(invoice::FinalInvoiceRef{
              to_int(rows.text(r, 2)), rows.text(r, 3), invoice::parse_vat_group(rows.text(r, 4))});
        }
      }
    }
    // Re-rate only the finalised months whose volumes (or their yearly window's) changed,
    // or whose agency's agreements were loaded again, after they were finalised.
    {
      const auto rows = db::query(
          session,
          "SELECT f.agency, f.period FROM (SELECT agency, period, min(finalized_at) AS finalized FROM invoice "
          "  WHERE status = 'final' AND kind = 'invoice' AND period < $1 AND ($2::text IS NULL OR agency = $2) "
          "  GROUP BY agency, period) f "
          "WHERE EXISTS (SELECT 1 FROM volume_change c WHERE c.agency = f.agency AND c.month <= f.period "
          "  AND c.month >= to_char(to_date(f.period || '-01', 'YYYY-MM-DD') - interval '11 months', 'YYYY-MM') "
          "  AND c.changed_at > f.finalized) "
          "OR EXISTS (SELECT 1 FROM agreement_version v WHERE v.client = f.agency AND v.loaded_at > f.finalized)",
          {period.to_string(), options.agency});
      std::set<std::pair<std::string, std::string>> changed;
      for (std::size_t r = 0; r < rows.size(); ++r) changed.emplace(rows.text(r, 0), rows.text(r, 1));
      for (auto& [agency, entry] : work) {
        for (auto it = entry.finals.begin(); it != entry.finals.end();) {
          it = changed.count({agency, it->first}) ? std::next(it) : entry.finals.erase(it);
        }
      }
    }
    std::vector<std::string> billed_agencies;                       // rated this month
    std::vector<std::string> correcting;                            // with finalised months to re-rate: full rows
    std::vector<std::pair<std::string, std::string>> yearly_pairs;  // (agency, service) with yearly windows
    Date correction_from = period.first_day();
    Date window_from = period.first_day();
    for (auto& [agency, entry] : work) {
      if (!entry.in_force && entry.finals.empty()) continue;
      if (entry.final_this_month) {
        AgencySummary summary;
        summary.agency = agency;
        summary.skipped = "already final for " + period.to_string() + "; changes go on the next month as corrections";
        report.agencies.push_back(std::move(summary));
        continue;
      }
      billed_agencies.push_back(agency);
      const Date from = rating::history_from(entry.agreements, period);
      if (!entry.finals.empty()) {
        correcting.push_back(agency);
        Date earliest = from;
        for (const auto& [earlier, refs] : entry.finals) {
          earliest = std::min(earliest, rating::history_from(entry.agreements, Month::parse(earlier)));
        }
        correction_from = std::min(correction_from, earliest);
      } else if (from < period.first_day()) {
        window_from = std::min(window_from, from);
        std::set<std::string> services;
        for (const auto& agreement : entry.agreements) {
          for (const auto& terms : agreement.services) {
            if (terms.volume.per == model::Window::year) services.insert(terms.service);
          }
        }
        for (const auto& service : services) yearly_pairs.emplace_back(agency, service);
      }
    }

    // Earlier days only for who needs them.
    const Date day_before = period.first_day() - boost::gregorian::days(1);
    std::map<std::string, std::vector<rating::DailyVolume>> history =
        store::load_window_history(session, window_from, day_before, yearly_pairs);
    if (!correcting.empty()) {
      auto full = store::load_volumes(session, correction_from, day_before, correcting);
      for (auto& [agency, rows] : full) history[agency] = std::move(rows);
    }
    auto billed = load_billed(session, period, correcting);
    timer.mark("history");

    std::map<std::string, Money> previous;
    {
      const auto rows = db::query(session,
                                  "SELECT agency, CAST(sum(net_total) AS text) FROM invoice WHERE period = $1 "
                                  "AND kind = 'invoice' AND ($2::text IS NULL OR agency = $2) GROUP BY agency",
                                  {period.previous().to_string(), options.agency});
      for (std::size_t r = 0; r < rows.size(); ++r) previous[rows.text(r, 0)] = Money::parse(rows.text(r, 1));
    }

    // Rating is pure: the agencies are rated in two threads, each into its own results,
    // merged afterwards in agency order (the output does not depend on the threads).
    struct Outcome {
      AgencySummary summary;
      std::vector<invoice::Invoice> invoices;
      std::vector<Finding> problems;
    };
    std::vector<Outcome> outcomes(billed_agencies.size());
    static const std::vector<rating::DailyVolume> kNone;
    auto rate_one = [&](const std::string& agency, Outcome& outcome) {
      const auto& entry = work.at(agency);
      AgencySummary& summary = outcome.summary;
      summary.agency = agency;
      if (const auto found = previous.find(agency); found != previous.end()) summary.previous = found->second;
      try {
        const auto month_rows = volumes.find(agency);
        const auto& month_volumes = month_rows != volumes.end() ? month_rows->second : kNone;
        const auto history_rows = history.find(agency);
        const auto& agency_history = history_rows != history.end() ? history_rows->second : kNone;
        std::vector<invoice::Line> lines;
        std::vector<rating::RatingFinding> findings;
        if (entry.in_force) {
          lines = rate_month(agency, period, contracts, entry.agreements, month_volumes,
                             slice(agency_history, rating::history_from(entry.agreements, period),
                                   period.first_day() - boost::gregorian::days(1)),
                             options.language, &findings);
        }
        for (const auto& finding : findings) {
          if (finding.kind == rating::FindingKind::deadline_met) continue;
          summary.findings.push_back(finding.message);
        }
        // Corrections of earlier final months, oldest first.
        for (const auto& [earlier_text, refs] : entry.finals) {
          const Month earlier = Month::parse(earlier_text);
          const auto earlier_volumes = slice(agency_history, earlier.first_day(), earlier.last_day());
          const auto earlier_history = slice(agency_history, rating::history_from(entry.agreements, earlier),
                                             earlier.first_day() - boost::gregorian::days(1));
          const auto rerated = rate_month(agency, earlier, contracts, entry.agreements, earlier_volumes,
                                          earlier_history, options.language, nullptr);
          const auto found = billed.find({agency, earlier_text});
          static const std::vector<invoice::BilledLine> kNothing;
          const auto corrections =
              invoice::correction_lines(earlier, refs, rerated, found != billed.end() ? found->second : kNothing,
                                        contracts.catalog, options.language);
          summary.corrections += static_cast<int>(corrections.size());
          lines.insert(lines.end(), corrections.begin(), corrections.end());
        }
        outcome.invoices =
            invoice::assemble_invoices(invoice::header_for(agency, period, entry.agreements, period.range()),
                                       invoice::InvoiceKind::invoice, lines);
        for (const auto& invoice : outcome.invoices) {
          invoice::check_invoice(invoice, agency + " " + period.to_string() + " " + to_string(invoice.group));
          summary.invoices += 1;
          summary.lines += static_cast<int>(invoice.lines.size());
          summary.total += invoice.net;
        }
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
    };
    {
      std::exception_ptr failure;
      std::mutex failure_mutex;
      auto rate_range = [&](std::size_t begin, std::size_t end) {
        try {
          for (std::size_t i = begin; i < end; ++i) rate_one(billed_agencies[i], outcomes[i]);
        } catch (...) {
          const std::lock_guard guard(failure_mutex);
          if (!failure) failure = std::current_exception();
        }
      };
      const std::size_t half = billed_agencies.size() / 2;
      if (billed_agencies.size() >= kParallelFrom) {
        std::thread second(rate_range, half, billed_agencies.size());
        rate_range(0, half);
        second.join();
      } else {
        rate_range(0, billed_agencies.size());
      }
      if (failure) std::rethrow_exception(failure);
    }
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
    timer.mark("rating");

    report.blocked = (report.dirty_days > 0 || report.unresolved_rejects > 0) && !options.force;
    if (job == nullptr) return;
    if (report.blocked) {
      job->count("invoices", 0);
      job->refuse(fmt::format("drafts refused: {} uncounted day(s), {} unresolved reject(s); use --force",
                              report.dirty_days, report.unresolved_rejects));
      return;
    }
    // Replace the month's drafts of the agencies in scope (finals are never touched: the
    // triggers would refuse it anyway).
    job->step("replacing the month's drafts");
    db::exec(session,
             "DELETE FROM invoice WHERE status = 'draft' AND kind = 'invoice' AND period = $1 "
             "AND ($2::text IS NULL OR agency = $2)",
             {period.to_string(), options.agency});
    timer.mark("delete drafts");
    store::insert_invoices(session, invoices, report.job_run_id, &report.lineage_rows);
    timer.mark("insert invoices");
    // Statistics true for what was just written: the next run's reads of these tables
    // (corrections, lineage) are planned on them.
    db::exec(session, "ANALYZE invoice, invoice_line, invoice_line_volume, invoice_vat");
    job->count("agencies", static_cast<std::int64_t>(billed_agencies.size()));
    job->count("invoices", report.invoices);
    job->count("lines", report.lines);
    job->count("lineage_rows", report.lineage_rows);
    job->set_message(fmt::format("{} draft invoice(s), net total {}", report.invoices, report.total.to_string()));
  }
}

}  // namespace

BillingReport run_billing(soci::session& session, const BillingOptions& options) {
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

std::string format_summary(const BillingReport& report, const BillingOptions& options) {
  std::ostringstream out;
  out << fmt::format("bill {}{}: {} agencies, {} invoice(s), {} line(s), net total {} EUR\n",
                     options.period.to_string(), options.dry_run ? " (dry run, nothing written)" : "",
                     report.agencies.size(), report.invoices, report.lines, report.total.to_display());
  if (report.dirty_days > 0 || report.unresolved_rejects > 0) {
    out << fmt::format(
        "NOT READY: {} agency/service/day key(s) not yet counted by the nightly job, {} unresolved "
        "rejected row(s) for the month{}\n",
        report.dirty_days, report.unresolved_rejects,
        options.force     ? " (--force: drafts written anyway)"
        : options.dry_run ? " (bill would refuse without --force)"
                          : " (drafts refused; run `costcover nightly`, resolve the rejects, or "
                            "use --force)");
  }
  out << fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", "agency", "invoices", "lines", "total",
                     "previous month", "change");
  for (const auto& agency : report.agencies) {
    if (!agency.skipped.empty()) {
      out << fmt::format("{:<10} skipped: {}\n", agency.agency, agency.skipped);
      continue;
    }
    std::string change = "new";
    if (agency.previous) {
      const Money delta = agency.total - *agency.previous;
      change = (delta > Money{} ? "+" : "") + delta.to_display();
      if (agency.previous->cents() != 0) {
        // Percent with one decimal, in integers: delta / previous * 1000, rounded.
        const Int128 per_mille = divide_round(Int128{delta.cents()} * 1000, Int128{agency.previous->cents()});
        const auto value = static_cast<long long>(per_mille);
        change += fmt::format(" ({}{}.{} %)", value < 0 ? "-" : (value > 0 ? "+" : ""), std::llabs(value) / 10,
                              std::llabs(value) % 10);
      }
    }
    out << fmt::format("{:<10} {:>8} {:>6} {:>16} {:>16} {:>16}\n", agency.agency, agency.invoices, agency.lines,
                       agency.total.to_display(), agency.previous ? agency.previous->to_display() : "-", change);
    if (agency.corrections > 0)
      out << fmt::format("  {} correction line(s) of earlier final months\n", agency.corrections);
    for (const auto& finding : agency.findings) out << "  finding: " << finding << '\n';
  }
  if (report.written) {
    out << fmt::format("drafts written (job run {}, {} lineage rows)\n", report.job_run_id, report.lineage_rows);
  }
  return out.str();
}

}  // namespace costcover::jobs
