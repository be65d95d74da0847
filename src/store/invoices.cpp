#include "store/invoices.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "db/copy.hpp"
#include "db/query.hpp"
#include "model/line_kind.hpp"
#include "store/calendar.hpp"

namespace costcover::store {
namespace {

using db::to_int;

int to_small_int(std::string_view text) { return static_cast<int>(to_int(text)); }

std::optional<std::string> opt_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

std::optional<Date> opt_date(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<Date>(parse_date(text));
}

// '{1,2,3}' for a bigint[] parameter.
std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i > 0 ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

model::LineKind line_kind(const std::string& text, std::int64_t invoice_id, const std::string& line_no) {
  if (const auto kind = model::parse_line_kind(text)) return *kind;
  throw InvariantError(
      fmt::format("invoice {} line {} has kind \"{}\", which the program does not know", invoice_id, line_no, text));
}

model::Vat vat_from(const std::string& category, const std::string& rate) {
  model::Vat vat;
  vat.category = invoice::parse_vat_category(category);
  if (!rate.empty()) vat.rate = Decimal::parse(rate);
  return vat;
}

// --- COPY rows of insert_invoices --------------------------------------------------------

// One COPY text-format row from fields; nullopt is \N.
void row(std::string& out, std::initializer_list<std::optional<std::string>> fields) {
  bool first = true;
  for (const auto& field : fields) {
    if (!first) out += '\t';
    first = false;
    if (field) {
      db::append_copy_text(out, *field);
    } else {
      out += "\\N";
    }
  }
  out += '\n';
}

std::optional<std::string> opt_number(bool present, std::int64_t value) {
  return present ? std::optional<std::string>(std::to_string(value)) : std::nullopt;
}

void copy_headers(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                  const std::vector<std::int64_t>& ids, const std::optional<std::string>& run) {
  db::CopyIn copy(session,
                  "COPY invoice (id, status, kind, agency, period, vat_group, payment_terms_days, buyer_reference, "
                  "agreement_id, agreement_version, net_total, vat_total, gross_total, credited_invoice_id, "
                  "credit_reason, settles_year, job_run_id, replaces_invoice_id) FROM STDIN (FORMAT text)");
  std::string out;
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    const auto& invoice = invoices[i];
    const auto& header = invoice.header;
    row(out, {std::to_string(ids[i]), "draft", to_string(invoice.kind), header.agency, header.period.to_string(),
              to_string(invoice.group), std::to_string(header.payment_terms_days), header.buyer_reference,
              opt_text(header.agreement_id), opt_number(!header.agreement_id.empty(), header.agreement_version),
              invoice.net.to_string(), invoice.vat_total.to_string(), invoice.gross.to_string(),
              opt_number(invoice.credited_invoice_id.has_value(), invoice.credited_invoice_id.value_or(0)),
              opt_text(invoice.credit_reason),
              opt_number(invoice.settles_year.has_value(), invoice.settles_year.value_or(0)), run,
              opt_number(invoice.replaces_invoice_id.has_value(), invoice.replaces_invoice_id.value_or(0))});
  }
  copy.write(out);
  copy.finish();
}

void line_row(std::string& out, std::int64_t id, int line_no, const invoice::Line& line) {
  row(out, {std::to_string(id),
            std::to_string(line_no),
            model::to_string(line.kind),
            opt_text(line.service),
            line.description,
            std::to_string(line.quantity),
            line.unit_price.to_string(4),
            line.amount.to_string(),
            line.exact_amount.to_string(6),
            model::vat_code(line.vat.category),
            line.vat.rate ? std::optional<std::string>(line.vat.rate->to_string(2)) : std::nullopt,
            opt_text(line.agreement_id),
            opt_number(!line.agreement_id.empty(), line.agreement_version),
            line.price_source,
            opt_text(line.exception_id),
            opt_text(line.exception_reason),
            line.days ? std::optional<std::string>(format_date(line.days->from)) : std::nullopt,
            line.days ? std::optional<std::string>(format_date(line.days->to)) : std::nullopt,
            opt_number(line.corrects_invoice_id.has_value(), line.corrects_invoice_id.value_or(0)),
            line.corrected_kind ? std::optional<std::string>(model::to_string(*line.corrected_kind)) : std::nullopt,
            opt_number(line.credits_line_no.has_value(), line.credits_line_no.value_or(0))});
}

void copy_lines(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                const std::vector<std::int64_t>& ids) {
  db::CopyIn copy(session,
                  "COPY invoice_line (invoice_id, line_no, kind, service, description, quantity, unit_price, amount, "
                  "exact_amount, vat_category, vat_rate, agreement_id, agreement_version, price_source, exception_id, "
                  "exception_reason, days_from, days_to, corrects_invoice_id, corrected_kind, credits_line_no) "
                  "FROM STDIN (FORMAT text)");
  std::string out;
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    int line_no = 0;
    for (const auto& line : invoices[i].lines) {
      line_row(out, ids[i], ++line_no, line);
      if (out.size() > (1u << 20)) {
        copy.write(out);
        out.clear();
      }
    }
  }
  copy.write(out);
  copy.finish();
}

void copy_vat(soci::session& session, const std::vector<invoice::Invoice>& invoices,
              const std::vector<std::int64_t>& ids) {
  db::CopyIn copy(
      session,
      "COPY invoice_vat (invoice_id, vat_category, vat_rate, net_amount, vat_amount) FROM STDIN (FORMAT text)");
  std::string out;
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    for (const auto& summary : invoices[i].vat) {
      row(out, {std::to_string(ids[i]), model::vat_code(summary.category),
                summary.rate ? std::optional<std::string>(summary.rate->to_string(2)) : std::nullopt,
                summary.net.to_string(), summary.vat.to_string()});
    }
  }
  copy.write(out);
  copy.finish();
}

// The parallel arrays of one line's lineage row, reusing the caller's buffers.
struct LineageArrays {
  std::string days, tags, business_days, quantities, volume_ids;

  void fill(const invoice::Line& line) {
    days = tags = business_days = quantities = volume_ids = "{";
    for (std::size_t v = 0; v < line.volumes.size(); ++v) {
      const auto& volume = line.volumes[v];
      if (volume.service != line.volumes.front().service) {
        throw std::logic_error("lineage of one line spans services " + volume.service + " and " +
                               line.volumes.front().service);
      }
      const char* comma = v == 0 ? "" : ",";
      days += comma + format_date(volume.day);
      tags += comma;
      tags += '"';
      for (const char c : volume.tags) {
        if (c == '"' || c == '\\') tags += '\\';
        tags += c;
      }
      tags += '"';
      business_days += comma + std::to_string(volume.business_days);
      quantities += comma + std::to_string(volume.quantity);
      volume_ids += comma + std::to_string(volume.daily_volume_id);
    }
    for (auto* text : {&days, &tags, &business_days, &quantities, &volume_ids}) *text += '}';
  }
};

std::int64_t copy_lineage(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                          const std::vector<std::int64_t>& ids) {
  db::CopyIn copy(session,
                  "COPY invoice_line_volume (invoice_id, line_no, agency, service, days, tags, business_days, "
                  "quantities, daily_volume_ids) FROM STDIN (FORMAT text)");
  std::string out;
  std::int64_t count = 0;
  LineageArrays arrays;
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    int line_no = 0;
    const std::string id = std::to_string(ids[i]);
    for (const auto& line : invoices[i].lines) {
      ++line_no;
      if (line.volumes.empty()) continue;
      arrays.fill(line);
      row(out, {id, std::to_string(line_no), invoices[i].header.agency, line.volumes.front().service, arrays.days,
                arrays.tags, arrays.business_days, arrays.quantities, arrays.volume_ids});
      count += static_cast<std::int64_t>(line.volumes.size());
      if (out.size() > (1u << 20)) {
        copy.write(out);
        out.clear();
      }
    }
  }
  copy.write(out);
  copy.finish();
  return count;
}

// --- Reading documents -------------------------------------------------------------------

// The columns of a document's header, then the FROM clause; callers add WHERE and ORDER.
constexpr const char* kDocumentSelect =
    "SELECT i.id, coalesce(i.number, ''), i.status, i.kind, i.agency, i.period, i.vat_group, "
    "       coalesce(to_char(i.issue_date, 'YYYY-MM-DD'), ''), coalesce(to_char(i.due_date, 'YYYY-MM-DD'), ''), "
    "       i.payment_terms_days, i.buyer_reference, coalesce(i.agreement_id, ''), coalesce(i.agreement_version, 0), "
    "       CAST(i.net_total AS text), CAST(i.vat_total AS text), CAST(i.gross_total AS text), "
    "       i.credited_invoice_id, coalesce(i.credit_reason, ''), "
    "       coalesce((SELECT c.number FROM invoice c WHERE c.id = i.credited_invoice_id), ''), "
    "       coalesce((SELECT string_agg(n.number, ', ' ORDER BY n.number) FROM invoice n "
    "                 WHERE n.credited_invoice_id = i.id AND n.kind = 'credit_note'), ''), "
    "       i.replaces_invoice_id "
    "  FROM invoice i ";

invoice::Document document_from(const db::Rows& rows, std::size_t r) {
  invoice::Document document;
  document.id = to_int(rows.text(r, 0));
  document.number = rows.text(r, 1);
  document.status = invoice::parse_invoice_status(rows.text(r, 2));
  document.issue_date = opt_date(rows.text(r, 7));
  document.due_date = opt_date(rows.text(r, 8));
  document.credited_number = rows.text(r, 18);
  document.credited_by = rows.text(r, 19);
  invoice::Invoice& invoice = document.invoice;
  invoice.kind = invoice::parse_invoice_kind(rows.text(r, 3));
  invoice.header.agency = rows.text(r, 4);
  invoice.header.period = Month::parse(rows.text(r, 5));
  invoice.group = invoice::parse_vat_group(rows.text(r, 6));
  invoice.header.payment_terms_days = to_small_int(rows.text(r, 9));
  invoice.header.buyer_reference = rows.text(r, 10);
  invoice.header.agreement_id = rows.text(r, 11);
  invoice.header.agreement_version = to_small_int(rows.text(r, 12));
  invoice.net = Money::parse(rows.text(r, 13));
  invoice.vat_total = Money::parse(rows.text(r, 14));
  invoice.gross = Money::parse(rows.text(r, 15));
  if (!rows.is_null(r, 16)) invoice.credited_invoice_id = to_int(rows.text(r, 16));
  invoice.credit_reason = rows.text(r, 17);
  if (!rows.is_null(r, 20)) invoice.replaces_invoice_id = to_int(rows.text(r, 20));
  return document;
}

invoice::Line line_from(const db::Rows& rows, std::size_t r, std::int64_t invoice_id) {
  invoice::Line line;
  line.kind = line_kind(rows.text(r, 2), invoice_id, rows.text(r, 1));
  line.service = rows.text(r, 3);
  line.description = rows.text(r, 4);
  line.quantity = to_int(rows.text(r, 5));
  line.unit_price = Decimal::parse(rows.text(r, 6));
  line.amount = Money::parse(rows.text(r, 7));
  line.exact_amount = Decimal::parse(rows.text(r, 8));
  line.vat = vat_from(rows.text(r, 9), rows.text(r, 10));
  line.agreement_id = rows.text(r, 11);
  line.agreement_version = to_small_int(rows.text(r, 12));
  line.price_source = rows.text(r, 13);
  line.exception_id = rows.text(r, 14);
  line.exception_reason = rows.text(r, 15);
  if (!rows.text(r, 16).empty()) line.days = DateRange{parse_date(rows.text(r, 16)), parse_date(rows.text(r, 17))};
  if (!rows.is_null(r, 18)) line.corrects_invoice_id = to_int(rows.text(r, 18));
  if (!rows.text(r, 19).empty()) line.corrected_kind = line_kind(rows.text(r, 19), invoice_id, rows.text(r, 1));
  if (!rows.is_null(r, 20)) line.credits_line_no = to_small_int(rows.text(r, 20));
  return line;
}

using DocumentIndex = std::unordered_map<std::int64_t, invoice::Document*>;

DocumentIndex index_documents(std::vector<invoice::Document>& documents) {
  DocumentIndex index;
  for (auto& document : documents) index.emplace(document.id, &document);
  return index;
}

std::vector<std::int64_t> ids_of(const std::vector<invoice::Document>& documents) {
  std::vector<std::int64_t> ids;
  ids.reserve(documents.size());
  for (const auto& document : documents) ids.push_back(document.id);
  return ids;
}

// The documents' lines, in line order (line_no 1, 2, ...: InvariantError otherwise).
void read_lines(soci::session& session, std::vector<invoice::Document>& documents) {
  const auto rows = db::query(
      session,
      "SELECT invoice_id, line_no, kind, coalesce(service, ''), description, quantity, CAST(unit_price AS text), "
      "       CAST(amount AS text), CAST(exact_amount AS text), vat_category, coalesce(CAST(vat_rate AS text), ''), "
      "       coalesce(agreement_id, ''), coalesce(agreement_version, 0), price_source, coalesce(exception_id, ''), "
      "       coalesce(exception_reason, ''), coalesce(to_char(days_from, 'YYYY-MM-DD'), ''), "
      "       coalesce(to_char(days_to, 'YYYY-MM-DD'), ''), corrects_invoice_id, coalesce(corrected_kind, ''), "
      "       credits_line_no "
      "  FROM invoice_line WHERE invoice_id = ANY($1::bigint[]) ORDER BY invoice_id, line_no",
      {id_array(ids_of(documents))});
  const DocumentIndex index = index_documents(documents);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::int64_t id = to_int(rows.text(r, 0));
    auto& lines = index.at(id)->invoice.lines;
    if (to_int(rows.text(r, 1)) != static_cast<std::int64_t>(lines.size()) + 1) {
      throw InvariantError(fmt::format("invoice {} has line {} after {} line(s): line numbers must run 1, 2, ...", id,
                                       rows.text(r, 1), lines.size()));
    }
    lines.push_back(line_from(rows, r, id));
  }
}

// The lineage of the documents' lines.
void read_lineage(soci::session& session, std::vector<invoice::Document>& documents) {
  const auto rows = db::query(session,
                              "SELECT invoice_id, line_no, coalesce(daily_volume_id, 0), service, "
                              "to_char(day, 'YYYY-MM-DD'), tags, business_days, quantity FROM v_invoice_line_volume "
                              "WHERE invoice_id = ANY($1::bigint[]) "
                              "ORDER BY invoice_id, line_no, day, service, tags, business_days",
                              {id_array(ids_of(documents))});
  const DocumentIndex index = index_documents(documents);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto& lines = index.at(to_int(rows.text(r, 0)))->invoice.lines;
    const auto line_no = static_cast<std::size_t>(to_int(rows.text(r, 1)));
    if (line_no < 1 || line_no > lines.size()) {
      throw InvariantError(
          fmt::format("lineage of invoice {} names line {}, which it lacks", rows.text(r, 0), line_no));
    }
    lines[line_no - 1].volumes.push_back(invoice::LineVolume{to_int(rows.text(r, 2)), rows.text(r, 3),
                                                             parse_date(rows.text(r, 4)), rows.text(r, 5),
                                                             to_small_int(rows.text(r, 6)), to_int(rows.text(r, 7))});
  }
}

// --- What billed a month -------------------------------------------------------------------

// Columns 2.. of billed_lines()'s query: invoice id, line no, kind (the corrected kind of a
// correction), service, price source, unit price, quantity, amount, VAT, agreement, exception.
invoice::BilledLine billed_line_from(const db::Rows& rows, std::size_t r) {
  invoice::BilledLine line;
  line.kind = line_kind(rows.text(r, 4), to_int(rows.text(r, 2)), rows.text(r, 3));
  line.service = rows.text(r, 5);
  line.price_source = rows.text(r, 6);
  line.unit_price = Decimal::parse(rows.text(r, 7));
  line.quantity = to_int(rows.text(r, 8));
  line.amount = Money::parse(rows.text(r, 9));
  line.vat = vat_from(rows.text(r, 10), rows.text(r, 11));
  line.agreement_id = rows.text(r, 12);
  line.agreement_version = to_small_int(rows.text(r, 13));
  line.exception_id = rows.text(r, 14);
  return line;
}

using BilledLineIndex = std::map<std::pair<std::int64_t, std::int64_t>, std::size_t>;  // (invoice, line no) -> index

// The lineage before `period` of the agencies' invoices (final ones, and drafts of other
// months), added to the billed lines it belongs to.
void read_billed_lineage(soci::session& session, Month period, const std::vector<std::string>& agencies,
                         const BilledLineIndex& line_at, std::vector<invoice::BilledLine>& lines) {
  const auto rows =
      db::query(session,
                "SELECT v.invoice_id, v.line_no, coalesce(v.daily_volume_id, 0), v.service, "
                "       to_char(v.day, 'YYYY-MM-DD'), v.tags, v.business_days, v.quantity "
                "  FROM v_invoice_line_volume v JOIN invoice i ON i.id = v.invoice_id "
                " WHERE i.agency = ANY($2::text[]) AND i.kind = 'invoice' AND (i.status = 'final' OR i.period <> $1) "
                "   AND v.day < $3::date ORDER BY v.invoice_id, v.line_no, v.day, v.service, v.tags, v.business_days",
                {period.to_string(), db::text_array(agencies), format_date(period.first_day())});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto found = line_at.find({to_int(rows.text(r, 0)), to_int(rows.text(r, 1))});
    if (found == line_at.end()) continue;
    lines[found->second].volumes.push_back(invoice::LineVolume{to_int(rows.text(r, 2)), rows.text(r, 3),
                                                               parse_date(rows.text(r, 4)), rows.text(r, 5),
                                                               to_small_int(rows.text(r, 6)), to_int(rows.text(r, 7))});
  }
}

}  // namespace

// --- Writing drafts ---------------------------------------------------------------------

std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows) {
  std::vector<std::int64_t> ids;
  if (invoices.empty()) return ids;
  const auto rows = db::query(session, "SELECT nextval('invoice_id_seq') FROM generate_series(1, $1::int)",
                              {std::to_string(invoices.size())});
  for (std::size_t r = 0; r < rows.size(); ++r) ids.push_back(to_int(rows.text(r, 0)));
  const std::optional<std::string> run = opt_number(job_run_id.has_value(), job_run_id.value_or(0));
  copy_headers(session, invoices, ids, run);
  copy_lines(session, invoices, ids);
  copy_vat(session, invoices, ids);
  const std::int64_t count = copy_lineage(session, invoices, ids);
  if (lineage_rows) *lineage_rows = count;
  return ids;
}

std::int64_t delete_month_drafts(soci::session& session, Month period, const std::optional<std::string>& agency) {
  return db::exec(session,
                  "DELETE FROM invoice WHERE status = 'draft' AND kind = 'invoice' AND period = $1 "
                  "AND ($2::text IS NULL OR agency = $2)",
                  {period.to_string(), agency});
}

void analyze_invoices(soci::session& session) {
  db::exec(session, "ANALYZE invoice, invoice_line, invoice_line_volume, invoice_vat");
}

// --- What billing reads -----------------------------------------------------------------

invoice::Readiness billing_readiness(soci::session& session, Month period, const std::optional<std::string>& agency) {
  const auto rows = db::query(session, "SELECT uncounted_days, unresolved_rejects FROM billing_readiness($1, $2)",
                              {period.to_string(), agency});
  return invoice::Readiness{to_int(rows.text(0, 0)), to_int(rows.text(0, 1))};
}

FinalInvoices final_invoices_until(soci::session& session, Month period, const std::optional<std::string>& agency) {
  const auto rows = db::query(session,
                              "SELECT agency, period, id, number, vat_group FROM invoice "
                              "WHERE status = 'final' AND kind = 'invoice' AND period <= $1 "
                              "AND ($2::text IS NULL OR agency = $2) AND NOT invoice_fully_credited(id) "
                              "ORDER BY agency, period, vat_group, number",
                              {period.to_string(), agency});
  FinalInvoices out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out[rows.text(r, 0)][rows.text(r, 1)].push_back(
        invoice::FinalInvoiceRef{to_int(rows.text(r, 2)), rows.text(r, 3), invoice::parse_vat_group(rows.text(r, 4))});
  }
  return out;
}

std::set<std::pair<std::string, std::string>> changed_since_final(soci::session& session, Month period,
                                                                  const std::optional<std::string>& agency) {
  const auto rows =
      db::query(session,
                "SELECT f.agency, f.period FROM (SELECT agency, period, min(finalized_at) AS finalized FROM invoice "
                "  WHERE status = 'final' AND kind = 'invoice' AND period < $1 AND ($2::text IS NULL OR agency = $2) "
                "    AND NOT invoice_fully_credited(id) "
                "  GROUP BY agency, period) f "
                "WHERE EXISTS (SELECT 1 FROM volume_change c WHERE c.agency = f.agency AND c.month <= f.period "
                "  AND c.month >= to_char(to_date(f.period || '-01', 'YYYY-MM-DD') - interval '11 months', 'YYYY-MM') "
                "  AND c.changed_at > f.finalized) "
                "OR EXISTS (SELECT 1 FROM agreement_version v WHERE v.client = f.agency AND v.loaded_at > f.finalized)",
                {period.to_string(), agency});
  std::set<std::pair<std::string, std::string>> out;
  for (std::size_t r = 0; r < rows.size(); ++r) out.emplace(rows.text(r, 0), rows.text(r, 1));
  return out;
}

BilledLines billed_lines(soci::session& session, Month period, const std::vector<std::string>& agencies) {
  BilledLines out;
  if (agencies.empty()) return out;
  const auto rows = db::query(
      session,
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
      "       CAST(l.unit_price AS text), l.quantity + c.quantity, CAST(l.amount + c.amount AS text), l.vat_category, "
      "       coalesce(CAST(l.vat_rate AS text), ''), coalesce(l.agreement_id, ''), coalesce(l.agreement_version, 0), "
      "       coalesce(l.exception_id, '') "
      "  FROM billed b JOIN invoice_line l ON l.invoice_id = b.invoice_id AND l.line_no = b.line_no "
      "  CROSS JOIN LATERAL (SELECT coalesce(sum(x.quantity), 0) AS quantity, coalesce(sum(x.amount), 0) AS amount, "
      "                             count(*) AS lines FROM invoice_credit_line x "
      "                       WHERE x.invoice_id = l.invoice_id AND x.line_no = l.line_no) c "
      " WHERE c.lines = 0 OR l.quantity + c.quantity <> 0 OR l.amount + c.amount <> 0 "
      " ORDER BY b.agency, b.period, b.invoice_id, b.line_no",
      {period.to_string(), db::text_array(agencies)});
  // The lines in order, their lineage by (invoice id, line no), then each to its month.
  std::vector<invoice::BilledLine> lines;
  lines.reserve(rows.size());
  BilledLineIndex line_at;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    lines.push_back(billed_line_from(rows, r));
    line_at[{to_int(rows.text(r, 2)), to_int(rows.text(r, 3))}] = r;
  }
  read_billed_lineage(session, period, agencies, line_at, lines);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out[rows.text(r, 0)][rows.text(r, 1)].push_back(std::move(lines[r]));
  }
  return out;
}

std::map<std::string, Money> month_net_totals(soci::session& session, Month period,
                                              const std::optional<std::string>& agency) {
  const auto rows = db::query(session,
                              "SELECT agency, CAST(sum(net_total) AS text) FROM invoice WHERE period = $1 "
                              "AND kind = 'invoice' AND ($2::text IS NULL OR agency = $2) GROUP BY agency",
                              {period.to_string(), agency});
  std::map<std::string, Money> out;
  for (std::size_t r = 0; r < rows.size(); ++r) out[rows.text(r, 0)] = Money::parse(rows.text(r, 1));
  return out;
}

// --- Finalisation, numbering and credit notes -------------------------------------------

std::vector<std::int64_t> lock_month_drafts(soci::session& session, Month period,
                                            const std::optional<std::string>& agency) {
  const auto rows = db::query(session,
                              "SELECT id FROM invoice WHERE status = 'draft' AND period = $1 "
                              "AND (kind = 'invoice' OR settles_year IS NOT NULL) "
                              "AND ($2::text IS NULL OR agency = $2) ORDER BY agency, vat_group, id FOR UPDATE",
                              {period.to_string(), agency});
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) ids.push_back(to_int(rows.text(r, 0)));
  return ids;
}

std::optional<SecondFinal> find_second_final(soci::session& session, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::nullopt;
  const auto rows = db::query(
      session,
      "SELECT d.agency, d.period, d.vat_group, f.number FROM invoice d JOIN invoice f ON f.agency = d.agency "
      "  AND f.period = d.period AND f.vat_group = d.vat_group AND f.status = 'final' AND f.kind = 'invoice' "
      "WHERE d.id = ANY($1::bigint[]) "
      "  AND NOT invoice_fully_credited(f.id) "
      "  AND NOT EXISTS (SELECT 1 FROM invoice_line l WHERE l.invoice_id IN (d.id, f.id) AND l.kind = 'settlement') "
      "ORDER BY 1, 2, 3 LIMIT 1",
      {id_array(ids)});
  if (rows.empty()) return std::nullopt;
  return SecondFinal{rows.text(0, 0), rows.text(0, 1), invoice::parse_vat_group(rows.text(0, 2)), rows.text(0, 3)};
}

std::vector<invoice::NumberedInvoice> assign_numbers(soci::session& session, const std::vector<std::int64_t>& ids,
                                                     Date issue_date) {
  constexpr std::int64_t kMaxNumber = 999'999;
  std::vector<invoice::NumberedInvoice> out;
  if (ids.empty()) return out;
  const std::string year = std::to_string(static_cast<int>(issue_date.year()));
  db::exec(session, "INSERT INTO invoice_counter (year) VALUES ($1::int) ON CONFLICT (year) DO NOTHING", {year});
  const std::int64_t last =
      to_int(db::scalar(session, "SELECT last_number FROM invoice_counter WHERE year = $1::int FOR UPDATE", {year}));
  if (last + static_cast<std::int64_t>(ids.size()) > kMaxNumber) {
    throw InvariantError(fmt::format("invoice numbers of {} would pass {}-{:06}", year, year, kMaxNumber));
  }
  // The due date: issue date + payment terms, moved to the next business day when it falls
  // on a weekend or holiday (Finnish payment practice); a credit note has none. A due date
  // the stored calendar does not reach is refused first, naming its year.
  const auto uncovered = db::query(
      session,
      "SELECT to_char(min(d.due), 'YYYY-MM-DD') FROM (SELECT $2::date + i.payment_terms_days AS due FROM invoice i "
      "  WHERE i.id = ANY($1::bigint[]) AND i.kind = 'invoice') d "
      "WHERE NOT EXISTS (SELECT 1 FROM business_calendar c WHERE c.day BETWEEN d.due AND d.due + 14 "
      "                    AND c.is_business_day)",
      {id_array(ids), format_date(issue_date)});
  if (!uncovered.empty() && !uncovered.is_null(0, 0)) {
    (void)business_day_on_or_after(session, parse_date(uncovered.text(0, 0)));  // throws, naming the year
  }
  const auto rows = db::query(
      session,
      "WITH d AS (SELECT id, ordinality AS rn FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ordinality)) "
      "UPDATE invoice i SET status = 'final', number = $2 || '-' || lpad(($3::int + d.rn)::text, 6, '0'), "
      "       issue_date = $4::date, "
      "       due_date = CASE WHEN i.kind = 'credit_note' THEN NULL ELSE "
      "         (SELECT min(c.day) FROM business_calendar c WHERE c.is_business_day "
      "             AND c.day BETWEEN $4::date + i.payment_terms_days AND $4::date + i.payment_terms_days + 14) END, "
      "       finalized_at = now() "
      "  FROM d WHERE i.id = d.id AND i.status = 'draft' "
      "RETURNING d.rn, i.number, i.agency, i.vat_group, CAST(i.gross_total AS text), "
      "          coalesce(to_char(i.due_date, 'YYYY-MM-DD'), '')",
      {id_array(ids), year, std::to_string(last), format_date(issue_date)});
  if (rows.size() != ids.size()) {
    throw InvariantError(
        fmt::format("finalising {} invoice(s) updated {}: another run changed them", ids.size(), rows.size()));
  }
  db::exec(session, "UPDATE invoice_counter SET last_number = last_number + $2::int WHERE year = $1::int",
           {year, std::to_string(ids.size())});
  out.resize(ids.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto index = static_cast<std::size_t>(to_int(rows.text(r, 0)) - 1);
    out[index] = invoice::NumberedInvoice{rows.text(r, 1), rows.text(r, 2), invoice::parse_vat_group(rows.text(r, 3)),
                                          Money::parse(rows.text(r, 4)), opt_date(rows.text(r, 5))};
  }
  return out;
}

namespace {

// What the credit notes of `document` (an invoice) took of each line so far, and the
// correction lines of final invoices that correct it and are not credited to zero.
void read_credited(soci::session& session, invoice::Document& document) {
  if (document.invoice.kind != invoice::InvoiceKind::invoice) return;
  document.credited.assign(document.invoice.lines.size(), invoice::LineCredited{});
  const auto rows = db::query(session,
                              "SELECT line_no, credited_quantity, CAST(credited_amount AS text), "
                              "       CAST(credited_exact_amount AS text) "
                              "  FROM invoice_line_credit WHERE invoice_id = $1 AND credit_lines > 0 ORDER BY line_no",
                              {std::to_string(document.id)});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto line_no = static_cast<std::size_t>(to_int(rows.text(r, 0)));
    if (line_no < 1 || line_no > document.credited.size()) {
      throw InvariantError(
          fmt::format("a credit note credits line {} of invoice {}, which it lacks", line_no, document.number));
    }
    document.credited[line_no - 1] =
        invoice::LineCredited{to_int(rows.text(r, 1)), Money::parse(rows.text(r, 2)), Decimal::parse(rows.text(r, 3))};
  }
  const auto corrections = db::query(
      session,
      "SELECT c.number || ' line ' || l.line_no FROM invoice c JOIN invoice_line l ON l.invoice_id = c.id "
      "  JOIN invoice_line_credit s ON s.invoice_id = l.invoice_id AND s.line_no = l.line_no "
      " WHERE l.kind = 'correction' AND l.corrects_invoice_id = $1 AND c.id <> $1 AND c.kind = 'invoice' "
      "   AND c.status = 'final' AND (s.quantity + s.credited_quantity <> 0 OR s.amount + s.credited_amount <> 0) "
      " ORDER BY c.number, l.line_no",
      {std::to_string(document.id)});
  for (std::size_t r = 0; r < corrections.size(); ++r) document.corrected_on.push_back(corrections.text(r, 0));
}

}  // namespace

std::map<std::string, std::map<invoice::VatGroup, std::int64_t>> released_finals(
    soci::session& session, Month period, const std::optional<std::string>& agency) {
  const auto rows = db::query(session,
                              "SELECT agency, vat_group, max(id) FROM invoice WHERE status = 'final' "
                              "AND kind = 'invoice' AND period = $1 AND ($2::text IS NULL OR agency = $2) "
                              "AND settles_year IS NULL AND invoice_fully_credited(id) GROUP BY agency, vat_group",
                              {period.to_string(), agency});
  std::map<std::string, std::map<invoice::VatGroup, std::int64_t>> out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out[rows.text(r, 0)][invoice::parse_vat_group(rows.text(r, 1))] = to_int(rows.text(r, 2));
  }
  return out;
}

std::optional<invoice::Document> lock_invoice_by_number(soci::session& session, const std::string& number) {
  const auto rows = db::query(session, std::string(kDocumentSelect) + "WHERE i.number = $1 FOR UPDATE OF i", {number});
  if (rows.empty()) return std::nullopt;
  std::vector<invoice::Document> documents{document_from(rows, 0)};
  read_lines(session, documents);
  read_lineage(session, documents);
  read_credited(session, documents.front());
  // The language its particulars froze (a credit note's wording follows it).
  const auto language = db::query(
      session,
      "SELECT coalesce((SELECT language FROM invoice_printed_particulars WHERE invoice_id = $1::bigint), 'fi')",
      {std::to_string(documents.front().id)});
  documents.front().language = language.text(0, 0);
  return std::move(documents.front());
}

// --- What the exports read -------------------------------------------------------------

namespace {

// The details' address and e-invoice address of a provider row (street, postcode, city,
// country, e-invoice scheme, e-invoice id).
constexpr const char* kAddressColumns =
    "coalesce(details #>> '{address,street}', ''), coalesce(details #>> '{address,postcode}', ''), "
    "coalesce(details #>> '{address,city}', ''), coalesce(details #>> '{address,country}', ''), "
    "coalesce(details #>> '{einvoice,scheme}', ''), coalesce(details #>> '{einvoice,id}', '')";

std::optional<invoice::Party> read_provider(soci::session& session) {
  const auto rows =
      db::query(session, std::string("SELECT name, business_id, coalesce(vat_id, ''), ") + kAddressColumns +
                             ", coalesce(details #>> '{payment,iban}', ''), "
                             "coalesce(details #>> '{payment,bic}', ''), "
                             "coalesce(details #>> '{einvoice,operator}', '') FROM provider ORDER BY id LIMIT 1");
  if (rows.empty()) return std::nullopt;
  invoice::Party provider;
  provider.name = rows.text(0, 0);
  provider.business_id = rows.text(0, 1);
  provider.vat_id = rows.text(0, 2);
  provider.street = rows.text(0, 3);
  provider.postcode = rows.text(0, 4);
  provider.city = rows.text(0, 5);
  provider.country = rows.text(0, 6);
  provider.einvoice_scheme = rows.text(0, 7);
  provider.einvoice_id = rows.text(0, 8);
  provider.iban = rows.text(0, 9);
  provider.bic = rows.text(0, 10);
  provider.einvoice_operator = rows.text(0, 11);
  return provider;
}

invoice::Party buyer_from(const db::Rows& rows, std::size_t r) {
  invoice::Party buyer;
  buyer.name = rows.text(r, 17);
  buyer.business_id = rows.text(r, 18);
  buyer.branch = rows.text(r, 19);
  buyer.account_manager = rows.text(r, 20);
  buyer.street = rows.text(r, 21);
  buyer.postcode = rows.text(r, 22);
  buyer.city = rows.text(r, 23);
  buyer.country = rows.text(r, 24);
  buyer.einvoice_scheme = rows.text(r, 25);
  buyer.einvoice_id = rows.text(r, 26);
  buyer.orderer = rows.text(r, 27);
  buyer.einvoice_operator = rows.text(r, 46);
  return buyer;
}

invoice::Party seller_from(const db::Rows& rows, std::size_t r) {
  invoice::Party seller;
  seller.name = rows.text(r, 29);
  seller.business_id = rows.text(r, 30);
  seller.vat_id = rows.text(r, 31);
  seller.street = rows.text(r, 32);
  seller.postcode = rows.text(r, 33);
  seller.city = rows.text(r, 34);
  seller.country = rows.text(r, 35);
  seller.einvoice_scheme = rows.text(r, 36);
  seller.einvoice_id = rows.text(r, 37);
  seller.iban = rows.text(r, 38);
  seller.bic = rows.text(r, 39);
  seller.einvoice_operator = rows.text(r, 47);
  return seller;
}

invoice::PrintedInvoice printed_invoice_from(const db::Rows& rows, std::size_t r) {
  invoice::PrintedInvoice printed;
  printed.id = to_int(rows.text(r, 0));
  printed.number = rows.text(r, 1);
  printed.status = invoice::parse_invoice_status(rows.text(r, 2));
  printed.kind = invoice::parse_invoice_kind(rows.text(r, 3));
  printed.agency = rows.text(r, 4);
  printed.period = Month::parse(rows.text(r, 28));
  printed.group = invoice::parse_vat_group(rows.text(r, 5));
  printed.issue_date = opt_date(rows.text(r, 6));
  printed.due_date = opt_date(rows.text(r, 7));
  printed.payment_terms_days = to_small_int(rows.text(r, 8));
  printed.buyer_reference = rows.text(r, 9);
  printed.agreement_id = rows.text(r, 10);
  printed.agreement_version = rows.text(r, 11);
  printed.net = Money::parse(rows.text(r, 12));
  printed.vat_total = Money::parse(rows.text(r, 13));
  printed.gross = Money::parse(rows.text(r, 14));
  printed.credited_number = rows.text(r, 15);
  printed.credit_reason = rows.text(r, 16);
  if (rows.text(r, 40) != "t") {
    throw InvariantError(fmt::format("final invoice {} (id {}) has no frozen particulars (invoice_particulars)",
                                     printed.number, printed.id));
  }
  printed.replaces_number = rows.text(r, 42);
  printed.buyer = buyer_from(rows, r);
  printed.seller = seller_from(rows, r);
  printed.currency = rows.text(r, 41);
  printed.reference = rows.text(r, 43);
  printed.rf_reference = rows.text(r, 44);
  printed.language = rows.text(r, 45);
  return printed;
}

std::vector<invoice::PrintedInvoice> read_printed_invoices(soci::session& session, Month period) {
  const auto rows = db::query(
      session,
      "SELECT i.id, coalesce(i.number, ''), i.status, i.kind, i.agency, i.vat_group, "
      "       coalesce(to_char(i.issue_date, 'YYYY-MM-DD'), ''), coalesce(to_char(i.due_date, 'YYYY-MM-DD'), ''), "
      "       p.payment_terms_days, p.buyer_reference, coalesce(i.agreement_id, ''), "
      "       coalesce(CAST(i.agreement_version AS text), ''), CAST(i.net_total AS text), CAST(i.vat_total AS text), "
      "       CAST(i.gross_total AS text), coalesce(c.number, ''), coalesce(i.credit_reason, ''), "
      "       p.buyer_name, p.buyer_business_id, p.buyer_branch, p.buyer_account_manager, p.buyer_street, "
      "       p.buyer_postcode, p.buyer_city, p.buyer_country, p.buyer_einvoice_scheme, p.buyer_einvoice_id, "
      "       p.buyer_orderer, i.period, "
      "       p.seller_name, p.seller_business_id, p.seller_vat_id, p.seller_street, p.seller_postcode, "
      "       p.seller_city, p.seller_country, p.seller_einvoice_scheme, p.seller_einvoice_id, p.seller_iban, "
      "       p.seller_bic, p.invoice_id IS NOT NULL, coalesce(CAST(i.currency AS text), 'EUR'), "
      "       coalesce((SELECT rp.number FROM invoice rp WHERE rp.id = i.replaces_invoice_id), ''), "
      "       coalesce(i.reference, ''), coalesce(i.rf_reference, ''), coalesce(p.language, 'fi'), "
      "       coalesce(p.buyer_einvoice_operator, ''), coalesce(p.seller_einvoice_operator, '') "
      "  FROM invoice i LEFT JOIN invoice_printed_particulars p ON p.invoice_id = i.id "
      "  LEFT JOIN invoice c ON c.id = i.credited_invoice_id "
      " WHERE i.period = $1 ORDER BY i.agency, i.kind DESC, i.vat_group, i.number NULLS FIRST, i.id",
      {period.to_string()});
  std::vector<invoice::PrintedInvoice> invoices;
  invoices.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) invoices.push_back(printed_invoice_from(rows, r));
  return invoices;
}

invoice::PrintedLine printed_line_from(const db::Rows& rows, std::size_t r, std::int64_t invoice_id) {
  invoice::PrintedLine line;
  line.line_no = to_small_int(rows.text(r, 1));
  line.kind = line_kind(rows.text(r, 2), invoice_id, rows.text(r, 1));
  line.service = rows.text(r, 3);
  line.service_name = rows.text(r, 4);
  line.unit = rows.text(r, 5);
  line.description = rows.text(r, 6);
  line.quantity = to_int(rows.text(r, 7));
  line.unit_price = rows.text(r, 8);
  line.amount = Money::parse(rows.text(r, 9));
  line.vat_category = rows.text(r, 10);
  line.vat_rate = rows.text(r, 11);
  line.exception_id = rows.text(r, 12);
  line.exception_reason = rows.text(r, 13);
  line.agreement_id = rows.text(r, 14);
  line.agreement_version = rows.text(r, 15);
  line.vat_exemption_reason = rows.text(r, 16);
  line.corrects_number = rows.text(r, 17);
  return line;
}

using PrintedIndex = std::unordered_map<std::int64_t, invoice::PrintedInvoice*>;

void read_printed_lines(soci::session& session, Month period, const PrintedIndex& index) {
  const auto rows = db::query(
      session,
      "SELECT l.invoice_id, l.line_no, l.kind, coalesce(l.service, ''), p.service_name, p.unit, "
      "       p.description, l.quantity, CAST(l.unit_price AS text), CAST(l.amount AS text), l.vat_category, "
      "       coalesce(CAST(l.vat_rate AS text), ''), coalesce(l.exception_id, ''), coalesce(l.exception_reason, ''), "
      "       coalesce(l.agreement_id, ''), coalesce(CAST(l.agreement_version AS text), ''), "
      "       p.vat_exemption_reason, "
      "       coalesce((SELECT c.number FROM invoice c WHERE c.id = l.corrects_invoice_id), "
      "                (SELECT c.number FROM invoice c WHERE c.id = i.credited_invoice_id), '') "
      "  FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
      "  JOIN invoice_line_printed_particulars p ON p.invoice_id = l.invoice_id AND p.line_no = l.line_no "
      " WHERE i.period = $1 ORDER BY l.invoice_id, l.line_no",
      {period.to_string()});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::int64_t id = to_int(rows.text(r, 0));
    const auto found = index.find(id);
    if (found != index.end()) found->second->lines.push_back(printed_line_from(rows, r, id));
  }
}

void read_printed_vat(soci::session& session, Month period, const PrintedIndex& index) {
  const auto rows = db::query(session,
                              "SELECT v.invoice_id, v.vat_category, coalesce(CAST(v.vat_rate AS text), ''), "
                              "CAST(v.net_amount AS text), CAST(v.vat_amount AS text) FROM invoice_vat v "
                              "JOIN invoice i ON i.id = v.invoice_id WHERE i.period = $1 "
                              "ORDER BY v.invoice_id, v.vat_category, v.vat_rate NULLS FIRST",
                              {period.to_string()});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto found = index.find(to_int(rows.text(r, 0)));
    if (found == index.end()) continue;
    found->second->vat.push_back(invoice::PrintedVat{rows.text(r, 1), rows.text(r, 2), Money::parse(rows.text(r, 3)),
                                                     Money::parse(rows.text(r, 4))});
  }
}

}  // namespace

invoice::MonthInvoices read_month_invoices(soci::session& session, Month period) {
  invoice::MonthInvoices month;
  month.period = period;
  month.provider = read_provider(session);
  month.invoices = read_printed_invoices(session, period);
  PrintedIndex index;
  for (auto& printed : month.invoices) index.emplace(printed.id, &printed);
  read_printed_lines(session, period, index);
  read_printed_vat(session, period, index);
  return month;
}

// --- Other ------------------------------------------------------------------------------

Date helsinki_today(soci::session& session) {
  return parse_date(db::scalar(session, "SELECT to_char(now() AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM-DD')"));
}

// ---- settlement (costs) ----------------------------------------------------------------

namespace {

std::vector<costing::InvoicedAmount> invoiced_amounts(const db::Rows& rows) {
  std::vector<costing::InvoicedAmount> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.push_back(costing::InvoicedAmount{rows.text(r, 0), rows.text(r, 1), Money::parse(rows.text(r, 2))});
  }
  return out;
}

std::vector<std::string> first_column(const db::Rows& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) out.push_back(rows.text(r, 0));
  return out;
}

}  // namespace

std::vector<costing::InvoicedAmount> settlement_revenue(soci::session& session, int year) {
  return invoiced_amounts(db::query(session,
                                    "SELECT service, agency, CAST(amount AS text) FROM settlement_revenue($1::int) "
                                    "ORDER BY service, agency",
                                    {std::to_string(year)}));
}

Money final_revenue_total(soci::session& session, int year) {
  return Money::parse(
      db::scalar(session, "SELECT CAST(settlement_revenue_total($1::int) AS text)", {std::to_string(year)}));
}

std::vector<std::string> settlement_blocking_drafts(soci::session& session, int year) {
  return first_column(db::query(session,
                                "SELECT agency || ' ' || period FROM settlement_blocking_drafts($1::int) "
                                "ORDER BY period, agency",
                                {std::to_string(year)}));
}

std::vector<std::string> months_without_final_invoice(soci::session& session, int year) {
  return first_column(db::query(session, "SELECT period FROM months_without_final_invoice($1::int) ORDER BY period",
                                {std::to_string(year)}));
}

std::vector<costing::InvoicedAmount> final_settlement_amounts(soci::session& session, int year) {
  return invoiced_amounts(db::query(session,
                                    "SELECT service, agency, CAST(sum(amount) AS text) FROM settlement_lines($1::int) "
                                    "WHERE status = 'final' GROUP BY agency, service ORDER BY agency, service",
                                    {std::to_string(year)}));
}

int delete_settlement_drafts(soci::session& session, int year) {
  return static_cast<int>(db::exec(session,
                                   "DELETE FROM invoice i WHERE i.status = 'draft' AND "
                                   "i.period = $1::int || '-12' AND i.id IN (SELECT s.invoice_id FROM "
                                   "settlement_lines($1::int) s)",
                                   {std::to_string(year)}));
}

std::map<std::string, Money> settlement_sums(soci::session& session, int year) {
  const auto rows = db::query(session,
                              "SELECT service, CAST(sum(amount) AS text) FROM settlement_lines($1::int) "
                              "GROUP BY service",
                              {std::to_string(year)});
  std::map<std::string, Money> sums;
  for (std::size_t r = 0; r < rows.size(); ++r) sums[rows.text(r, 0)] = Money::parse(rows.text(r, 1));
  return sums;
}

// ---- drafts of removed agreement versions (contracts load) ----

std::optional<std::string> final_invoice_using(soci::session& session, const std::string& agreement_id, int version) {
  // Before the invoicing migration has run there are no invoices.
  if (db::scalar(session, "SELECT CAST(to_regclass($1) AS text)", {"invoice_line"}).empty()) return std::nullopt;
  const auto rows = db::query(session,
                              "SELECT i.number FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id "
                              "WHERE i.status = 'final' AND l.agreement_id = $1 AND l.agreement_version = $2::int "
                              "ORDER BY i.number LIMIT 1",
                              {agreement_id, std::to_string(version)});
  if (rows.empty() || rows.is_null(0, 0)) return std::nullopt;
  return rows.text(0, 0);
}

std::vector<std::string> delete_drafts_of_version(soci::session& session, const std::string& agreement_id,
                                                  int version) {
  const auto rows = db::query(session,
                              "WITH gone AS (DELETE FROM invoice i WHERE i.status = 'draft' AND "
                              "((i.agreement_id = $1 AND i.agreement_version = $2::int) OR EXISTS (SELECT 1 FROM "
                              "invoice_line l WHERE l.invoice_id = i.id AND l.agreement_id = $1 AND "
                              "l.agreement_version = $2::int)) RETURNING i.agency, i.period) "
                              "SELECT agency, period FROM gone ORDER BY period, agency",
                              {agreement_id, std::to_string(version)});
  std::vector<std::string> drafts;
  drafts.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) drafts.push_back(rows.text(r, 0) + " " + rows.text(r, 1));
  return drafts;
}

// ---- list prices in use (contracts load) ----

std::map<ListPrice, std::vector<std::string>> final_invoices_at_list_prices(soci::session& session,
                                                                            const std::vector<ListPrice>& prices) {
  std::map<ListPrice, std::vector<std::string>> out;
  if (prices.empty()) return out;
  std::vector<std::string> years;
  std::vector<std::string> services;
  for (const auto& [year, service] : prices) {
    years.push_back(std::to_string(year));
    services.push_back(service);
  }
  const auto rows = db::query(session,
                              "SELECT DISTINCT p.year, p.service, i.number "
                              "  FROM unnest($1::int[], $2::text[]) AS p(year, service) "
                              "  JOIN invoice_line l ON l.price_source = 'list ' || p.year AND l.service = p.service "
                              "  JOIN invoice i ON i.id = l.invoice_id "
                              " WHERE i.status = 'final' ORDER BY p.year, p.service, i.number",
                              {db::text_array(years), db::text_array(services)});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out[{to_small_int(rows.text(r, 0)), rows.text(r, 1)}].push_back(rows.text(r, 2));
  }
  return out;
}

}  // namespace costcover::store
