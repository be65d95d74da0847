// The rating engine. One Rater per call of rate(): it groups the agreement versions by
// id, assigns each daily volume row to the one agreement that covers its service on its
// day, rates each (agreement, service) of the month over its `per` window, then adds
// fees and charges, orders the lines and checks the invariants stated in rating.hpp.
#include "rating/rating.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/errors.hpp"
#include "core/int128.hpp"
#include "rating/queries.hpp"

namespace costcover::rating {

using model::Agreement;
using model::AgreementException;
using model::ExceptionKind;
using model::ServiceTerms;


std::string to_string(FindingKind kind) {
  switch (kind) {
    case FindingKind::over_limit_billed:
      return "over_limit_billed";
    case FindingKind::over_limit_flagged:
      return "over_limit_flagged";
    case FindingKind::limits_suspended:
      return "limits_suspended";
    case FindingKind::true_up:
      return "true_up";
    case FindingKind::excluded:
      return "excluded";
    case FindingKind::price_exception:
      return "price_exception";
    case FindingKind::deadline_met:
      return "deadline_met";
    case FindingKind::deadline_missed:
      return "deadline_missed";
    case FindingKind::deadline_waived:
      return "deadline_waived";
    case FindingKind::charge:
      return "charge";
    case FindingKind::charge_not_billed:
      return "charge_not_billed";
    case FindingKind::unbilled_volume:
      return "unbilled_volume";
    case FindingKind::vat_defaulted:
      return "vat_defaulted";
  }
  return "unknown";
}

Money RatingResult::total() const {
  Money sum;
  for (const InvoiceLine& line : lines) {
    sum += line.amount;
  }
  return sum;
}

namespace {

using detail::day_index;
using detail::next_day;

constexpr std::int64_t kUnitsPerCent = Decimal::kOne / 100;

[[nodiscard]] std::int64_t narrow(Int128 value, const char* what) {
  if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min()) {
    throw InvariantError(std::string("rating: ") + what + " does not fit in 64 bits");
  }
  return static_cast<std::int64_t>(value);
}

[[nodiscard]] Decimal money_as_decimal(Money amount) {
  return Decimal::from_units(narrow(static_cast<Int128>(amount.cents()) * kUnitsPerCent, "amount"));
}

[[nodiscard]] std::string range_text(const DateRange& range) {
  return format_date(range.from) + ".." + format_date(range.to);
}

// "94.17" from a share met/measured, with 2 decimals rounded half away from zero.
[[nodiscard]] std::string percent_text(std::int64_t met, std::int64_t measured) {
  const auto hundredths = narrow(divide_round(static_cast<Int128>(met) * 10'000, measured), "percent");
  std::string cents = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + (cents.size() < 2 ? "0" + cents : cents);
}

[[nodiscard]] std::string exception_text(const AgreementException& exception) {
  return exception.id + ": " + exception.reason;
}

struct Group {
  std::string id;
  std::vector<const Agreement*> versions;
  DateRange span;  // earliest from .. latest to over the versions
};

// The versions of each agreement id, in the order the ids first appear.
[[nodiscard]] std::vector<Group> group_versions(std::span<const Agreement> agreements) {
  std::vector<Group> groups;
  for (const Agreement& agreement : agreements) {
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

struct DayTerms {
  Date day;
  const Agreement* version = nullptr;
  const ServiceTerms* terms = nullptr;
};

// A limit as it applies to one window: the written limit of each day in force, summed
// and divided by the window's days, rounded to the nearest whole unit.
struct EffectiveLimit {
  bool present = false;
  std::int64_t value = 0;        // after pro-rating and suspensions
  std::int64_t unsuspended = 0;  // as if no limits_suspended exception applied
  std::int64_t written = 0;      // as the last version in force writes it
  const AgreementException* suspended_by = nullptr;
  long suspended_days = 0;
};

struct TargetStat {
  model::PerformanceTarget target;
  std::int64_t measured = 0;
  std::int64_t met = 0;
  std::set<int> versions;  // the versions that carry this target in the month
  const Agreement* last_version = nullptr;
};

[[nodiscard]] bool same_target(const model::PerformanceTarget& a, const model::PerformanceTarget& b) {
  return a.metric == b.metric && a.max_business_days == b.max_business_days && a.target_share == b.target_share &&
         a.credit_percent == b.credit_percent;
}

struct PendingLine {
  InvoiceLine line;
  int section = 0;  // 0 service lines, 1 fees, 2 charges
  int service_order = 0;
  std::size_t sequence = 0;
  const DailyVolume* last_row = nullptr;  // to merge consecutive shares of one row
};

[[nodiscard]] int kind_rank(LineKind kind) { return model::rank(kind); }

class Rater {
 public:
  explicit Rater(const RatingInput& input) : in_(input) {}

  RatingResult run();

 private:
  // Everything about one (agreement, service) of the month.
  struct ServiceMonth {
    const Group* group = nullptr;
    std::string service;
    const model::Service* catalog_service = nullptr;
    std::string name;
    int order = 0;
    std::vector<const DailyVolume*> rows;  // the month's rows this agreement covers, by day
  };

  void group_agreements();
  [[nodiscard]] std::vector<DayTerms> day_terms(const Group& group, const std::string& service, DateRange range) const;
  void assign_rows();
  void rate_service(ServiceMonth& sm);
  void rate_fees(const Group& group);
  void rate_charges(const Group& group);
  void finish();

  [[nodiscard]] const AgreementException* excluded_by(const Agreement& version, const std::string& service,
                                                      const DailyVolume& row) const;
  [[nodiscard]] EffectiveLimit effective_limit(const std::vector<DayTerms>& window, long window_days,
                                               const std::string& service, bool lower) const;
  // The unit price of a day's units outside exceptions and limits: list, agreement or tier.
  struct BasePrice {
    Decimal unit_price;
    std::string source;
    std::string detail;          // ", tier 2 (units 1001 to 2000)"
    std::int64_t tier_end = -1;  // last position of the tier, -1 when open
  };
  [[nodiscard]] std::optional<BasePrice> base_price(const ServiceTerms& terms, const Agreement& version, Date day,
                                                    std::int64_t position);
  [[nodiscard]] model::Vat common_vat(const Agreement& version, const std::vector<std::string>& services,
                                      const std::string& what);

  std::size_t line(const std::string& key, PendingLine&& prototype);
  void add_units(std::size_t index, const DailyVolume& row, std::int64_t quantity, Date day);
  void finding(FindingKind kind, const Agreement* version, const std::string& service, const std::string& exception_id,
               std::int64_t quantity, std::string message);
  void error(const Location& where, std::string message) {
    // The same problem is met on every day and unit it touches: report it once.
    for (const Finding& known : errors_) {
      if (known.message == message) {
        return;
      }
    }
    errors_.push_back({where, std::move(message)});
  }

  const RatingInput& in_;
  std::vector<Group> groups_;
  std::vector<ServiceMonth> service_months_;
  std::vector<PendingLine> lines_;
  std::map<std::string, std::size_t> line_index_;
  std::vector<RatingFinding> findings_;
  std::vector<Finding> errors_;
  std::map<std::string, std::vector<const DailyVolume*>> history_;  // by service
};

void Rater::group_agreements() {
  groups_ = group_versions(in_.agreements);
  for (const Agreement& agreement : in_.agreements) {
    if (!in_.agency.empty() && agreement.client != in_.agency) {
      error(agreement.where, "rating " + in_.agency + " " + in_.month.to_string() + ": agreement " + agreement.id +
                                 " version " + std::to_string(agreement.version) + " is for client " +
                                 agreement.client + ", not " + in_.agency);
    }
  }
}

std::vector<DayTerms> Rater::day_terms(const Group& group, const std::string& service, DateRange range) const {
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

// The year window of an agreement that contains month: 12 billing months counted from
// the month in which its earliest version starts.
[[nodiscard]] DateRange year_window(const Group& group, Month month) {
  const Month anchor = Month::of(group.span.from);
  const int offset = detail::months_between(anchor, month);
  const int years = offset >= 0 ? offset / 12 : -((-offset + 11) / 12);
  const Month first = detail::add_months(anchor, years * 12);
  return {first.first_day(), detail::add_months(first, 11).last_day()};
}

void Rater::assign_rows() {
  const DateRange month = in_.month.range();
  // Services each agreement offers on some day of the month, in agreement and listed order.
  std::map<std::pair<std::string, long>, const Group*> owner;  // (service, day) -> agreement
  for (const Group& group : groups_) {
    std::vector<std::string> services;
    for (Date day = month.from; day <= month.to; day = next_day(day)) {
      const Agreement* version = model::version_in_force_among(group.versions, day);
      if (version == nullptr) {
        continue;
      }
      for (const ServiceTerms& terms : version->services) {
        if (std::find(services.begin(), services.end(), terms.service) == services.end()) {
          services.push_back(terms.service);
        }
        auto [it, inserted] = owner.emplace(std::make_pair(terms.service, day_index(month.from, day)), &group);
        if (!inserted && it->second != &group) {
          error(version->where, "service " + terms.service + " on " + format_date(day) + " is covered by both " +
                                    it->second->id + " and " + group.id);
        }
      }
    }
    for (const std::string& service : services) {
      ServiceMonth sm;
      sm.group = &group;
      sm.service = service;
      sm.catalog_service = in_.catalog->find(service);
      sm.order = in_.catalog->order_of(service);
      if (sm.catalog_service == nullptr) {
        error(group.versions.front()->where,
              "agreement " + group.id + " names service " + service + ", which is not in the catalog");
        continue;
      }
      sm.name = sm.catalog_service->name_in(in_.language);
      service_months_.push_back(std::move(sm));
    }
  }

  std::vector<const DailyVolume*> rows;
  rows.reserve(in_.volumes.size());
  for (const DailyVolume& row : in_.volumes) {
    if (row.quantity < 0 || row.transactions < 0) {
      throw InvariantError("rating " + in_.agency + " " + in_.month.to_string() + ": daily volume " +
                           std::to_string(row.id) + " has a negative count");
    }
    if (!month.contains(row.day)) {
      throw InvariantError("rating " + in_.agency + " " + in_.month.to_string() + ": daily volume " +
                           std::to_string(row.id) + " is dated " + format_date(row.day) + ", outside the month");
    }
    rows.push_back(&row);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const DailyVolume* a, const DailyVolume* b) {
    return std::tie(a->service, a->day, a->id) < std::tie(b->service, b->day, b->id);
  });
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> unbilled;  // service -> (transactions, quantity)
  for (const DailyVolume* row : rows) {
    auto it = owner.find({row->service, day_index(month.from, row->day)});
    ServiceMonth* target = nullptr;
    if (it != owner.end()) {
      for (ServiceMonth& sm : service_months_) {
        if (sm.group == it->second && sm.service == row->service) {
          target = &sm;
          break;
        }
      }
    }
    if (target == nullptr) {
      auto& [transactions, quantity] = unbilled[row->service];
      transactions += row->transactions;
      quantity += row->quantity;
      continue;
    }
    target->rows.push_back(row);
  }
  for (const auto& [service, counts] : unbilled) {
    finding(FindingKind::unbilled_volume, nullptr, service, "", counts.second,
            service + ": " + std::to_string(counts.first) + " transactions (" + std::to_string(counts.second) +
                " units) not billed: no agreement in force covers the service on their days");
  }
}

const AgreementException* Rater::excluded_by(const Agreement& version, const std::string& service,
                                             const DailyVolume& row) const {
  for (const AgreementException& exception : version.exceptions) {
    if (exception.kind != ExceptionKind::exclude || !exception.applies_to_service(service) ||
        !exception.in_period(row.day)) {
      continue;
    }
    if (exception.tags.empty()) {
      return &exception;
    }
    for (const std::string& tag : exception.tags) {
      if (std::find(row.tags.begin(), row.tags.end(), tag) != row.tags.end()) {
        return &exception;
      }
    }
  }
  return nullptr;
}

EffectiveLimit Rater::effective_limit(const std::vector<DayTerms>& window, long window_days, const std::string& service,
                                      bool lower) const {
  EffectiveLimit limit;
  Int128 active = 0;
  Int128 all = 0;
  for (const DayTerms& day : window) {
    if (day.terms == nullptr) {
      continue;
    }
    const auto& written = lower ? day.terms->volume.lower_limit : day.terms->volume.upper_limit;
    if (!written) {
      continue;
    }
    limit.present = true;
    limit.written = *written;
    all += *written;
    const AgreementException* suspension =
        lower ? detail::first_exception(*day.version, ExceptionKind::limits_suspended, service, day.day) : nullptr;
    if (suspension != nullptr) {
      if (limit.suspended_by == nullptr) {
        limit.suspended_by = suspension;
      }
      ++limit.suspended_days;
    } else {
      active += *written;
    }
  }
  limit.unsuspended = narrow(divide_round(all, window_days), "limit");
  limit.value = narrow(divide_round(active, window_days), "limit");
  return limit;
}

std::optional<Rater::BasePrice> Rater::base_price(const ServiceTerms& terms, const Agreement& version, Date day,
                                                  std::int64_t position) {
  switch (terms.price.model) {
    case model::PriceModel::list: {
      const int year = detail::year_of(day);
      const std::optional<Decimal> price = detail::list_price(in_.price_lists, year, terms.service);
      if (!price) {
        error(terms.where, "rating " + in_.agency + " " + in_.month.to_string() + ": " + terms.service +
                               " is priced from the list but price list " + std::to_string(year) +
                               (std::any_of(in_.price_lists.begin(), in_.price_lists.end(),
                                            [&](const model::PriceList& l) { return l.year == year; })
                                    ? " does not list it"
                                    : " is missing"));
        return std::nullopt;
      }
      return BasePrice{*price, "list " + std::to_string(year), "", -1};
    }
    case model::PriceModel::unit_price:
      return BasePrice{terms.price.unit_price, "agreement", "", -1};
    case model::PriceModel::tiers: {
      std::int64_t start = 1;
      for (std::size_t i = 0; i < terms.price.tiers.size(); ++i) {
        const model::Tier& tier = terms.price.tiers[i];
        const std::string name = "tier " + std::to_string(i + 1);
        if (!tier.up_to) {
          return BasePrice{tier.unit_price, name, ", " + name + " (units above " + std::to_string(start - 1) + ")", -1};
        }
        if (position <= *tier.up_to) {
          return BasePrice{
              tier.unit_price, name,
              ", " + name + " (units " + std::to_string(start) + " to " + std::to_string(*tier.up_to) + ")",
              *tier.up_to};
        }
        start = *tier.up_to + 1;
      }
      error(terms.where, "rating " + in_.agency + " " + in_.month.to_string() + ": unit " + std::to_string(position) +
                             " of " + terms.service + " in agreement " + version.id + " version " +
                             std::to_string(version.version) + " is above the last tier (" + std::to_string(start - 1) +
                             "); the last tier needs no up_to");
      return std::nullopt;
    }
  }
  return std::nullopt;
}

model::Vat Rater::common_vat(const Agreement& version, const std::vector<std::string>& services,
                             const std::string& what) {
  std::optional<model::Vat> common;
  bool mixed = false;
  for (const std::string& id : services) {
    const model::Service* service = in_.catalog->find(id);
    if (service == nullptr) {
      continue;
    }
    if (!common) {
      common = service->vat;
    } else if (!detail::same_vat(*common, service->vat)) {
      mixed = true;
    }
  }
  if (mixed) {
    finding(FindingKind::vat_defaulted, &version, "", "", 0,
            what + ": the agreement's services are of different VAT categories; billed as not subject to VAT (O)");
    return {};
  }
  return common.value_or(model::Vat{});
}

std::size_t Rater::line(const std::string& key, PendingLine&& prototype) {
  auto [it, inserted] = line_index_.emplace(key, lines_.size());
  if (inserted) {
    prototype.sequence = lines_.size();
    lines_.push_back(std::move(prototype));
  }
  return it->second;
}

void Rater::add_units(std::size_t index, const DailyVolume& row, std::int64_t quantity, Date day) {
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

void Rater::finding(FindingKind kind, const Agreement* version, const std::string& service,
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

namespace {

[[nodiscard]] std::string limit_text(const char* which, const EffectiveLimit& limit, bool yearly) {
  std::string text = std::string(yearly ? "yearly " : "") + which + " " + std::to_string(limit.value);
  if (limit.value != limit.unsuspended || limit.unsuspended != limit.written) {
    text += " (written " + std::to_string(limit.written) + ")";
  }
  return text;
}

[[nodiscard]] PendingLine prototype(LineKind kind, const Agreement& version, const std::string& service,
                                    Decimal unit_price, std::string source, std::string exception_id,
                                    std::string description) {
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

[[nodiscard]] std::string line_key(const PendingLine& p) {
  const InvoiceLine& l = p.line;
  return to_string(l.kind) + "|" + l.service + "|" + l.agreement_id + "|" + std::to_string(l.agreement_version) + "|" +
         std::to_string(l.unit_price.units()) + "|" + l.price_source + "|" + l.exception_id + "|" + l.description;
}

}  // namespace

void Rater::rate_service(ServiceMonth& sm) {
  const Group& group = *sm.group;
  const std::string& service = sm.service;
  const DateRange month = in_.month.range();
  const std::size_t first_line = lines_.size();
  const std::vector<DayTerms> month_days = day_terms(group, service, month);

  model::Window per = model::Window::month;
  const Agreement* last_version = nullptr;
  std::map<int, DateRange> month_versions;  // version -> its days in the month for this service
  std::vector<TargetStat> stats;
  for (const DayTerms& day : month_days) {
    if (day.terms == nullptr) {
      continue;
    }
    per = day.terms->volume.per;
    last_version = day.version;
    auto [days, inserted] = month_versions.emplace(day.version->version, DateRange{day.day, day.day});
    days->second.to = day.day;
    for (const model::PerformanceTarget& target : day.terms->performance) {
      auto it =
          std::find_if(stats.begin(), stats.end(), [&](const TargetStat& s) { return same_target(s.target, target); });
      if (it == stats.end()) {
        stats.push_back({target, 0, 0, {}, nullptr});
        it = std::prev(stats.end());
      }
      it->versions.insert(day.version->version);
      it->last_version = day.version;
    }
  }
  if (last_version == nullptr) {
    return;
  }
  const bool yearly = per == model::Window::year;
  const DateRange window = yearly ? year_window(group, in_.month) : month;
  const long window_days = window.days();
  const std::vector<DayTerms> window_terms = yearly ? day_terms(group, service, window) : month_days;
  const Month last_billing_month = yearly ? std::min(Month::of(window.to), Month::of(group.span.to)) : in_.month;
  const EffectiveLimit lower = effective_limit(window_terms, window_days, service, true);
  const EffectiveLimit upper = effective_limit(window_terms, window_days, service, false);

  // Billable units of the window's earlier days: they fix where this month starts in the
  // tiers and against the limits.
  std::int64_t prior = 0;
  if (yearly) {
    if (auto it = history_.find(service); it != history_.end()) {
      for (const DailyVolume* row : it->second) {
        if (row->day < window.from || row->day >= month.from) {
          continue;
        }
        const DayTerms& day = window_terms[static_cast<std::size_t>(day_index(window.from, row->day))];
        if (day.terms == nullptr || excluded_by(*day.version, service, *row) != nullptr) {
          continue;
        }
        prior += row->quantity;
      }
    }
  }

  std::int64_t position = prior;
  std::int64_t billable = 0;
  std::int64_t covered = 0;
  std::int64_t flagged = 0;
  std::int64_t over_billed = 0;
  Decimal over_price;
  std::int64_t suspended_over = 0;
  const AgreementException* suspended_by = nullptr;
  std::vector<std::pair<const AgreementException*, std::pair<std::int64_t, std::int64_t>>> excluded;  // tx, units
  std::vector<std::pair<const AgreementException*, std::int64_t>> priced;                             // units
  std::vector<std::pair<const AgreementException*, std::int64_t>> waived;                             // transactions
  auto bump = [](auto& list, const AgreementException* exception) -> auto& {
    auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == exception; });
    if (it == list.end()) {
      list.emplace_back(exception, typename std::decay_t<decltype(list)>::value_type::second_type{});
      it = std::prev(list.end());
    }
    return it->second;
  };

  std::size_t next_row = 0;
  for (const DayTerms& day : month_days) {
    if (day.terms == nullptr) {
      continue;
    }
    const ServiceTerms& terms = *day.terms;
    const Agreement& version = *day.version;
    const AgreementException* price_exception =
        detail::first_exception(version, ExceptionKind::price, service, day.day);
    const AgreementException* suspension =
        detail::first_exception(version, ExceptionKind::limits_suspended, service, day.day);
    const AgreementException* waiver = detail::first_exception(version, ExceptionKind::sla_waiver, service, day.day);
    const bool day_has_upper = upper.present && terms.volume.upper_limit.has_value();
    if (price_exception != nullptr && !price_exception->unit_price) {
      error(price_exception->where, "price exception " + price_exception->id + " has no unit_price");
      price_exception = nullptr;
    }
    while (next_row < sm.rows.size() && sm.rows[next_row]->day == day.day) {
      const DailyVolume& row = *sm.rows[next_row++];
      covered += row.quantity;
      // Deadlines: every delivered transaction counts, excluded or not, unless waived.
      if (!terms.performance.empty()) {
        if (waiver != nullptr) {
          bump(waived, waiver) += row.transactions;
        } else {
          for (const model::PerformanceTarget& target : terms.performance) {
            auto it = std::find_if(stats.begin(), stats.end(),
                                   [&](const TargetStat& s) { return same_target(s.target, target); });
            it->measured += row.transactions;
            if (row.business_days <= target.max_business_days) {
              it->met += row.transactions;
            }
          }
        }
      }
      if (const AgreementException* exclusion = excluded_by(version, service, row)) {
        PendingLine p = prototype(LineKind::usage, version, service, Decimal(), "exception " + exclusion->id,
                                  exclusion->id, sm.name + ", not billed (" + exception_text(*exclusion) + ")");
        add_units(line(line_key(p), std::move(p)), row, row.quantity, day.day);
        auto& counts = bump(excluded, exclusion);
        counts.first += row.transactions;
        counts.second += row.quantity;
        continue;
      }
      billable += row.quantity;
      std::int64_t remaining = row.quantity;
      while (remaining > 0) {
        const std::int64_t first = position + 1;
        std::int64_t end = position + remaining;
        const bool above = day_has_upper && first > upper.value;
        if (day_has_upper && !above) {
          end = std::min(end, upper.value);
        }
        PendingLine p;
        if (above && suspension == nullptr && terms.volume.over_limit == model::OverLimitMode::price) {
          over_price = terms.volume.over_limit_price;
          p = prototype(LineKind::over_limit, version, service, terms.volume.over_limit_price, "over_limit", "",
                        sm.name + ", above " + limit_text("upper_limit", upper, yearly));
          over_billed += end - position;
        } else {
          std::string description = sm.name;
          if (price_exception != nullptr) {
            p = prototype(LineKind::usage, version, service, *price_exception->unit_price,
                          "exception " + price_exception->id, price_exception->id, "");
            description += ", special price (" + exception_text(*price_exception) + ")";
            bump(priced, price_exception) += end - position;
          } else {
            const std::optional<BasePrice> base = base_price(terms, version, day.day, first);
            p = prototype(LineKind::usage, version, service, base ? base->unit_price : Decimal(),
                          base ? base->source : "missing", "", "");
            if (base) {
              description += base->detail;
              if (base->tier_end >= 0) {
                end = std::min(end, base->tier_end);
              }
            }
          }
          if (above && suspension != nullptr) {
            if (p.line.exception_id.empty()) {
              p.line.exception_id = suspension->id;
            }
            description += ", above " + limit_text("upper_limit", upper, yearly) + ", limits suspended (" +
                           exception_text(*suspension) + ")";
            suspended_over += end - position;
            suspended_by = suspended_by != nullptr ? suspended_by : suspension;
          } else if (above) {
            flagged += end - position;
          }
          p.line.description = std::move(description);
        }
        const std::int64_t count = end - position;
        add_units(line(line_key(p), std::move(p)), row, count, day.day);
        position = end;
        remaining -= count;
      }
    }
  }

  for (const auto& [exclusion, counts] : excluded) {
    finding(FindingKind::excluded, last_version, service, exclusion->id, counts.second,
            service + ": " + std::to_string(counts.first) + " transactions (" + std::to_string(counts.second) +
                " units) not billed and not counted toward tiers or limits (" + exception_text(*exclusion) + ")");
  }
  for (const auto& [exception, units] : priced) {
    finding(FindingKind::price_exception, last_version, service, exception->id, units,
            service + ": " + std::to_string(units) + " units priced at " + exception->unit_price->to_string(4) + " (" +
                exception_text(*exception) + ")");
  }
  if (flagged > 0) {
    finding(FindingKind::over_limit_flagged, last_version, service, "", flagged,
            service + ": " + limit_text("upper_limit", upper, yearly) + " exceeded by " + std::to_string(flagged) +
                ", flagged (billed at the normal price)");
  }
  if (over_billed > 0) {
    finding(FindingKind::over_limit_billed, last_version, service, "", over_billed,
            service + ": " + limit_text("upper_limit", upper, yearly) + " exceeded by " + std::to_string(over_billed) +
                ", billed at " + over_price.to_string(4) + " as over_limit");
  }
  if (suspended_over > 0) {
    finding(FindingKind::limits_suspended, last_version, service, suspended_by->id, suspended_over,
            service + ": " + limit_text("upper_limit", upper, yearly) + " exceeded by " +
                std::to_string(suspended_over) + " while limits were suspended (" + exception_text(*suspended_by) +
                "); billed at the normal price");
  }

  // True-up, on the window's last month.
  if (lower.present && in_.month == last_billing_month) {
    const std::int64_t volume = prior + billable;
    const bool reduced = lower.suspended_by != nullptr && lower.value < lower.unsuspended;
    if (lower.value > volume) {
      const std::int64_t shortfall = lower.value - volume;
      auto first =
          std::find_if(window_terms.begin(), window_terms.end(), [](const DayTerms& d) { return d.terms != nullptr; });
      auto last = std::find_if(window_terms.rbegin(), window_terms.rend(),
                               [](const DayTerms& d) { return d.terms != nullptr; });
      const std::optional<BasePrice> base = base_price(*first->terms, *first->version, first->day, 1);
      std::string description = sm.name + ", true-up to " + limit_text("lower_limit", lower, yearly);
      if (reduced) {
        description += ", reduced for " + std::to_string(lower.suspended_days) + " days of limits suspended (" +
                       exception_text(*lower.suspended_by) + ")";
      }
      description += ", billable volume " + std::to_string(volume);
      PendingLine p =
          prototype(LineKind::true_up, *last->version, service, base ? base->unit_price : Decimal(),
                    base ? base->source : "missing", reduced ? lower.suspended_by->id : "", std::move(description));
      p.line.days = month;
      const std::size_t index = line(line_key(p), std::move(p));
      lines_[index].line.quantity += shortfall;
      finding(FindingKind::true_up, last->version, service, reduced ? lower.suspended_by->id : "", shortfall,
              service + ": billable volume " + std::to_string(volume) + " is below " +
                  limit_text("lower_limit", lower, yearly) + "; true-up of " + std::to_string(shortfall) + " units");
    } else if (reduced && lower.unsuspended > volume) {
      finding(FindingKind::limits_suspended, last_version, service, lower.suspended_by->id, lower.unsuspended - volume,
              service + ": billable volume " + std::to_string(volume) + " is below lower_limit " +
                  std::to_string(lower.unsuspended) + " but limits were suspended for " +
                  std::to_string(lower.suspended_days) + " days (" + exception_text(*lower.suspended_by) +
                  "); no true-up");
    }
  }

  // Performance targets and credits.
  for (const auto& [waiver, transactions] : waived) {
    finding(FindingKind::deadline_waived, last_version, service, waiver->id, transactions,
            service + ": " + std::to_string(transactions) + " transactions not measured against deadlines (" +
                exception_text(*waiver) + ")");
  }
  for (const TargetStat& stat : stats) {
    if (stat.measured == 0) {
      continue;
    }
    const model::PerformanceTarget& target = stat.target;
    const bool missed = static_cast<Int128>(stat.met) * Decimal::kOne <
                        static_cast<Int128>(target.target_share.units()) * stat.measured;
    const std::string share =
        Decimal::from_units(narrow(static_cast<Int128>(target.target_share.units()) * 100, "share")).to_string();
    std::string measured = std::to_string(stat.met) + " of " + std::to_string(stat.measured) +
                           " measured transactions (" + percent_text(stat.met, stat.measured) + " %) within " +
                           std::to_string(target.max_business_days) + " business days, target " + share + " %";
    if (!missed) {
      finding(FindingKind::deadline_met, stat.last_version, service, "", stat.measured, service + ": " + measured);
      continue;
    }
    Money base;
    if (target.credit_percent) {
      for (std::size_t i = first_line; i < lines_.size(); ++i) {
        const InvoiceLine& l = lines_[i].line;
        if ((l.kind == LineKind::usage || l.kind == LineKind::over_limit || l.kind == LineKind::true_up) &&
            stat.versions.count(l.agreement_version) > 0) {
          base += multiply_round(l.quantity, l.unit_price);
        }
      }
    }
    if (!target.credit_percent || base == Money()) {
      finding(FindingKind::deadline_missed, stat.last_version, service, "", stat.measured,
              service + ": " + measured + (target.credit_percent ? "; no amount to credit" : "; no credit agreed"));
      continue;
    }
    const Decimal percent = *target.credit_percent;
    const Money credit = -percent_of(base, percent);
    std::string description =
        sm.name + ", performance credit " + percent.to_string() + " % of " + base.to_string() + ": " + measured;
    std::string exception_id;
    if (!waived.empty()) {
      exception_id = waived.front().first->id;
      description += "; not measured: " + std::to_string(waived.front().second) + " transactions (" +
                     exception_text(*waived.front().first) + ")";
    }
    PendingLine p = prototype(LineKind::sla_credit, *stat.last_version, service, money_as_decimal(credit),
                              "credit_percent " + percent.to_string(), exception_id, std::move(description));
    p.line.quantity = 1;
    p.line.amount = credit;
    p.line.exact_amount = Decimal::from_units(
        -narrow(divide_round(static_cast<Int128>(base.cents()) * percent.units(), 10'000), "credit"));
    p.line.days = month;
    (void)line(line_key(p), std::move(p));
    finding(FindingKind::deadline_missed, stat.last_version, service, exception_id, stat.measured,
            service + ": " + measured + "; credit " + percent.to_string() + " % = " + credit.to_string());
  }

  // Lines of a month split between versions say which days they cover.
  std::int64_t on_lines = 0;
  for (std::size_t i = first_line; i < lines_.size(); ++i) {
    PendingLine& p = lines_[i];
    p.section = 0;
    p.service_order = sm.order;
    p.line.vat = sm.catalog_service->vat;
    if (p.line.kind == LineKind::usage || p.line.kind == LineKind::over_limit) {
      for (const VolumeShare& share : p.line.sources) {
        on_lines += share.quantity;
      }
      if (month_versions.size() > 1) {
        p.line.description += " (version " + std::to_string(p.line.agreement_version) + ", " +
                              range_text(month_versions.at(p.line.agreement_version)) + ")";
      }
    }
  }
  if (on_lines != covered) {
    throw InvariantError("rating " + in_.agency + " " + in_.month.to_string() + " " + service + ": " +
                         std::to_string(covered) + " units counted but " + std::to_string(on_lines) +
                         " on usage and over_limit lines");
  }
}

void Rater::rate_fees(const Group& group) {
  const DateRange month = in_.month.range();
  const long days_in_month = month.days();
  std::vector<const Agreement*> versions;
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
  auto find_fee = [](const Agreement* version, const std::string& id, model::FeePer per) -> const model::Fee* {
    if (version == nullptr) {
      return nullptr;
    }
    for (const model::Fee& fee : version->fees) {
      if (fee.id == id && fee.per == per) {
        return &fee;
      }
    }
    return nullptr;
  };
  auto emit = [&](const Agreement& version, const model::Fee& fee, Money amount, Int128 exact_units, DateRange days,
                  std::string description) {
    PendingLine p =
        prototype(LineKind::fee, version, "", money_as_decimal(amount), "fee " + fee.id, "", std::move(description));
    p.section = 1;
    p.line.quantity = 1;
    p.line.amount = amount;
    p.line.exact_amount = Decimal::from_units(narrow(exact_units, "fee"));
    p.line.days = days;
    std::vector<std::string> services;
    for (const ServiceTerms& terms : version.services) {
      services.push_back(terms.service);
    }
    p.line.vat = common_vat(version, services, "fee " + fee.id);
    (void)line(line_key(p) + "|" + format_date(days.from), std::move(p));
  };

  for (const auto& [id, per] : fees) {
    if (per == model::FeePer::month) {
      // Runs of days with the same amount; each is pro-rated by its days.
      std::size_t i = 0;
      while (i < versions.size()) {
        const model::Fee* fee = find_fee(versions[i], id, per);
        if (fee == nullptr) {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j + 1 < versions.size()) {
          const model::Fee* next = find_fee(versions[j + 1], id, per);
          if (next == nullptr || next->amount != fee->amount) {
            break;
          }
          ++j;
        }
        const long days = static_cast<long>(j - i + 1);
        const DateRange range{month.from + boost::gregorian::days(static_cast<long>(i)),
                              month.from + boost::gregorian::days(static_cast<long>(j))};
        const Int128 cents = fee->amount.cents();
        const Money amount = Money::from_cents(narrow(divide_round(cents * days, days_in_month), "fee"));
        std::string description = "Fee " + id;
        if (days < days_in_month) {
          description += ", pro-rated " + std::to_string(days) + "/" + std::to_string(days_in_month) + " days (" +
                         range_text(range) + ")";
        }
        emit(*versions[j], *fee, amount, divide_round(cents * kUnitsPerCent * days, days_in_month), range,
             std::move(description));
        i = j + 1;
      }
    } else {
      // A yearly fee: once per year window, on the month of its first day in force.
      const DateRange window = year_window(group, in_.month);
      Int128 sum = 0;
      long listed = 0;
      std::optional<Date> first;
      const Agreement* first_version = nullptr;
      const model::Fee* first_fee = nullptr;
      for (Date day = window.from; day <= window.to; day = next_day(day)) {
        const Agreement* version = model::version_in_force_among(group.versions, day);
        const model::Fee* fee = find_fee(version, id, per);
        if (fee == nullptr) {
          continue;
        }
        sum += fee->amount.cents();
        ++listed;
        if (!first) {
          first = day;
          first_version = version;
          first_fee = fee;
        }
      }
      if (!first || Month::of(*first) != in_.month) {
        continue;
      }
      const Money amount = Money::from_cents(narrow(divide_round(sum, window.days()), "fee"));
      std::string description = "Fee " + id + ", year " + range_text(window);
      if (listed < window.days()) {
        description += ", pro-rated " + std::to_string(listed) + "/" + std::to_string(window.days()) + " days";
      }
      emit(*first_version, *first_fee, amount, divide_round(sum * kUnitsPerCent, window.days()), window,
           std::move(description));
    }
  }
}

void Rater::rate_charges(const Group& group) {
  const DateRange month = in_.month.range();
  std::vector<const AgreementException*> dated;
  std::set<std::string> seen;
  for (const Agreement* version : group.versions) {
    for (const AgreementException& exception : version->exceptions) {
      if (exception.kind == ExceptionKind::charge && exception.date && month.contains(*exception.date) &&
          seen.insert(exception.id).second) {
        dated.push_back(&exception);
      }
    }
  }
  std::stable_sort(dated.begin(), dated.end(), [](const AgreementException* a, const AgreementException* b) {
    return std::tie(*a->date, a->id) < std::tie(*b->date, b->id);
  });
  for (const AgreementException* named : dated) {
    const Date day = *named->date;
    const Agreement* version = model::version_in_force_among(group.versions, day);
    const AgreementException* charge = nullptr;
    if (version != nullptr) {
      for (const AgreementException& exception : version->exceptions) {
        if (exception.kind == ExceptionKind::charge && exception.id == named->id) {
          charge = &exception;
        }
      }
    }
    if (charge == nullptr) {
      finding(FindingKind::charge_not_billed, version, "", named->id, 0,
              "charge " + named->id + " dated " + format_date(day) + " is not billed: " +
                  (version == nullptr ? std::string("no version of ") + group.id + " is in force that day"
                                      : "version " + std::to_string(version->version) + " of " + group.id +
                                            " in force that day does not list it"));
      continue;
    }
    if (!charge->amount) {
      error(charge->where, "charge " + charge->id + " has no amount");
      continue;
    }
    PendingLine p = prototype(LineKind::charge, *version, "", money_as_decimal(*charge->amount),
                              "exception " + charge->id, charge->id, charge->reason);
    p.section = 2;
    p.line.quantity = 1;
    p.line.amount = *charge->amount;
    p.line.exact_amount = money_as_decimal(*charge->amount);
    p.line.days = {day, day};
    std::vector<std::string> services = charge->services;
    if (services.empty()) {
      for (const ServiceTerms& terms : version->services) {
        services.push_back(terms.service);
      }
    }
    p.line.vat = common_vat(*version, services, "charge " + charge->id);
    (void)line(line_key(p), std::move(p));
    finding(FindingKind::charge, version, "", charge->id, 1,
            "charge " + charge->id + " of " + charge->amount->to_string() + " on " + format_date(day) + ": " +
                charge->reason);
  }
}

void Rater::finish() {
  std::stable_sort(lines_.begin(), lines_.end(), [](const PendingLine& a, const PendingLine& b) {
    return std::make_tuple(a.section, a.service_order, kind_rank(a.line.kind), a.sequence) <
           std::make_tuple(b.section, b.service_order, kind_rank(b.line.kind), b.sequence);
  });
  for (PendingLine& p : lines_) {
    InvoiceLine& l = p.line;
    if (l.kind == LineKind::usage || l.kind == LineKind::over_limit || l.kind == LineKind::true_up) {
      l.amount = multiply_round(l.quantity, l.unit_price);
      l.exact_amount = Decimal::from_units(narrow(static_cast<Int128>(l.quantity) * l.unit_price.units(), "amount"));
    } else if (l.quantity != 1 || l.unit_price != money_as_decimal(l.amount)) {
      throw InvariantError("rating " + in_.agency + " " + in_.month.to_string() + ": " + to_string(l.kind) + " line '" +
                           l.description + "' has quantity " + std::to_string(l.quantity) + " and unit price " +
                           l.unit_price.to_string(4) + " but amount " + l.amount.to_string());
    }
  }
}

RatingResult Rater::run() {
  if (in_.catalog == nullptr) {
    throw std::invalid_argument("rating " + in_.agency + " " + in_.month.to_string() + ": no catalog given");
  }
  std::vector<const DailyVolume*>* bucket = nullptr;  // rows usually come sorted by service
  const std::string* bucket_service = nullptr;
  for (const DailyVolume& row : in_.history) {
    if (bucket_service == nullptr || *bucket_service != row.service) {
      bucket = &history_[row.service];
      bucket_service = &row.service;
    }
    bucket->push_back(&row);
  }
  group_agreements();
  assign_rows();
  for (ServiceMonth& sm : service_months_) {
    rate_service(sm);
  }
  for (const Group& group : groups_) {
    rate_fees(group);
    rate_charges(group);
  }
  if (!errors_.empty()) {
    throw InputError(errors_);
  }
  finish();
  RatingResult result;
  result.lines.reserve(lines_.size());
  for (PendingLine& p : lines_) {
    result.lines.push_back(std::move(p.line));
  }
  result.findings = std::move(findings_);
  return result;
}

}  // namespace

RatingResult rate(const RatingInput& input) { return Rater(input).run(); }

Date history_from(std::span<const model::Agreement> agreements, Month month) {
  Date from = month.first_day();
  for (const Group& group : group_versions(agreements)) {
    for (Date day = month.first_day(); day <= month.last_day(); day = next_day(day)) {
      const Agreement* version = model::version_in_force_among(group.versions, day);
      if (version == nullptr) {
        continue;
      }
      for (const ServiceTerms& terms : version->services) {
        if (terms.volume.per == model::Window::year) {
          from = std::min(from, year_window(group, month).from);
        }
      }
    }
  }
  return from;
}

}  // namespace costcover::rating
