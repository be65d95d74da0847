// costcover rejects list / rejects resolve: the rejected rows of the loads and the
// decisions on them (jobs/rejects.hpp, docs/ingest.md "Rejects and their decisions").
#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "ingest/row.hpp"
#include "jobs/rejects.hpp"
#include "render/rejects.hpp"

namespace costcover::cli {
namespace {

// The reason codes of ingest::RejectReason, for --reason.
bool known_reason_code(const std::string& code) {
  for (int r = 0; r <= static_cast<int>(ingest::RejectReason::unknown_cancellation); ++r) {
    if (ingest::reason_code(static_cast<ingest::RejectReason>(r)) == code) return true;
  }
  return false;
}

std::int64_t positive_number(const std::string& name, const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    throw UsageError(fmt::format("{} {} is not a positive whole number", name, quote_for_message(text)));
  }
  return value;
}

// The operating-system user running costcover: the password database's name for the
// effective uid, else $USER, else the uid.
std::string os_user() {
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) return entry->pw_name;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "uid " + std::to_string(geteuid());
}

int run_list(Context& context, Args& args) {
  store::RejectFilter filter;
  filter.period = optional_month_option(args, "--period");
  filter.source = args.option("--source");
  filter.reason_code = args.option("--reason");
  const auto status = args.option("--status").value_or("open");
  const auto format = args.option("--format").value_or("table");
  args.positionals(0, 0);
  if (filter.reason_code && !known_reason_code(*filter.reason_code)) {
    throw UsageError(fmt::format("--reason {} is not a reject reason code (docs/ingest.md lists them)",
                                 quote_for_message(*filter.reason_code)));
  }
  if (status == "open") {
    filter.status = store::RejectStatusFilter::open;
  } else if (status == "resolved") {
    filter.status = store::RejectStatusFilter::resolved;
  } else if (status == "all") {
    filter.status = store::RejectStatusFilter::all;
  } else {
    throw UsageError(fmt::format("--status {} is not open, resolved or all", quote_for_message(status)));
  }
  if (format != "table" && format != "csv") {
    throw UsageError(fmt::format("--format {} is not table or csv", quote_for_message(format)));
  }
  auto session = db::connect(db::resolve_connection_string(context.db));
  const auto rejects = jobs::list_rejects(*session, filter);
  std::cout << (format == "csv" ? render::rejects_csv(rejects) : render::rejects_table(rejects));
  return 0;
}

int run_resolve(Context& context, Args& args) {
  jobs::ResolveOptions options;
  options.load_id = positive_number("--load", args.required("--load"));
  for (const auto& line : args.repeated("--line")) options.lines.push_back(positive_number("--line", line));
  const auto as = args.required("--as");
  const auto note = args.option("--note");
  args.positionals(0, 0);
  if (options.lines.empty()) throw UsageError("missing --line (give one --line N per rejected row)");
  const auto resolution = ingest::parse_resolution(as);
  if (!resolution) throw UsageError(fmt::format("--as {} is not redelivered or waived", quote_for_message(as)));
  options.resolution = *resolution;
  options.note = note.value_or("");
  if (options.resolution == ingest::Resolution::waived && options.note.find_first_not_of(" \t") == std::string::npos) {
    throw UsageError("--as waived needs --note \"...\" saying why nothing will be sent again");
  }
  options.os_user = os_user();
  std::string lines_json;
  for (const auto line : options.lines) lines_json += (lines_json.empty() ? "" : ",") + std::to_string(line);
  options.parameters_json =
      fmt::format(R"({{"load":{},"lines":[{}],"as":{},"note":{},"os_user":{}}})", options.load_id, lines_json,
                  db::json_string(as), db::json_string(options.note), db::json_string(options.os_user));
  auto session = db::connect(db::resolve_connection_string(context.db));
  const auto report = jobs::resolve_rejects(*session, options);
  std::cout << fmt::format("load {}: {} reject(s) resolved as {} (job run {}, by {})\n", options.load_id,
                           report.decisions.size(), as, report.job_run_id, options.os_user);
  return 0;
}

COSTCOVER_COMMAND("rejects list", "list the rejected rows of the loads and what was decided about them",
                  "Usage: costcover rejects list [--period YYYY-MM] [--source S] [--reason CODE]\n"
                  "                              [--status open|resolved|all] [--format table|csv]\n\n"
                  "Lists the rows the loads rejected, oldest load first: load, source, line, reason code,\n"
                  "txn_id, agency and delivered day as the row gave them, status and note. Status is open\n"
                  "(it holds `costcover bill` of its month back), sent-again (a later load accepted the same\n"
                  "source and txn_id: resolved without a decision), redelivered or waived (a decision recorded\n"
                  "with `costcover rejects resolve`, shown with who made it and when).\n\n"
                  "  --period P    only the rejects of month P, as bill counts them (the delivered day, or\n"
                  "                for a row without one the month of its load and the month before)\n"
                  "  --source S    only the loads of source S\n"
                  "  --reason CODE only this reason code (docs/ingest.md lists them)\n"
                  "  --status S    open (default), resolved or all\n"
                  "  --format F    table (default) or csv (a header row; columns in docs/formats.md)\n",
                  run_list);

COSTCOVER_COMMAND("rejects resolve", "record the decision on rejected rows (redelivered or waived), once",
                  "Usage: costcover rejects resolve --load L --line N [--line N ...] --as redelivered|waived\n"
                  "                                 [--note TEXT]\n\n"
                  "Records one decision per rejected row of load L at line N, all in one transaction or none.\n"
                  "A decision is kept for ever with the operating-system user, the database role and the\n"
                  "time; a row already decided is refused. A resolved reject no longer holds its month's\n"
                  "billing back.\n\n"
                  "  --load L      the load (ingest_load id, the first column of `costcover rejects list`)\n"
                  "  --line N      a rejected line of that load; repeat for several\n"
                  "  --as redelivered   the corrected row came in a later load: refused unless a later load\n"
                  "                     accepted a transaction with the row's source and txn_id\n"
                  "  --as waived        nothing will come; the month is billed without the row (needs --note)\n"
                  "  --note TEXT   why (needed for waived)\n",
                  run_resolve);

}  // namespace
}  // namespace costcover::cli
