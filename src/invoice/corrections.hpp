// Corrections of a month already finalised (pure): the month re-rated with today's counted
// volumes at the list prices it was billed at (billed_price_lists), compared per group
// (kind, service, price source, unit price for priced lines, VAT) with what its final
// invoices and the corrections made since billed. Priced kinds (usage, over_limit,
// true_up: model::is_priced) are compared on quantity and corrected at their unit price;
// the others (fee, charge, sla_credit) on amount. Each difference becomes a `correction`
// line pointing at the final invoice of the month in the same VAT group.
// Corrections and settlements already among the lines are not compared: a correction is
// billed as the kind it corrects, and a settlement belongs to the year, not the month.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "invoice/invoice.hpp"
#include "model/line_kind.hpp"
#include "model/model.hpp"

namespace costcover::invoice {

// A line that already billed the month: a line of one of its final invoices, or a
// correction of it (then kind is the corrected kind).
struct BilledLine {
  model::LineKind kind = model::LineKind::usage;
  std::string service;
  std::string price_source;
  Decimal unit_price;
  std::int64_t quantity = 0;
  Money amount;
  model::Vat vat;
  std::string agreement_id;
  int agreement_version = 0;
  std::string exception_id;
  std::vector<LineVolume> volumes;
};

struct FinalInvoiceRef {
  std::int64_t id = 0;
  std::string number;
  VatGroup group = VatGroup::not_subject;
};

// The correction lines for one agency and one finalised month, in catalog order of
// service (lines without a service last), then kind (model::rank). `finals` must not be
// empty.
[[nodiscard]] std::vector<Line> correction_lines(Month period, const std::vector<FinalInvoiceRef>& finals,
                                                 const std::vector<Line>& rerated,
                                                 const std::vector<BilledLine>& billed, const model::Catalog& catalog,
                                                 const std::string& language);

// The price lists a finalised month was billed at: `lists` with the price of every service
// that a billed line of the month took from a list (a priced kind with price source "list
// YEAR") set to that line's unit price, so that re-rating the month for its corrections
// never takes a list price changed since (contracts load refuses such a change, but the
// month's own lines are the record). Where billed lines of one service and list disagree
// (corrections made at another price before this rule), the first one counts: billed lines
// come in invoice order, the month's final invoice before the corrections of it.
[[nodiscard]] std::vector<model::PriceList> billed_price_lists(std::span<const model::PriceList> lists,
                                                               const std::vector<BilledLine>& billed);

}  // namespace costcover::invoice
