#include "jobs/finalize.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "invoice/invoice.hpp"
#include "model/line_kind.hpp"
#include "store/invoices.hpp"

namespace costcover::jobs {
namespace {

// Line kinds come from the database as text (the CHECK of sql/030 lists them).
model::LineKind parse_kind(const std::string& text) {
  if (const auto kind = model::parse_line_kind(text)) return *kind;
  throw InvariantError("unknown invoice line kind \"" + text + "\"");
}

constexpr std::int64_t kMaxNumber = 999'999;

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i > 0 ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

// Numbers the given drafts in the given order and makes them final. Call inside a
// transaction: the counter row stays locked until it ends.
std::vector<FinalizedInvoice> assign_numbers(soci::session& session, const std::vector<std::int64_t>& ids,
                                             Date issue_date) {
  std::vector<FinalizedInvoice> out;
  if (ids.empty()) return out;
  const std::string year = std::to_string(static_cast<int>(issue_date.year()));
  db::exec(session, "INSERT INTO invoice_counter (year) VALUES ($1::int) ON CONFLICT (year) DO NOTHING", {year});
  const auto counter =
      db::query(session, "SELECT last_number FROM invoice_counter WHERE year = $1::int FOR UPDATE", {year});
  const std::int64_t last = std::stoll(counter.text(0, 0));
  if (last + static_cast<std::int64_t>(ids.size()) > kMaxNumber) {
    throw InvariantError(fmt::format("invoice numbers of {} would pass {}-{:06}", year, year, kMaxNumber));
  }
  const auto rows = db::query(
      session,
      "WITH d AS (SELECT id, ordinality AS rn FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ordinality)) "
      "UPDATE invoice i SET status = 'final', number = $2 || '-' || lpad(($3::int + d.rn)::text, 6, '0'), "
      "       issue_date = $4::date, due_date = $4::date + i.payment_terms_days, finalized_at = now() "
      "  FROM d WHERE i.id = d.id AND i.status = 'draft' "
      "RETURNING d.rn, i.number, i.agency, i.vat_group, CAST(i.gross_total AS text), to_char(i.due_date, 'YYYY-MM-DD')",
      {id_array(ids), year, std::to_string(last), format_date(issue_date)});
  if (rows.size() != ids.size()) {
    throw InvariantError(
        fmt::format("finalising {} invoice(s) updated {}: another run changed them", ids.size(), rows.size()));
  }
  db::exec(session, "UPDATE invoice_counter SET last_number = last_number + $2::int WHERE year = $1::int",
           {year, std::to_string(ids.size())});
  out.resize(ids.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto index = static_cast<std::size_t>(std::stoll(rows.text(r, 0)) - 1);
    out[index] = FinalizedInvoice{rows.text(r, 1), rows.text(r, 2), rows.text(r, 3), Money::parse(rows.text(r, 4)),
                                  parse_date(rows.text(r, 5))};
  }
  return out;
}

// A month is final once per agency and VAT group: a draft whose month already has a
// final invoice that no credit note cancelled cannot become final too (settlement
// invoices, which a re-run of `settle` may add to a settled year, aside). The invoices
// lock makes this impossible; the check keeps it impossible whatever runs.
void refuse_second_final(soci::session& session, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  const auto twice = db::query(
      session,
      "SELECT d.agency, d.period, d.vat_group, f.number FROM invoice d JOIN invoice f ON f.agency = d.agency "
      "  AND f.period = d.period AND f.vat_group = d.vat_group AND f.status = 'final' AND f.kind = 'invoice' "
      "WHERE d.id = ANY($1::bigint[]) "
      "  AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credited_invoice_id = f.id) "
      "  AND NOT EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id IN (d.id, f.id) AND l.kind = 'settlement') "
      "ORDER BY 1, 2, 3 LIMIT 1",
      {id_array(ids)});
  if (!twice.empty()) {
    throw InvariantError(
        fmt::format("{} {} ({}) is already final as invoice {}: a month is finalised once; its "
                    "changes go on the next month as corrections",
                    twice.text(0, 0), twice.text(0, 1), twice.text(0, 2), twice.text(0, 3)));
  }
}

}  // namespace

FinalizeReport run_finalize(soci::session& session, const FinalizeOptions& options) {
  if (options.issue_date < options.period.first_day()) {
    throw InputError(fmt::format("issue date {} is before the period {} begins", format_date(options.issue_date),
                                 options.period.to_string()));
  }
  FinalizeReport report;
  db::JobSpec spec("finalize", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = FinalizeReport{};  // the job may run again after a transient error
    report.job_run_id = run.run_id();
    run.step("looking for uncounted input");
    report.uncounted_days = store::billing_readiness(session, options.period, options.agency).uncounted_days;
    run.step("numbering the drafts");
    {
      const auto drafts =
          db::query(session,
                    "SELECT id FROM invoice WHERE status = 'draft' AND kind = 'invoice' AND period = $1 "
                    "AND ($2::text IS NULL OR agency = $2) ORDER BY agency, vat_group, id FOR UPDATE",
                    {options.period.to_string(), options.agency});
      std::vector<std::int64_t> ids;
      for (std::size_t r = 0; r < drafts.size(); ++r) ids.push_back(std::stoll(drafts.text(r, 0)));
      refuse_second_final(session, ids);
      report.invoices = assign_numbers(session, ids, options.issue_date);
    }
    run.count("invoices", static_cast<std::int64_t>(report.invoices.size()));
    run.set_message(report.invoices.empty()
                        ? std::string("no drafts")
                        : fmt::format("{}..{}", report.invoices.front().number, report.invoices.back().number));
  });
  return report;
}

CreditReport run_credit(soci::session& session, const CreditOptions& options) {
  if (options.reason.empty()) throw InputError("a credit note needs a reason (--reason)");
  CreditReport report;
  report.credited_number = options.invoice_number;
  db::JobSpec spec("credit", db::kInvoicesLock, options.parameters_json);
  spec.notice = options.notice;
  db::run_job(session, spec, [&](db::Job& run) {
    report = CreditReport{};  // the job may run again after a transient error
    report.credited_number = options.invoice_number;
    report.job_run_id = run.run_id();
    run.step("writing the credit note");
    {
      const auto found =
          db::query(session,
                    "SELECT id, status, kind, agency, period, vat_group, payment_terms_days, buyer_reference, "
                    "coalesce(agreement_id, ''), coalesce(agreement_version, 0), to_char(issue_date, 'YYYY-MM-DD'), "
                    "(SELECT c.number FROM invoice c WHERE c.credited_invoice_id = invoice.id) "
                    "FROM invoice WHERE number = $1 FOR UPDATE",
                    {options.invoice_number});
      if (found.empty()) throw InputError("no invoice numbered \"" + options.invoice_number + "\"");
      if (found.text(0, 2) != "invoice") throw InputError(options.invoice_number + " is a credit note itself");
      if (!found.is_null(0, 11)) {
        throw InputError(options.invoice_number + " is already credited by " + found.text(0, 11));
      }
      if (options.issue_date < parse_date(found.text(0, 10))) {
        throw InputError(fmt::format("issue date {} is before the credited invoice's issue date {}",
                                     format_date(options.issue_date), found.text(0, 10)));
      }
      const std::int64_t original = std::stoll(found.text(0, 0));
      invoice::Invoice note;
      note.kind = invoice::InvoiceKind::credit_note;
      note.group = invoice::parse_vat_group(found.text(0, 5));
      note.header.agency = found.text(0, 3);
      note.header.period = Month::parse(found.text(0, 4));
      note.header.payment_terms_days = std::stoi(found.text(0, 6));
      note.header.buyer_reference = found.text(0, 7);
      note.header.agreement_id = found.text(0, 8);
      note.header.agreement_version = std::stoi(found.text(0, 9));
      note.credited_invoice_id = original;
      note.credit_reason = options.reason;
      const auto lines = db::query(
          session,
          "SELECT line_no, kind, coalesce(service, ''), description, quantity, CAST(unit_price AS text), "
          "CAST(amount AS text), CAST(exact_amount AS text), vat_category, coalesce(CAST(vat_rate AS text), ''), "
          "coalesce(agreement_id, ''), coalesce(agreement_version, 0), price_source, coalesce(exception_id, ''), "
          "coalesce(exception_reason, ''), coalesce(to_char(days_from, 'YYYY-MM-DD'), ''), "
          "coalesce(to_char(days_to, 'YYYY-MM-DD'), ''), coalesce(corrected_kind, '') "
          "FROM invoice_line WHERE invoice_id = $1::bigint ORDER BY line_no",
          {std::to_string(original)});
      const auto volumes =
          db::query(session,
                    "SELECT line_no, coalesce(daily_volume_id, 0), service, to_char(day, 'YYYY-MM-DD'), "
                    "tags, business_days, quantity FROM v_invoice_line_volume "
                    "WHERE invoice_id = $1::bigint ORDER BY line_no, day, service, tags, business_days",
                    {std::to_string(original)});
      std::size_t v = 0;
      for (std::size_t r = 0; r < lines.size(); ++r) {
        invoice::Line line;
        line.kind = parse_kind(lines.text(r, 1));
        line.service = lines.text(r, 2);
        line.description = "Credit: " + lines.text(r, 3);
        line.quantity = -std::stoll(lines.text(r, 4));
        line.unit_price = Decimal::parse(lines.text(r, 5));
        line.amount = -Money::parse(lines.text(r, 6));
        line.exact_amount = -Decimal::parse(lines.text(r, 7));
        line.vat.category = invoice::parse_vat_category(lines.text(r, 8));
        if (!lines.text(r, 9).empty()) line.vat.rate = Decimal::parse(lines.text(r, 9));
        line.agreement_id = lines.text(r, 10);
        line.agreement_version = std::stoi(lines.text(r, 11));
        line.price_source = lines.text(r, 12);
        line.exception_id = lines.text(r, 13);
        line.exception_reason = lines.text(r, 14);
        if (!lines.text(r, 15).empty())
          line.days = DateRange{parse_date(lines.text(r, 15)), parse_date(lines.text(r, 16))};
        line.corrects_invoice_id = original;
        if (!lines.text(r, 17).empty()) line.corrected_kind = parse_kind(lines.text(r, 17));
        const auto line_no = lines.text(r, 0);
        for (; v < volumes.size() && volumes.text(v, 0) == line_no; ++v) {
          line.volumes.push_back(invoice::LineVolume{std::stoll(volumes.text(v, 1)), volumes.text(v, 2),
                                                     parse_date(volumes.text(v, 3)), volumes.text(v, 4),
                                                     std::stoi(volumes.text(v, 5)), -std::stoll(volumes.text(v, 6))});
        }
        note.lines.push_back(std::move(line));
      }
      invoice::compute_totals(note);
      invoice::check_invoice(note, "credit note of " + options.invoice_number);
      const auto ids = store::insert_invoices(session, {note}, run.run_id());
      const auto numbered = assign_numbers(session, ids, options.issue_date);
      report.number = numbered.front().number;
      report.net = note.net;
      report.gross = note.gross;
    }
    run.set_message("credit note " + report.number + " for " + options.invoice_number);
  });
  return report;
}

}  // namespace costcover::jobs
