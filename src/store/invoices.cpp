#include "store/invoices.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "db/copy.hpp"
#include "db/query.hpp"

namespace costcover::store {
namespace {

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw std::runtime_error("expected an integer from the database, got \"" + std::string(text) + "\"");
  }
  return value;
}

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

std::optional<std::string> opt_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

Date helsinki_today(soci::session& session) {
  const auto rows = db::query(session, "SELECT to_char(now() AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM-DD')");
  return parse_date(rows.text(0, 0));
}

std::vector<std::int64_t> insert_invoices(soci::session& session, const std::vector<invoice::Invoice>& invoices,
                                          std::optional<std::int64_t> job_run_id, std::int64_t* lineage_rows) {
  std::vector<std::int64_t> ids;
  if (invoices.empty()) return ids;
  const auto rows = db::query(session, "SELECT nextval('invoice_id_seq') FROM generate_series(1, $1::int)",
                              {std::to_string(invoices.size())});
  for (std::size_t r = 0; r < rows.size(); ++r) ids.push_back(to_int(rows.text(r, 0)));

  const std::optional<std::string> run =
      job_run_id ? std::optional<std::string>(std::to_string(*job_run_id)) : std::nullopt;
  {
    db::CopyIn copy(session,
                    "COPY invoice (id, status, kind, agency, period, vat_group, payment_terms_days, buyer_reference, "
                    "agreement_id, agreement_version, net_total, vat_total, gross_total, credited_invoice_id, "
                    "credit_reason, job_run_id) FROM STDIN (FORMAT text)");
    std::string out;
    for (std::size_t i = 0; i < invoices.size(); ++i) {
      const auto& invoice = invoices[i];
      const auto& header = invoice.header;
      row(out, {std::to_string(ids[i]), "draft", to_string(invoice.kind), header.agency, header.period.to_string(),
                to_string(invoice.group), std::to_string(header.payment_terms_days), header.buyer_reference,
                opt_text(header.agreement_id),
                header.agreement_id.empty() ? std::nullopt
                                            : std::optional<std::string>(std::to_string(header.agreement_version)),
                invoice.net.to_string(), invoice.vat_total.to_string(), invoice.gross.to_string(),
                invoice.credited_invoice_id ? std::optional<std::string>(std::to_string(*invoice.credited_invoice_id))
                                            : std::nullopt,
                opt_text(invoice.credit_reason), run});
    }
    copy.write(out);
    copy.finish();
  }
  {
    db::CopyIn copy(
        session,
        "COPY invoice_line (invoice_id, line_no, kind, service, description, quantity, unit_price, amount, "
        "exact_amount, vat_category, vat_rate, agreement_id, agreement_version, price_source, exception_id, "
        "exception_reason, days_from, days_to, corrects_invoice_id, corrected_kind) FROM STDIN (FORMAT text)");
    std::string out;
    for (std::size_t i = 0; i < invoices.size(); ++i) {
      int line_no = 0;
      for (const auto& line : invoices[i].lines) {
        ++line_no;
        row(out, {std::to_string(ids[i]),
                  std::to_string(line_no),
                  line.kind,
                  opt_text(line.service),
                  line.description,
                  std::to_string(line.quantity),
                  line.unit_price.to_string(4),
                  line.amount.to_string(),
                  line.exact_amount.to_string(6),
                  model::vat_code(line.vat.category),
                  line.vat.rate ? std::optional<std::string>(line.vat.rate->to_string(2)) : std::nullopt,
                  opt_text(line.agreement_id),
                  line.agreement_id.empty() ? std::nullopt
                                            : std::optional<std::string>(std::to_string(line.agreement_version)),
                  line.price_source,
                  opt_text(line.exception_id),
                  opt_text(line.exception_reason),
                  line.days ? std::optional<std::string>(format_date(line.days->from)) : std::nullopt,
                  line.days ? std::optional<std::string>(format_date(line.days->to)) : std::nullopt,
                  line.corrects_invoice_id ? std::optional<std::string>(std::to_string(*line.corrects_invoice_id))
                                           : std::nullopt,
                  opt_text(line.corrected_kind)});
        if (out.size() > (1u << 20)) {
          copy.write(out);
          out.clear();
        }
      }
    }
    copy.write(out);
    copy.finish();
  }
  {
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
  {
    db::CopyIn copy(session,
                    "COPY invoice_line_volume (invoice_id, line_no, agency, service, days, tags, business_days, "
                    "quantities, daily_volume_ids) FROM STDIN (FORMAT text)");
    std::string out;
    std::int64_t count = 0;
    std::string days, tags, business_days, quantities, volume_ids;
    for (std::size_t i = 0; i < invoices.size(); ++i) {
      int line_no = 0;
      const std::string id = std::to_string(ids[i]);
      for (const auto& line : invoices[i].lines) {
        ++line_no;
        if (line.volumes.empty()) continue;
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
        row(out, {id, std::to_string(line_no), invoices[i].header.agency, line.volumes.front().service, days, tags,
                  business_days, quantities, volume_ids});
        count += static_cast<std::int64_t>(line.volumes.size());
        if (out.size() > (1u << 20)) {
          copy.write(out);
          out.clear();
        }
      }
    }
    copy.write(out);
    copy.finish();
    if (lineage_rows) *lineage_rows = count;
  }
  return ids;
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
                                   "DELETE FROM invoice i WHERE i.status = 'draft' AND i.kind = 'invoice' AND "
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

}  // namespace costcover::store
