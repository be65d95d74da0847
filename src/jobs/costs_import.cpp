#include "jobs/costs_import.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/errors.hpp"
#include "core/sha256.hpp"
#include "db/job.hpp"
#include "jobs/yearly.hpp"
#include "store/contracts.hpp"
#include "store/ledger.hpp"

namespace costcover::jobs {
namespace {

std::string read_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file + ": cannot open: " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The same file as the year's current load: the report says so and nothing is written.
void report_unchanged(db::Job& run, const store::LedgerLoad& current, ImportReport& report) {
  report.unchanged = true;
  report.load_id = current.id;
  report.rows_read = current.rows_read;
  report.accepted = current.accepted;
  report.rejected = current.rejected;
  report.total = current.total;
  run.count("rows_read", report.rows_read);
  run.count("accepted", 0);
  run.count("rejected", 0);
  run.set_message(fmt::format("unchanged: same file as load {}", report.load_id));
}

// The checked rows into the report; a file whose rows are all rejected is refused (the
// ledger of the year is not replaced by an empty one).
void take_checked(const ImportOptions& options, const costing::CheckedLedger& checked, ImportReport& report) {
  report.rows_read = checked.rows_read;
  report.accepted = static_cast<std::int64_t>(checked.rows.size());
  report.rejected = static_cast<std::int64_t>(checked.rejects.size());
  report.total = checked.total;
  report.rejects = checked.rejects;
  if (report.rows_read != report.accepted + report.rejected) {
    throw InvariantError(
        fmt::format("read {} != accepted {} + rejected {}", report.rows_read, report.accepted, report.rejected));
  }
  if (report.accepted > 0 || report.rejected == 0) return;
  std::vector<Finding> findings;
  for (const auto& r : report.rejects) {
    findings.push_back(Finding{Location{options.file, static_cast<int>(r.line), 0}, r.field + ": " + r.reason});
  }
  findings.push_back(Finding{Location{options.file, 0, 0},
                             fmt::format("every row of the file was rejected ({}); the {} of {} is left as it was",
                                         report.rejected, costing::to_string(options.basis), options.year)});
  throw InputError(std::move(findings));
}

// The load, its rows (replacing the year's) and its rejects; then the stored rows must be
// exactly what was accepted.
void store_checked(soci::session& session, db::Job& run, const ImportOptions& options, std::int64_t file_bytes,
                   const costing::CheckedLedger& checked, ImportReport& report) {
  store::LedgerLoad load;
  load.year = options.year;
  load.file_name = options.file;
  load.file_hash = report.file_hash;
  load.file_bytes = file_bytes;
  load.rows_read = report.rows_read;
  load.accepted = report.accepted;
  load.rejected = report.rejected;
  load.total = report.total;
  if (report.replaced_load_id > 0) load.replaced_load_id = report.replaced_load_id;
  report.load_id = store::insert_ledger_load(session, load, run.run_id(), options.basis);
  store::replace_ledger_rows(session, options.year, report.load_id, checked.rows, options.basis);
  store::insert_ledger_rejects(session, report.load_id, checked.rejects, options.basis);
  const store::LedgerSum stored = store::ledger_sum(session, options.year, options.basis);
  if (stored.rows != report.accepted || stored.total != report.total) {
    throw InvariantError(fmt::format("{} {} holds {} rows totalling {} but {} rows totalling {} were accepted",
                                     store::ledger_tables(options.basis).rows, options.year, stored.rows,
                                     stored.total.to_string(), report.accepted, report.total.to_string()));
  }
}

}  // namespace

ImportReport import_ledger(soci::session& session, const ImportOptions& options) {
  const std::string bytes = read_bytes(options.file);
  costing::check_ledger_header(options.file, bytes);
  const std::string file_hash = sha256_hex(bytes);
  ImportReport report;
  db::JobSpec spec(
      "costs import", db::kCostsLock, options.parameters_json,
      fmt::format(R"({{"basis":"{}","file":{},"sha256":"{}","bytes":{}}})", costing::to_string(options.basis),
                  db::json_string(options.file), file_hash, bytes.size()));
  db::run_job(session, spec, [&](db::Job& run) {
    report = ImportReport{};  // the job may run again after a transient error
    report.file_hash = file_hash;
    report.reject_table = store::ledger_tables(options.basis).rejects;
    run.step("reading " + options.file);
    const model::ContractSet stored = store::load_stored_contracts(session);
    const std::set<std::string> centres = costing::cost_centre_ids(require_cost_model(stored, options.year));
    const auto current = store::current_ledger_load(session, options.year, options.basis);
    if (current && current->file_hash == file_hash) {
      report_unchanged(run, *current, report);
      return;
    }
    if (current) report.replaced_load_id = current->id;
    const costing::CheckedLedger checked = costing::check_ledger_rows(bytes, options.year, centres);
    take_checked(options, checked, report);

    run.step(fmt::format("storing the {}", costing::to_string(options.basis)));
    store_checked(session, run, options, static_cast<std::int64_t>(bytes.size()), checked, report);
    run.count("rows_read", report.rows_read);
    run.count("accepted", report.accepted);
    run.count("rejected", report.rejected);
    run.set_message(fmt::format("load {}: read {} = accepted {} + rejected {}, total {}", report.load_id,
                                report.rows_read, report.accepted, report.rejected, report.total.to_string()));
  });
  return report;
}

}  // namespace costcover::jobs
