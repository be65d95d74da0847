#include "store/invoices.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "db/copy.hpp"
#include "db/query.hpp"
#include "model/line_kind.hpp"

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

invoice::Readiness billing_readiness(soci::session& session, Month period, const std::optional<std::string>& agency) {
  const auto rows = db::query(session, "SELECT uncounted_days, unresolved_rejects FROM billing_readiness($1, $2)",
                              {period.to_string(), agency});
  return invoice::Readiness{to_int(rows.text(0, 0)), to_int(rows.text(0, 1))};
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
        row(out,
            {std::to_string(ids[i]),
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
             line.agreement_id.empty() ? std::nullopt
                                       : std::optional<std::string>(std::to_string(line.agreement_version)),
             line.price_source,
             opt_text(line.exception_id),
             opt_text(line.exception_reason),
             line.days ? std::optional<std::string>(format_date(line.days->from)) : std::nullopt,
             line.days ? std::optional<std::string>(format_date(line.days->to)) : std::nullopt,
             line.corrects_invoice_id ? std::optional<std::string>(std::to_string(*line.corrects_invoice_id))
                                      : std::nullopt,
             line.corrected_kind ? std::optional<std::string>(model::to_string(*line.corrected_kind)) : std::nullopt});
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

}  // namespace costcover::store
