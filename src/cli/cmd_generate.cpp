// costcover generate: realistic, reproducible transaction CSVs for a month.
#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "contracts/loader.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "demo/generate.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::cli {
namespace {

// The cut-off: rows delivered after it are left out, and the default month ends before it.
std::int64_t cutoff(const std::optional<std::string>& as_of_text) {
  if (!as_of_text) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::string error;
  const auto parsed = ingest::parse_as_of(*as_of_text, &error);
  if (!parsed) throw UsageError("--as-of " + error);
  return *parsed;
}

std::uint64_t seed_option(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::uint64_t seed = std::stoull(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing text");
    return seed;
  } catch (const std::exception&) {
    throw UsageError("--seed \"" + text + "\" is not a whole number");
  }
}

struct GenerateRequest {
  demo::GenerateOptions options;
  std::optional<std::string> as_of_text;
  std::optional<std::string> contracts_dir;
};

GenerateRequest parse_request(Args& args) {
  GenerateRequest request;
  demo::GenerateOptions& options = request.options;
  const auto month_choice = optional_month_option(args, "--month");
  const auto seed_text = args.option("--seed");
  const auto scale_text = args.option("--scale");
  request.as_of_text = args.option("--as-of");
  request.contracts_dir = args.option("--contracts");
  options.out_dir = args.required("--out");
  args.positionals(0, 0);
  options.cutoff_micros = cutoff(request.as_of_text);
  if (month_choice) {
    options.year = month_choice->year();
    options.month = month_choice->month();
  } else {
    // The last complete month in Helsinki at the cut-off.
    const ingest::CivilDate today = ingest::civil_from_days(ingest::helsinki_day(options.cutoff_micros));
    options.year = today.month == 1 ? today.year - 1 : today.year;
    options.month = today.month == 1 ? 12 : today.month - 1;
  }
  if (seed_text) options.seed = seed_option(*seed_text);
  if (scale_text) {
    try {
      options.scale_millionths = demo::parse_scale(*scale_text);
    } catch (const std::invalid_argument& error) {
      throw UsageError(std::string("--scale: ") + error.what());
    }
  }
  return request;
}

int run_generate(Context& /*context*/, Args& args) {
  const GenerateRequest request = parse_request(args);
  const demo::GenerateOptions& options = request.options;
  const std::string dir = request.contracts_dir.value_or(db::project_dir() + "/contracts");
  const contracts::LoadResult loaded = contracts::load_directory(dir);
  if (!loaded.ok()) throw InputError(loaded.findings);
  const auto streams = demo::plan_month(loaded.contracts, options.year, options.month);
  const std::string month = fmt::format("{:04}-{:02}", options.year, options.month);
  if (streams.empty()) {
    throw InputError(dir + ": no agreement is in force in " + month + ", so there is nothing to generate");
  }
  const auto started = std::chrono::steady_clock::now();
  const auto files = demo::generate_month(streams, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::int64_t total = 0;
  for (const auto& file : files) {
    std::cout << fmt::format("wrote {}: {} rows, {} units ({} cancellations); load with --source {}\n", file.path,
                             file.rows, file.units, file.cancellations, file.source);
    total += file.rows;
  }
  // Without --as-of the line stays as it always was; with it, it names the cut-off.
  std::cout << fmt::format(
      "generated {} rows for {} ({} agency-service pairs, seed {}{}) in {:.1f} s\n", total, month, streams.size(),
      options.seed, request.as_of_text ? ", as of " + ingest::format_helsinki(options.cutoff_micros) : std::string(),
      seconds);
  return 0;
}

COSTCOVER_COMMAND("generate", "write realistic transaction CSVs for a month (seeded, reproducible)",
                  "Usage: costcover generate [--month YYYY-MM] [--seed N] [--scale X] [--as-of T] [--contracts DIR]\n"
                  "                          --out DIR\n\n"
                  "Writes DIR/finance.csv, DIR/hr.csv and DIR/other.csv (one per service area; load each\n"
                  "with --source <area>) in the transaction format (see docs/formats.md), with volumes per agency\n"
                  "and service around the forecasts of the agreements in force in the month (a yearly\n"
                  "forecast / 12; 100 without one), times X (default 1). Weekends and holidays are quiet,\n"
                  "processing times mostly 0-5 business days, some rows tagged late-from-client or\n"
                  "rework-provider, about 0.2 % cancelled later in the file.\n"
                  "Rows delivered after --as-of T are left out: T is a timestamp with offset\n"
                  "(2027-01-15T00:00:00Z) or a day (its end in Helsinki), as for `costcover ingest`;\n"
                  "default now. The same month, seed, scale and T give the same files; without --as-of\n"
                  "a month that is not over yet grows from one run to the next. --month defaults to the\n"
                  "last complete month before T (Helsinki time); --contracts to the project's contracts/.\n",
                  run_generate);

}  // namespace
}  // namespace costcover::cli
