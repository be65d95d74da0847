// costcover export: a month's invoices as invoices.csv or printable HTML (jobs/export.hpp).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "jobs/export.hpp"

namespace costcover::cli {
namespace {

int run_export(Context& context, Args& args) {
  const Month period = month_option(args);
  const std::string format = args.required("--format");
  const std::string out = args.required("--out");
  args.positionals(0, 0);
  if (format != "csv" && format != "html") {
    throw UsageError("--format \"" + format + "\" is not supported; use csv or html");
  }
  auto session = db::connect(db::resolve_connection_string(context.db));
  const auto result =
      format == "csv" ? jobs::export_csv(*session, period, out) : jobs::export_html(*session, period, out);
  std::cout << fmt::format("export {} {}: {} invoice(s), {} line(s) -> {}\n", period.to_string(), format,
                           result.invoices, result.lines, format == "csv" ? result.files.front() : out + "/invoices/");
  return 0;
}

COSTCOVER_COMMAND("export", "write a month's invoices as invoices.csv or printable HTML",
                  "Usage: costcover export --period YYYY-MM --format csv|html --out DIR\n\n"
                  "csv:  DIR/invoices.csv, one row per invoice line of the month's invoices (drafts with an\n"
                  "      empty number, finals, and credit notes of the month's invoices); see docs/formats.md.\n"
                  "html: DIR/invoices/*.html, one printable invoice per agency and invoice, and index.html.\n"
                  "The same database gives byte-identical files.\n",
                  run_export);

}  // namespace
}  // namespace costcover::cli
