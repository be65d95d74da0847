// costcover credit: a credit note for all of a final invoice or some of its lines
// (jobs/credit.hpp). Each --line is "K" (what is left of line K), "K:Q" (Q units of it)
// or "K:A EUR" written "K:AEUR" (an amount of it): an amount always carries EUR, a
// quantity never does, so the two cannot be confused.
#include <charconv>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/issue_date.hpp"
#include "cli/options.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "db/connection.hpp"
#include "db/job.hpp"
#include "jobs/credit.hpp"

namespace costcover::cli {
namespace {

// A whole number above 0, or nothing.
std::optional<std::int64_t> positive(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

invoice::LineCredit line_credit(const std::string& text) {
  const std::string expected =
      "; expected K, K:QUANTITY or K:AMOUNTEUR (e.g. --line 2, --line 2:40, --line 2:12.50EUR)";
  const auto colon = text.find(':');
  invoice::LineCredit credit;
  const auto line_no = positive(std::string_view(text).substr(0, colon));
  if (!line_no || *line_no > 1'000'000)
    throw UsageError("--line \"" + text + "\": the line number must be 1 or more" + expected);
  credit.line_no = static_cast<int>(*line_no);
  if (colon == std::string::npos) return credit;
  std::string what = text.substr(colon + 1);
  if (what.size() > 3 && (what.ends_with("EUR") || what.ends_with("eur"))) {
    what.resize(what.size() - 3);
    while (!what.empty() && what.back() == ' ') what.pop_back();
    for (char& c : what) {
      if (c == ',') c = '.';  // a decimal comma is as good as a point
    }
    Money amount;
    try {
      amount = Money::parse(what);
    } catch (const std::exception&) {
      throw UsageError("--line \"" + text + "\": \"" + what + "\" is not an amount in euros and cents" + expected);
    }
    if (amount.cents() <= 0) throw UsageError("--line \"" + text + "\": the amount must be above 0" + expected);
    credit.amount = amount;
    return credit;
  }
  const auto quantity = positive(what);
  if (!quantity) {
    throw UsageError("--line \"" + text + "\": \"" + what +
                     "\" is not a whole number of units above 0 (an amount ends with EUR)" + expected);
  }
  credit.quantity = quantity;
  return credit;
}

int run_credit(Context& context, Args& args) {
  jobs::CreditOptions options;
  options.invoice_number = args.required("--invoice");
  options.reason = args.required("--reason");
  const auto lines = args.repeated("--line");
  const auto issue_date = date_option(args, "--issue-date");
  args.positionals(0, 0);
  if (options.reason.empty()) throw UsageError("--reason must not be empty");
  std::string lines_json;
  for (const auto& text : lines) {
    options.lines.push_back(line_credit(text));
    lines_json += (lines_json.empty() ? "" : ",") + db::json_string(text);
  }
  auto session = db::connect(db::resolve_connection_string(context.db));
  options.issue_date = resolve_issue_date(*session, issue_date);
  options.parameters_json = "{\"invoice\":" + db::json_string(options.invoice_number) + ",\"lines\":[" + lines_json +
                            "],\"reason\":" + db::json_string(options.reason) +
                            ",\"issue_date\":" + db::json_string(format_date(options.issue_date)) + "}";
  const auto report = jobs::run_credit(*session, options);
  std::cout << fmt::format("credit note {} for invoice {}: {} line(s), net {} EUR, gross {} EUR (final)\n",
                           report.number, report.credited_number, report.lines, report.net.to_display(),
                           report.gross.to_display());
  if (report.fully_credited) {
    std::cout << fmt::format(
        "invoice {} is now credited in full: `costcover bill --period {} --agency {}` drafts a new invoice that "
        "replaces it\n",
        report.credited_number, report.period, report.agency);
  }
  return 0;
}

COSTCOVER_COMMAND("credit", "credit a final invoice, all of it or some lines, with a credit note (final at once)",
                  "Usage: costcover credit --invoice NUMBER [--line K[:QUANTITY|:AMOUNTEUR]]... --reason TEXT\n"
                  "                        [--issue-date YYYY-MM-DD]\n\n"
                  "Makes a credit note for the final invoice NUMBER, pointing at the invoice and at each line it\n"
                  "credits, with the reason. The credit note is final at once and takes the next number of the\n"
                  "issue date's year. An invoice may be credited several times, never beyond what is left.\n\n"
                  "  --invoice NUMBER  the final invoice to credit (e.g. 2026-000013)\n"
                  "  --line K          credit what is left of line K\n"
                  "  --line K:Q        credit Q units of line K (a whole number; usage, over-limit and true-up\n"
                  "                    lines), at the line's unit price\n"
                  "  --line K:AEUR     credit the amount A of line K (e.g. --line 4:12.50EUR)\n"
                  "                    Give --line once per line; without --line, whatever is still uncredited\n"
                  "                    on every line is credited.\n"
                  "  --reason TEXT     why (printed on the credit note; required)\n"
                  "  --issue-date D    the credit note's issue date, a business day (default: today in Helsinki if\n"
                  "                    it is a business day, else the next business day). A credit note\n"
                  "                    has no due date.\n\n"
                  "When nothing is left of the invoice, its agency's month (and VAT group) may be billed again:\n"
                  "`costcover bill --period P --agency A` drafts a new invoice that replaces it.\n"
                  "See docs/invoicing.md, \"Credit notes\".\n",
                  run_credit);

}  // namespace
}  // namespace costcover::cli
