#include "rating/worksheet.hpp"

#include <limits>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace costcover::rating::detail {

std::int64_t narrow(Int128 value, const char* what) {
  if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min()) {
    throw InvariantError(std::string("rating: ") + what + " does not fit in 64 bits");
  }
  return static_cast<std::int64_t>(value);
}

Decimal money_as_decimal(Money amount) {
  try {
    return Decimal::from_money(amount);
  } catch (const std::overflow_error&) {
    throw InvariantError("rating: amount does not fit in 64 bits");
  }
}

std::string exception_text(const model::AgreementException& exception) {
  return exception.id + ": " + exception.reason;
}

std::vector<Group> group_versions(std::span<const model::Agreement> agreements) {
  std::vector<Group> groups;
  for (const model::Agreement& agreement : agreements) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.id == agreement.id; });
    if (it == groups.end()) {
      groups.push_back({agreement.id, {}, agreement.valid});
      it = std::prev(groups.end());
    }
    it->versions.push_back(&agreement);
    it->span.from = std::min(it->span.from, agreement.valid.from);
    it->span.to = std::max(it->span.to, agreement.valid.to);
  }
  return groups;
}

std::vector<DayTerms> day_terms(const Group& group, const std::string& service, DateRange range) {
  std::vector<DayTerms> days;
  days.reserve(static_cast<std::size_t>(range.days()));
  for (Date day = range.from; day <= range.to; day = next_day(day)) {
    DayTerms terms;
    terms.day = day;
    terms.version = model::version_in_force_among(group.versions, day);
    if (terms.version != nullptr) {
      terms.terms = terms.version->terms_for(service);
    }
    days.push_back(terms);
  }
  return days;
}

PendingLine prototype(LineKind kind, const model::Agreement& version, const std::string& service, Decimal unit_price,
                      std::string source, std::string exception_id, std::string description) {
  PendingLine p;
  p.line.kind = kind;
  p.line.service = service;
  p.line.agreement_id = version.id;
  p.line.agreement_version = version.version;
  p.line.unit_price = unit_price;
  p.line.price_source = std::move(source);
  p.line.exception_id = std::move(exception_id);
  p.line.description = std::move(description);
  return p;
}

std::string line_key(const PendingLine& pending) {
  const InvoiceLine& l = pending.line;
  return to_string(l.kind) + "|" + l.service + "|" + l.agreement_id + "|" + std::to_string(l.agreement_version) + "|" +
         std::to_string(l.unit_price.units()) + "|" + l.price_source + "|" + l.exception_id + "|" + l.description;
}

std::string Worksheet::subject() const { return "rating " + in_.agency + " " + in_.month.to_string(); }

std::size_t Worksheet::line(PendingLine&& prototype) {
  const std::string key = line_key(prototype);
  return line(key, std::move(prototype));
}

std::size_t Worksheet::line(const std::string& key, PendingLine&& prototype) {
  auto [it, inserted] = line_index_.emplace(key, lines_.size());
  if (inserted) {
    prototype.sequence = lines_.size();
    lines_.push_back(std::move(prototype));
  }
  return it->second;
}

void Worksheet::add_units(std::size_t index, const DailyVolume& row, std::int64_t quantity, Date day) {
  PendingLine& pending = lines_[index];
  InvoiceLine& l = pending.line;
  if (l.sources.empty()) {
    l.days = {day, day};
  } else {
    l.days.from = std::min(l.days.from, day);
    l.days.to = std::max(l.days.to, day);
  }
  l.quantity += quantity;
  if (pending.last_row == &row) {
    l.sources.back().quantity += quantity;
  } else {
    l.sources.push_back({row.id, quantity});
    pending.last_row = &row;
  }
}

void Worksheet::finding(FindingKind kind, const model::Agreement* version, const std::string& service,
                        const std::string& exception_id, std::int64_t quantity, std::string message) {
  RatingFinding f;
  f.kind = kind;
  if (version != nullptr) {
    f.agreement_id = version->id;
    f.agreement_version = version->version;
  }
  f.service = service;
  f.exception_id = exception_id;
  f.quantity = quantity;
  f.message = std::move(message);
  findings_.push_back(std::move(f));
}

void Worksheet::error(const Location& where, std::string message) {
  for (const Finding& known : errors_) {
    if (known.message == message) {
      return;
    }
  }
  errors_.push_back({where, std::move(message)});
}

model::Vat Worksheet::paid_service_vat(const std::string& service, const Location& where, const std::string& what) {
  const model::Service* paid = in_.catalog->find(service);
  if (paid == nullptr) {
    error(where, subject() + ": " + what + " pays for service \"" + service + "\", which is not in the catalog");
    return {};
  }
  return paid->vat;
}

RatingResult Worksheet::finish() {
  std::stable_sort(lines_.begin(), lines_.end(), [](const PendingLine& a, const PendingLine& b) {
    return std::make_tuple(a.section, a.service_order, model::rank(a.line.kind), a.sequence) <
           std::make_tuple(b.section, b.service_order, model::rank(b.line.kind), b.sequence);
  });
  RatingResult result;
  result.lines.reserve(lines_.size());
  for (PendingLine& p : lines_) {
    InvoiceLine& l = p.line;
    if (model::is_priced(l.kind)) {
      l.amount = multiply_round(l.quantity, l.unit_price);
      l.exact_amount = Decimal::from_units(narrow(static_cast<Int128>(l.quantity) * l.unit_price.units(), "amount"));
    } else if (l.quantity != 1 || l.unit_price != money_as_decimal(l.amount)) {
      throw InvariantError(subject() + ": " + to_string(l.kind) + " line '" + l.description + "' has quantity " +
                           std::to_string(l.quantity) + " and unit price " + l.unit_price.to_string(4) +
                           " but amount " + l.amount.to_string());
    }
    result.lines.push_back(std::move(l));
  }
  result.findings = std::move(findings_);
  result.targets = std::move(targets_);
  return result;
}

}  // namespace costcover::rating::detail
