// Invoices written straight into a test database, as finalisation would leave them, for
// the settlement's tests: the lines' kind, service, amount and price source are what the
// settlement reads; a final invoice gets a number and dates after its lines are in (the
// triggers of sql/030 forbid adding lines to a final invoice).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "core/money.hpp"
#include "db/query.hpp"

namespace costcover::testing {

struct FixtureLine {
  std::string kind = "usage";
  std::string service;  // "" : none (fees and charges)
  Money amount;
  std::string price_source = "list 2026";
  std::optional<std::int64_t> corrects;  // correction lines: the invoice corrected
};

inline FixtureLine line(std::string kind, std::string service, Money amount, std::string price_source = "list 2026",
                        std::optional<std::int64_t> corrects = std::nullopt) {
  return FixtureLine{std::move(kind), std::move(service), amount, std::move(price_source), corrects};
}

struct FixtureInvoice {
  std::string status = "final";  // draft | final
  std::string agency;
  std::string period;
  bool vat = false;  // the VAT group: lines S 25.5 %; otherwise group O
  std::vector<FixtureLine> lines;
  std::optional<std::int64_t> credits;  // a credit note of this invoice
};

// Returns the invoice's id. Final invoices are numbered YYYY-9NNNNN (the period's year),
// issued on the 28th day of their period, due 21 days later.
inline std::int64_t add_invoice(soci::session& session, const FixtureInvoice& invoice) {
  Money net;
  for (const auto& line : invoice.lines) net += line.amount;
  const Money tax = invoice.vat ? Money::from_cents((net.cents() * 255 + 500) / 1000) : Money();
  const std::string id = db::scalar(
      session,
      "INSERT INTO invoice (status, kind, agency, period, vat_group, payment_terms_days, buyer_reference, net_total, "
      "vat_total, gross_total, credited_invoice_id, credit_reason) VALUES ('draft', $1, $2, $3, $4, 21, 'REF', "
      "$5::numeric, $6::numeric, $7::numeric, $8::bigint, $9) RETURNING id",
      {invoice.credits ? "credit_note" : "invoice", invoice.agency, invoice.period, invoice.vat ? "VAT" : "O",
       net.to_string(), tax.to_string(), (net + tax).to_string(),
       invoice.credits ? std::optional<std::string>(std::to_string(*invoice.credits)) : std::nullopt,
       invoice.credits ? std::optional<std::string>("credited in a test") : std::nullopt});
  int line_no = 0;
  for (const auto& line : invoice.lines) {
    db::exec(
        session,
        "INSERT INTO invoice_line (invoice_id, line_no, kind, service, description, quantity, unit_price, "
        "amount, exact_amount, vat_category, vat_rate, price_source, corrects_invoice_id) VALUES ($1::bigint, "
        "$2::int, $3, $4, $3, 1, $5::numeric, $5::numeric, $5::numeric, $6, $7::numeric, $8, $9::bigint)",
        {id, std::to_string(++line_no), line.kind,
         line.service.empty() ? std::nullopt : std::optional<std::string>(line.service), line.amount.to_string(),
         invoice.vat ? "S" : "O", invoice.vat ? std::optional<std::string>("25.5") : std::nullopt, line.price_source,
         line.corrects ? std::optional<std::string>(std::to_string(*line.corrects)) : std::nullopt});
  }
  if (invoice.status == "final") {
    db::exec(session,
             "UPDATE invoice SET status = 'final', number = substr(period, 1, 4) || '-9' || lpad((SELECT "
             "count(*) + 1 FROM invoice WHERE number IS NOT NULL)::text, 5, '0'), issue_date = (period || "
             "'-01')::date + 27, due_date = (period || '-01')::date + 48 WHERE id = $1::bigint",
             {id});
  }
  return std::stoll(id);
}

}  // namespace costcover::testing
