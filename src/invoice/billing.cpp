#include "invoice/billing.hpp"

#include "core/errors.hpp"
#include "invoice/header.hpp"

namespace costcover::invoice {
namespace {

std::vector<rating::DailyVolume> slice(std::span<const rating::DailyVolume> rows, Date from, Date to) {
  std::vector<rating::DailyVolume> out;
  for (const auto& row : rows) {
    if (row.day >= from && row.day <= to) out.push_back(row);
  }
  return out;
}

Date day_before(Month month) { return month.first_day() - boost::gregorian::days(1); }

const std::vector<BilledLine>& billed_for(const AgencyMonth& input, const std::string& month) {
  static const std::vector<BilledLine> kNothing;
  if (input.billed == nullptr) return kNothing;
  const auto found = input.billed->find(month);
  return found != input.billed->end() ? found->second : kNothing;
}

// The month rated under `price_lists` (rate_month's work).
std::vector<Line> rate_at(const AgencyMonth& input, Month month, std::span<const rating::DailyVolume> volumes,
                          std::span<const rating::DailyVolume> history, std::span<const model::PriceList> price_lists,
                          std::vector<rating::RatingFinding>* findings) {
  rating::RatingInput rating_input;
  rating_input.agency = input.agency;
  rating_input.month = month;
  rating_input.catalog = &input.contracts->catalog;
  rating_input.agreements = input.agreements;
  rating_input.price_lists = price_lists;
  rating_input.volumes = volumes;
  rating_input.history = history;
  rating_input.language = input.language;
  const rating::RatingResult result = rating::rate(rating_input);
  std::vector<Line> lines;
  lines.reserve(result.lines.size());
  const VolumeIndex index = index_volumes(volumes);
  for (const auto& rated : result.lines) lines.push_back(from_rated(rated, index, input.agreements));
  if (findings != nullptr) *findings = result.findings;
  return lines;
}

// The corrections of one earlier final month: re-rated with today's volumes at the list
// prices it was billed at, compared with what was billed for it.
std::vector<Line> corrections_of(const AgencyMonth& input, const std::string& month_text,
                                 const std::vector<FinalInvoiceRef>& finals) {
  const Month month = Month::parse(month_text);
  const auto volumes = slice(input.history, month.first_day(), month.last_day());
  const auto history = slice(input.history, rating::history_from(input.agreements, month), day_before(month));
  const std::vector<BilledLine>& billed = billed_for(input, month_text);
  const auto prices = billed_price_lists(input.contracts->price_lists, billed);
  const auto rerated = rate_at(input, month, volumes, history, prices, nullptr);
  return correction_lines(month, finals, rerated, billed, input.contracts->catalog, input.language);
}

}  // namespace

std::vector<Line> rate_month(const AgencyMonth& input, Month month, std::span<const rating::DailyVolume> volumes,
                             std::span<const rating::DailyVolume> history,
                             std::vector<rating::RatingFinding>* findings) {
  return rate_at(input, month, volumes, history, input.contracts->price_lists, findings);
}

AgencyBill bill_agency(const AgencyMonth& input) {
  if (input.contracts == nullptr) throw InvariantError("bill_agency for " + input.agency + " without contracts");
  AgencyBill bill;
  std::vector<Line> lines;
  if (input.in_force) {
    std::vector<rating::RatingFinding> findings;
    const auto history =
        slice(input.history, rating::history_from(input.agreements, input.period), day_before(input.period));
    lines = rate_month(input, input.period, input.volumes, history, &findings);
    for (const auto& finding : findings) {
      if (finding.kind != rating::FindingKind::deadline_met) bill.findings.push_back(finding.message);
    }
  }
  if (input.to_correct != nullptr) {
    for (const auto& [month, finals] : *input.to_correct) {
      const auto corrections = corrections_of(input, month, finals);
      bill.corrections += static_cast<int>(corrections.size());
      lines.insert(lines.end(), corrections.begin(), corrections.end());
    }
  }
  bill.invoices = assemble_invoices(header_for(input.agency, input.period, input.agreements, input.period.range()),
                                    InvoiceKind::invoice, lines);
  for (const auto& invoice : bill.invoices) {
    check_invoice(invoice, input.agency + " " + input.period.to_string() + " " + to_string(invoice.group));
  }
  return bill;
}

}  // namespace costcover::invoice
