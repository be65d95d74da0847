// costcover export: a month's invoices as CSV, printable HTML or e-invoices (UBL, Finvoice) (jobs/export.hpp).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "core/csv.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "jobs/export.hpp"

namespace costcover::cli {
namespace {

// E-invoices: the summary, each file of a refused document removed, and every refusal on
// standard error; 1 when any document was refused (the others are written).
int print_einvoices(const jobs::EinvoiceExport& result, jobs::EinvoiceFormat format, Month period,
                    const std::string& out) {
  std::cout << fmt::format("export {} {}: {} document(s) written to {}/, {} refused, {} draft(s) skipped\n",
                           period.to_string(), to_string(format), result.written, out, result.refused, result.drafts);
  for (const auto& removed : result.removed) {
    std::cout << "removed the earlier file of a refused document " << removed << "\n";
  }
  for (const auto& refusal : result.refusals)
    std::cerr << "refused " << refusal.document << ": " << refusal.message << "\n";
  return result.refused > 0 ? 1 : 0;
}

int run_export(Context& context, Args& args) {
  const Month period = month_option(args);
  const std::string format = args.required("--format");
  const std::string out = args.required("--out");
  const auto dialect_text = args.option("--csv-dialect");
  args.positionals(0, 0);
  if (format != "csv" && format != "html" && format != "ubl" && format != "finvoice") {
    throw UsageError("--format \"" + format + "\" is not supported; use csv, html, ubl or finvoice");
  }
  const auto dialect = parse_csv_dialect(dialect_text.value_or("standard"));
  if (!dialect) throw UsageError("--csv-dialect \"" + *dialect_text + "\" is not supported; use standard or excel-fi");
  if (dialect_text && format != "csv") throw UsageError("--csv-dialect applies to --format csv only");
  auto session = db::connect(db::resolve_connection_string(context.db));
  if (format == "ubl" || format == "finvoice") {
    const auto kind = format == "ubl" ? jobs::EinvoiceFormat::ubl : jobs::EinvoiceFormat::finvoice;
    return print_einvoices(jobs::export_einvoices(*session, period, out, kind), kind, period, out);
  }
  if (format == "csv") {
    const auto result = jobs::export_csv(*session, period, out, *dialect);
    std::cout << fmt::format("export {} csv ({}): {} invoice(s), {} line(s) -> {}, {}\n", period.to_string(),
                             to_string(*dialect), result.invoices, result.lines, result.files.at(0),
                             result.files.at(1));
    return 0;
  }
  const auto result = jobs::export_html(*session, period, out);
  std::cout << fmt::format("export {} html: {} draft(s) -> {}/drafts/, {} final(s) -> {}/final/\n", period.to_string(),
                           result.drafts, out, result.finals, out);
  for (const auto& removed : result.removed) std::cout << "removed stale draft file " << removed << "\n";
  return 0;
}

COSTCOVER_COMMAND("export", "write a month's invoices as CSV, printable HTML or e-invoices",
                  "Usage: costcover export --period YYYY-MM --format csv|html|ubl|finvoice --out DIR\n"
                  "                        [--csv-dialect standard|excel-fi]\n\n"
                  "csv:  DIR/invoices.csv, one row per invoice line of the month's documents (drafts with an\n"
                  "      empty number, finals, and credit notes of the month's invoices), and\n"
                  "      DIR/invoice_headers.csv, one row per document with its dates and totals\n"
                  "      (see docs/formats.md). --csv-dialect excel-fi writes both for a Finnish spreadsheet:\n"
                  "      ';' between fields, decimal commas, CRLF line ends, a UTF-8 byte-order mark\n"
                  "      (default standard: ',', decimal points, LF).\n"
                  "html: drafts to DIR/drafts/AGENCY-PERIOD-draft-GROUP.html, watermarked DRAFT / LUONNOS;\n"
                  "      final invoices and credit notes to DIR/final/AGENCY-PERIOD-NUMBER.html; each folder\n"
                  "      with its index.html. Draft pages of the month that are no longer drafts are removed\n"
                  "      from DIR/drafts/, so a draft never lies beside the finals.\n"
                  "ubl:  DIR/NUMBER.xml for every final invoice (UBL Invoice, type 380) and credit note\n"
                  "      (CreditNote, 381), Peppol BIS Billing 3.0; drafts are never exported. A document\n"
                  "      breaking a business rule is not written: each refusal is printed with the invoice,\n"
                  "      the rule id and the values, and the exit status is 1 after the others are written\n"
                  "      (docs/einvoicing.md).\n"
                  "finvoice: one Finvoice 3.0 e-invoice DIR/NUMBER.finvoice.xml per final invoice and credit\n"
                  "      note (drafts never; see docs/finvoice.md). A document failing a check (FINVOICE-...)\n"
                  "      is not written: each refusal names the document, the check and the values, and the\n"
                  "      command exits 1 after writing the others.\n"
                  "Final documents print the particulars frozen at finalisation (docs/invoicing.md); the\n"
                  "same database gives byte-identical files.\n",
                  run_export);

}  // namespace
}  // namespace costcover::cli
