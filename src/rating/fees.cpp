#include "rating/fees.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "core/phrases.hpp"
#include "rating/window.hpp"

namespace costcover::rating::detail {
namespace {

using model::Agreement;
using model::AgreementException;

constexpr std::int64_t kUnitsPerCent = Decimal::kOne / 100;

[[nodiscard]] const model::Fee* find_fee(const Agreement* version, const std::string& id, model::FeePer per) {
  if (version == nullptr) {
    return nullptr;
  }
  for (const model::Fee& fee : version->fees) {
    if (fee.id == id && fee.per == per) {
      return &fee;
    }
  }
  return nullptr;
}

// A fee line: amount rounded once from the exact value (exact_units in millionths).
void fee_line(const Agreement& version, const model::Fee& fee, Money amount, Int128 exact_units, DateRange days,
              std::string description, Worksheet& sheet) {
  PendingLine p = prototype(LineKind::fee, version, fee.service, money_as_decimal(amount), "fee " + fee.id, "",
                            std::move(description));
  p.section = Section::fees;
  p.line.quantity = 1;
  p.line.amount = amount;
  p.line.exact_amount = Decimal::from_units(narrow(exact_units, "fee"));
  p.line.days = days;
  p.line.vat = sheet.paid_service_vat(fee.service, fee.where, "fee " + fee.id);
  const std::string key = line_key(p) + "|" + format_date(days.from);
  (void)sheet.line(key, std::move(p));
}

void bill_monthly_fee(const std::vector<const Agreement*>& versions, const std::string& id, Worksheet& sheet) {
  const DateRange month = sheet.input().month.range();
  const long days_in_month = month.days();
  for (const FeeRun& run : monthly_fee_runs(versions, month.from, id)) {
    const long days = run.days.days();
    const Int128 cents = run.fee->amount.cents();
    const Money amount = Money::from_cents(narrow(divide_round(cents * days, days_in_month), "fee"));
    const std::string& language = sheet.input().language;
    std::string description = phrase(Phrase::fee, language, id);
    if (days < days_in_month) {
      description += phrase(Phrase::fee_pro_rated_range, language, days, days_in_month, format_range(run.days));
    }
    fee_line(*run.version, *run.fee, amount, divide_round(cents * kUnitsPerCent * days, days_in_month), run.days,
             std::move(description), sheet);
  }
}

void bill_yearly_fee(const Group& group, const std::string& id, Worksheet& sheet) {
  const DateRange window = year_window(group, sheet.input().month);
  Int128 sum = 0;
  long listed = 0;
  std::optional<FeeRun> first;
  for (Date day = window.from; day <= window.to; day = next_day(day)) {
    const Agreement* version = model::version_in_force_among(group.versions, day);
    const model::Fee* fee = find_fee(version, id, model::FeePer::year);
    if (fee == nullptr) {
      continue;
    }
    sum += fee->amount.cents();
    ++listed;
    if (!first) {
      first = FeeRun{{day, day}, version, fee};
    }
  }
  if (!first || Month::of(first->days.from) != sheet.input().month) {
    return;
  }
  const Money amount = Money::from_cents(narrow(divide_round(sum, window.days()), "fee"));
  const std::string& language = sheet.input().language;
  std::string description = phrase(Phrase::fee_year, language, id, format_range(window));
  if (listed < window.days()) {
    description += phrase(Phrase::fee_pro_rated, language, listed, window.days());
  }
  fee_line(*first->version, *first->fee, amount, divide_round(sum * kUnitsPerCent, window.days()), window,
           std::move(description), sheet);
}

// The charges of the agreement dated in the month, each id once, by date and id.
[[nodiscard]] std::vector<const AgreementException*> dated_charges(const Group& group, DateRange month) {
  std::vector<const AgreementException*> dated;
  std::set<std::string> seen;
  for (const Agreement* version : group.versions) {
    for (const AgreementException& exception : version->exceptions) {
      if (exception.kind == model::ExceptionKind::charge && exception.date && month.contains(*exception.date) &&
          seen.insert(exception.id).second) {
        dated.push_back(&exception);
      }
    }
  }
  std::stable_sort(dated.begin(), dated.end(), [](const AgreementException* a, const AgreementException* b) {
    return std::tie(*a->date, a->id) < std::tie(*b->date, b->id);
  });
  return dated;
}

[[nodiscard]] const AgreementException* listed_charge(const Agreement* version, const std::string& id) {
  const AgreementException* charge = nullptr;
  if (version != nullptr) {
    for (const AgreementException& exception : version->exceptions) {
      if (exception.kind == model::ExceptionKind::charge && exception.id == id) {
        charge = &exception;
      }
    }
  }
  return charge;
}

// The charge as version lists it, billed on day (the date of the charge first listed).
void charge_line(const Agreement& version, const AgreementException& charge, Date day, Worksheet& sheet) {
  PendingLine p = prototype(LineKind::charge, version, charge.service, money_as_decimal(*charge.amount),
                            "exception " + charge.id, charge.id, charge.reason);
  p.section = Section::charges;
  p.line.quantity = 1;
  p.line.amount = *charge.amount;
  p.line.exact_amount = money_as_decimal(*charge.amount);
  p.line.days = {day, day};
  p.line.vat = sheet.paid_service_vat(charge.service, charge.where, "charge " + charge.id);
  (void)sheet.line(std::move(p));
  sheet.finding(
      FindingKind::charge, &version, "", charge.id, 1,
      "charge " + charge.id + " of " + charge.amount->to_string() + " on " + format_date(day) + ": " + charge.reason);
}

}  // namespace

std::vector<FeeRun> monthly_fee_runs(const std::vector<const Agreement*>& versions, Date month_start,
                                     const std::string& id) {
  std::vector<FeeRun> runs;
  std::size_t i = 0;
  while (i < versions.size()) {
    const model::Fee* fee = find_fee(versions[i], id, model::FeePer::month);
    if (fee == nullptr) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < versions.size()) {
      const model::Fee* next = find_fee(versions[j + 1], id, model::FeePer::month);
      if (next == nullptr || next->amount != fee->amount) {
        break;
      }
      ++j;
    }
    runs.push_back({{month_start + boost::gregorian::days(static_cast<long>(i)),
                     month_start + boost::gregorian::days(static_cast<long>(j))},
                    versions[j],
                    fee});
    i = j + 1;
  }
  return runs;
}

void bill_fees(const Group& group, Worksheet& sheet) {
  const DateRange month = sheet.input().month.range();
  std::vector<const Agreement*> versions;  // in force on each day of the month
  std::vector<std::pair<std::string, model::FeePer>> fees;
  for (Date day = month.from; day <= month.to; day = next_day(day)) {
    const Agreement* version = model::version_in_force_among(group.versions, day);
    versions.push_back(version);
    if (version == nullptr) {
      continue;
    }
    for (const model::Fee& fee : version->fees) {
      if (std::find(fees.begin(), fees.end(), std::make_pair(fee.id, fee.per)) == fees.end()) {
        fees.emplace_back(fee.id, fee.per);
      }
    }
  }
  for (const auto& [id, per] : fees) {
    if (per == model::FeePer::month) {
      bill_monthly_fee(versions, id, sheet);
    } else {
      bill_yearly_fee(group, id, sheet);
    }
  }
}

void bill_charges(const Group& group, Worksheet& sheet) {
  for (const AgreementException* named : dated_charges(group, sheet.input().month.range())) {
    const Date day = *named->date;
    const Agreement* version = model::version_in_force_among(group.versions, day);
    const AgreementException* charge = listed_charge(version, named->id);
    if (charge == nullptr) {
      sheet.finding(FindingKind::charge_not_billed, version, "", named->id, 0,
                    "charge " + named->id + " dated " + format_date(day) + " is not billed: " +
                        (version == nullptr ? std::string("no version of ") + group.id + " is in force that day"
                                            : "version " + std::to_string(version->version) + " of " + group.id +
                                                  " in force that day does not list it"));
      continue;
    }
    if (!charge->amount) {
      sheet.error(charge->where, "charge " + charge->id + " has no amount");
      continue;
    }
    charge_line(*version, *charge, day, sheet);
  }
}

}  // namespace costcover::rating::detail
