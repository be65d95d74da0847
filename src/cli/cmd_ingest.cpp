// costcover ingest: load one transaction CSV of one source system (see docs/ingest.md).
#include <chrono>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "ingest/timestamp.hpp"
#include "jobs/ingest.hpp"

namespace costcover::cli {
namespace {

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t parse_as_of(const std::string& text) {
  std::string error;
  if (auto micros = ingest::parse_as_of(text, &error)) return *micros;
  throw UsageError("--as-of " + error);
}

int run_ingest(Context& context, Args& args) {
  jobs::IngestOptions options;
  options.source = args.required("--source");
  const auto as_of = args.option("--as-of");
  const auto rejects = args.option("--rejects");
  options.new_month_fast_path = !args.flag("--no-fast-path");
  const auto files = args.positionals(1, 1);
  options.file = files[0];
  if (const std::string problem = jobs::check_source_name(options.source); !problem.empty()) throw UsageError(problem);
  options.as_of_micros = as_of ? parse_as_of(*as_of) : now_micros();
  if (rejects) options.reject_file = *rejects;
  options.parameters_json = "{\"source\":" + db::json_string(options.source) +
                            ",\"as_of\":" + db::json_string(ingest::format_helsinki(options.as_of_micros)) +
                            ",\"file\":" + db::json_string(escape_invalid_utf8(options.file)) + "}";
  const auto started = std::chrono::steady_clock::now();
  if (context.terminal) {
    auto last = started;
    options.progress = [started, last](std::int64_t rows) mutable {
      const auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(250)) return;
      last = now;
      const double seconds = std::chrono::duration<double>(now - started).count();
      std::cerr << fmt::format("\r  {} rows read, {:.0f} rows/s   ", rows,
                               seconds > 0 ? static_cast<double>(rows) / seconds : 0.0)
                << std::flush;
    };
  }
  auto session = db::connect(db::resolve_connection_string(context.db));
  const jobs::IngestReport report = jobs::ingest_file(*session, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (context.terminal) std::cerr << "\r" << std::string(60, ' ') << "\r";
  std::cout << fmt::format("{}: load {} from source {}: read {} = accepted {} + duplicates {} + rejected {}\n",
                           options.file, report.load_id, options.source, report.rows_read, report.accepted,
                           report.duplicates, report.rejected);
  std::cout << fmt::format("  {} new transactions, {} cancellations; {:.1f} s, {:.0f} rows/s\n", report.inserted,
                           report.cancellations, seconds,
                           seconds > 0 ? static_cast<double>(report.rows_read) / seconds : 0.0);
  if (report.rejected > 0) {
    std::string reasons;
    for (const auto& [reason, count] : report.rejects_by_reason) {
      reasons += (reasons.empty() ? "" : ", ") + fmt::format("{} {}", reason, count);
    }
    std::cout << fmt::format("  the load succeeded with {} rejected rows ({}); see {}\n", report.rejected, reasons,
                             report.reject_file);
  }
  if (report.rows_read != report.accepted + report.duplicates + report.rejected) {
    throw InvariantError("read " + std::to_string(report.rows_read) + " != accepted + duplicates + rejected");
  }
  return 0;
}

COSTCOVER_COMMAND(
    "ingest", "load a delivered-transactions CSV of one source system",
    "Usage: costcover ingest --source NAME [--as-of TIMESTAMP] [--rejects FILE] [--no-fast-path] FILE.csv\n\n"
    "Loads the transactions of FILE.csv (see docs/formats.md: txn_id,agency,service,received_at,\n"
    "delivered_at,quantity,tags,status) exported by the source system NAME. The key is\n"
    "(source, txn_id): the same key with the same content is a duplicate, with other content a\n"
    "conflict (rejected); a cancelled row cancels the accepted transaction of its key.\n"
    "Rows that break a rule are rejected with a reason into the table ingest_reject and the\n"
    "file FILE.csv.rejects.csv (or --rejects FILE); the rest of the file loads.\n"
    "Rows delivered after --as-of (default: now) are rejected. --as-of takes a timestamp with\n"
    "offset (2027-01-31T23:59:59+02:00) or a day (its end in Helsinki).\n\n"
    "The whole load is one transaction: killed at any point, nothing of it remains; run it\n"
    "again. Loading the same file twice counts nothing twice.\n"
    "The first load of a month writes that month's rows straight into a new partition (see\n"
    "docs/ingest.md); --no-fast-path sends every row through the staging table instead\n"
    "(slower, same result; for comparisons and troubleshooting).\n"
    "Prints: read N = accepted A + duplicates D + rejected R. Exit status 0 when the load\n"
    "succeeded (even with rejected rows), 1 when it failed.\n",
    run_ingest);

}  // namespace
}  // namespace costcover::cli
