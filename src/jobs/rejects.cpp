#include "jobs/rejects.hpp"

#include <set>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace costcover::jobs {
namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// The decision on one reject, or an InputError saying why it cannot be made.
store::Decision decide(const ingest::RejectEntry& reject, const ResolveOptions& options, std::int64_t job_run_id) {
  const std::string where = fmt::format("load {} line {}", reject.load_id, reject.line);
  if (!reject.resolved_at.empty()) {
    throw InputError(fmt::format("{}: already resolved as {} by {} at {} (\"{}\"); a decision is kept as recorded",
                                 where, ingest::status_text(reject.status), reject.resolved_by, reject.resolved_at,
                                 reject.note));
  }
  store::Decision decision{reject.load_id, reject.line,     options.resolution, options.note,
                           std::nullopt,   options.os_user, job_run_id};
  if (options.resolution == ingest::Resolution::redelivered) {
    if (reject.txn_id.empty()) {
      throw InputError(
          fmt::format("{}: cannot be redelivered: the rejected row gave no txn_id to match a later "
                      "load by; use --as waived with a note",
                      where));
    }
    if (!reject.by_load) {
      throw InputError(
          fmt::format("{}: not redelivered: no load after load {} accepted a transaction with txn_id "
                      "{} of source {}; load the corrected row first, or use --as waived",
                      where, reject.load_id, quote_for_message(reject.txn_id), reject.source));
    }
    decision.redelivered_load_id = reject.by_load;
  }
  return decision;
}

}  // namespace

std::vector<ingest::RejectEntry> list_rejects(soci::session& session, const store::RejectFilter& filter) {
  return store::list_rejects(session, filter);
}

ResolveReport resolve_rejects(soci::session& session, const ResolveOptions& options) {
  if (options.lines.empty()) throw InputError("rejects resolve: no --line given");
  std::set<std::int64_t> seen;
  for (const auto line : options.lines) {
    if (!seen.insert(line).second) throw InputError(fmt::format("rejects resolve: --line {} given twice", line));
  }
  if (options.resolution == ingest::Resolution::waived && blank(options.note)) {
    throw InputError("rejects resolve: a waived reject needs a --note saying why nothing will be sent again");
  }
  ResolveReport report;
  db::JobSpec spec("rejects resolve", db::kIngestLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = ResolveReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    run.step("reading the rejects");
    if (!store::load_exists(session, options.load_id)) {
      throw InputError(
          fmt::format("rejects resolve: there is no load {} (see `costcover rejects list`)", options.load_id));
    }
    const auto rejects = store::lock_rejects(session, options.load_id, options.lines);
    std::set<std::int64_t> found;
    for (const auto& reject : rejects) found.insert(reject.line);
    for (const auto line : options.lines) {
      if (found.count(line) == 0) {
        throw InputError(
            fmt::format("load {} line {}: the load rejected no row at that line (see `costcover "
                        "rejects list`)",
                        options.load_id, line));
      }
    }
    for (const auto& reject : rejects) report.decisions.push_back(decide(reject, options, run.run_id()));
    run.step("recording the decisions");
    store::insert_decisions(session, report.decisions);
    run.count("resolved", static_cast<std::int64_t>(report.decisions.size()));
    run.set_message(fmt::format("load {}: {} reject(s) {}", options.load_id, report.decisions.size(),
                                ingest::resolution_text(options.resolution)));
  });
  return report;
}

}  // namespace costcover::jobs
