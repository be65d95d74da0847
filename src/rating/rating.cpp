// The top of the rating engine. One Rater per call of rate(): it groups the agreement
// versions by id, assigns each daily volume row to the one agreement that covers its
// service on its day, rates each (agreement, service) of the month in named steps (the
// window and limits, the unit walk, the true-up, the SLA credits), then adds fees and
// charges, and lets the worksheet order the lines and check the invariants of rating.hpp.
#include "rating/rating.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "core/phrases.hpp"
#include "rating/fees.hpp"
#include "rating/sla_credit.hpp"
#include "rating/true_up.hpp"
#include "rating/unit_walk.hpp"
#include "rating/window.hpp"
#include "rating/worksheet.hpp"

namespace costcover::rating {

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
    case FindingKind::targets_not_in_force:
      return "targets_not_in_force";
    case FindingKind::charge:
      return "charge";
    case FindingKind::charge_not_billed:
      return "charge_not_billed";
    case FindingKind::unbilled_volume:
      return "unbilled_volume";
  }
  return "unknown";
}

std::string to_string(TargetStatus status) {
  switch (status) {
    case TargetStatus::met:
      return "met";
    case TargetStatus::missed:
      return "missed";
    case TargetStatus::waived:
      return "waived";
    case TargetStatus::not_in_force:
      return "not_in_force";
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

using detail::DayTerms;
using detail::Group;
using detail::ServiceMonth;
using model::Agreement;

// Which agreement covers a service on a day of the month: (service, day index) -> group.
using Owners = std::map<std::pair<std::string, long>, const Group*>;

class Rater {
 public:
  explicit Rater(const RatingInput& input) : in_(input), sheet_(input) {}

  RatingResult run();

 private:
  void index_history();
  void check_clients();
  [[nodiscard]] Owners cover_services();
  void add_service_months(const Group& group, const std::vector<std::string>& services);
  [[nodiscard]] std::vector<const DailyVolume*> checked_rows() const;
  void assign_rows(const Owners& owners);
  void rate_service(ServiceMonth& sm);
  void label_service_lines(const ServiceMonth& sm, const detail::MonthVersions& versions, std::size_t first_line,
                           std::int64_t covered);
  [[nodiscard]] std::span<const DailyVolume* const> history_of(const std::string& service) const;

  const RatingInput& in_;
  detail::Worksheet sheet_;
  std::vector<Group> groups_;
  std::vector<ServiceMonth> service_months_;
  std::map<std::string, std::vector<const DailyVolume*>> history_;  // by service
};

void Rater::index_history() {
  std::vector<const DailyVolume*>* bucket = nullptr;  // rows usually come sorted by service
  const std::string* bucket_service = nullptr;
  for (const DailyVolume& row : in_.history) {
    if (bucket_service == nullptr || *bucket_service != row.service) {
      bucket = &history_[row.service];
      bucket_service = &row.service;
    }
    bucket->push_back(&row);
  }
}

std::span<const DailyVolume* const> Rater::history_of(const std::string& service) const {
  const auto it = history_.find(service);
  if (it == history_.end()) {
    return {};
  }
  return it->second;
}

void Rater::check_clients() {
  for (const Agreement& agreement : in_.agreements) {
    if (!in_.agency.empty() && agreement.client != in_.agency) {
      sheet_.error(agreement.where, sheet_.subject() + ": agreement " + agreement.id + " version " +
                                        std::to_string(agreement.version) + " is for client " + agreement.client +
                                        ", not " + in_.agency);
    }
  }
}

// The services each agreement offers on some day of the month (in agreement and listed
// order) become service months; two agreements covering one service on one day are an
// input problem.
Owners Rater::cover_services() {
  const DateRange month = in_.month.range();
  Owners owners;
  for (const Group& group : groups_) {
    std::vector<std::string> services;
    for (Date day = month.from; day <= month.to; day = next_day(day)) {
      const Agreement* version = model::version_in_force_among(group.versions, day);
      if (version == nullptr) {
        continue;
      }
      for (const model::ServiceTerms& terms : version->services) {
        if (std::find(services.begin(), services.end(), terms.service) == services.end()) {
          services.push_back(terms.service);
        }
        auto [it, inserted] = owners.emplace(std::make_pair(terms.service, day_index(month.from, day)), &group);
        if (!inserted && it->second != &group) {
          sheet_.error(version->where, "service " + terms.service + " on " + format_date(day) + " is covered by both " +
                                           it->second->id + " and " + group.id);
        }
      }
    }
    add_service_months(group, services);
  }
  return owners;
}

void Rater::add_service_months(const Group& group, const std::vector<std::string>& services) {
  for (const std::string& service : services) {
    ServiceMonth sm;
    sm.group = &group;
    sm.service = service;
    sm.catalog_service = in_.catalog->find(service);
    sm.order = in_.catalog->order_of(service);
    if (sm.catalog_service == nullptr) {
      sheet_.error(group.versions.front()->where,
                   "agreement " + group.id + " names service " + service + ", which is not in the catalog");
      continue;
    }
    sm.name = sm.catalog_service->name_in(in_.language);
    service_months_.push_back(std::move(sm));
  }
}

// The month's rows by service, day and id; a negative count or a day outside the month
// breaks the caller's promise.
std::vector<const DailyVolume*> Rater::checked_rows() const {
  const DateRange month = in_.month.range();
  std::vector<const DailyVolume*> rows;
  rows.reserve(in_.volumes.size());
  for (const DailyVolume& row : in_.volumes) {
    if (row.quantity < 0 || row.transactions < 0) {
      throw InvariantError(sheet_.subject() + ": daily volume " + std::to_string(row.id) + " has a negative count");
    }
    if (!month.contains(row.day)) {
      throw InvariantError(sheet_.subject() + ": daily volume " + std::to_string(row.id) + " is dated " +
                           format_date(row.day) + ", outside the month");
    }
    rows.push_back(&row);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const DailyVolume* a, const DailyVolume* b) {
    return std::tie(a->service, a->day, a->id) < std::tie(b->service, b->day, b->id);
  });
  return rows;
}

// Each row to the service month of the agreement covering its service on its day; rows
// nobody covers give one unbilled_volume finding per service.
void Rater::assign_rows(const Owners& owners) {
  const Date month_start = in_.month.first_day();
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> unbilled;  // service -> (transactions, quantity)
  for (const DailyVolume* row : checked_rows()) {
    const auto owner = owners.find({row->service, day_index(month_start, row->day)});
    const auto target = owner == owners.end()
                            ? service_months_.end()
                            : std::find_if(service_months_.begin(), service_months_.end(), [&](const ServiceMonth& sm) {
                                return sm.group == owner->second && sm.service == row->service;
                              });
    if (target == service_months_.end()) {
      auto& [transactions, quantity] = unbilled[row->service];
      transactions += row->transactions;
      quantity += row->quantity;
      continue;
    }
    target->rows.push_back(row);
  }
  for (const auto& [service, counts] : unbilled) {
    sheet_.finding(FindingKind::unbilled_volume, nullptr, service, "", counts.second,
                   service + ": " + std::to_string(counts.first) + " transactions (" + std::to_string(counts.second) +
                       " units) not billed: no agreement in force covers the service on their days");
  }
}

void Rater::rate_service(ServiceMonth& sm) {
  const std::size_t first_line = sheet_.line_count();
  const std::vector<DayTerms> month_days = detail::day_terms(*sm.group, sm.service, in_.month.range());
  const detail::MonthVersions versions = detail::month_versions(month_days);
  if (versions.last == nullptr) {
    return;
  }
  const detail::ServiceWindow window =
      detail::service_window(*sm.group, sm.service, in_.month, versions, month_days, history_of(sm.service));
  const detail::WalkTotals walk = detail::walk_units(sm, window, month_days, sheet_);
  detail::report_walk(sm, window, walk, versions.last, sheet_);
  const std::int64_t volume = window.prior + walk.billable;
  detail::bill_true_up(sm, window, detail::decide_true_up(window, in_.month, volume), volume, versions.last, sheet_);
  detail::bill_sla_credits(sm, detail::measure_targets(sm, month_days), detail::commitment(window, volume, walk),
                           first_line, versions.last, sheet_);
  label_service_lines(sm, versions, first_line, walk.covered);
}

// The service's lines take its catalog order and VAT; in a month split between versions,
// usage and over_limit lines name their version's days. Every covered unit must be on
// exactly one of them.
void Rater::label_service_lines(const ServiceMonth& sm, const detail::MonthVersions& versions, std::size_t first_line,
                                std::int64_t covered) {
  std::int64_t on_lines = 0;
  for (std::size_t i = first_line; i < sheet_.line_count(); ++i) {
    detail::PendingLine& p = sheet_.pending(i);
    p.section = detail::Section::services;
    p.service_order = sm.order;
    p.line.vat = sm.catalog_service->vat;
    if (p.line.kind != LineKind::usage && p.line.kind != LineKind::over_limit) {
      continue;
    }
    for (const VolumeShare& share : p.line.sources) {
      on_lines += share.quantity;
    }
    if (versions.days.size() > 1) {
      p.line.description += phrase(Phrase::version_days, in_.language, p.line.agreement_version,
                                   format_range(versions.days.at(p.line.agreement_version)));
    }
  }
  if (on_lines != covered) {
    throw InvariantError(sheet_.subject() + " " + sm.service + ": " + std::to_string(covered) + " units counted but " +
                         std::to_string(on_lines) + " on usage and over_limit lines");
  }
}

RatingResult Rater::run() {
  if (in_.catalog == nullptr) {
    throw std::invalid_argument(sheet_.subject() + ": no catalog given");
  }
  index_history();
  groups_ = detail::group_versions(in_.agreements);
  check_clients();
  assign_rows(cover_services());
  for (ServiceMonth& sm : service_months_) {
    rate_service(sm);
  }
  for (const Group& group : groups_) {
    detail::bill_fees(group, sheet_);
    detail::bill_charges(group, sheet_);
  }
  if (sheet_.has_errors()) {
    throw InputError(sheet_.errors());
  }
  return sheet_.finish();
}

}  // namespace

RatingResult rate(const RatingInput& input) { return Rater(input).run(); }

Date history_from(std::span<const model::Agreement> agreements, Month month) {
  Date from = month.first_day();
  for (const Group& group : detail::group_versions(agreements)) {
    for (Date day = month.first_day(); day <= month.last_day(); day = next_day(day)) {
      const Agreement* version = model::version_in_force_among(group.versions, day);
      if (version == nullptr) {
        continue;
      }
      for (const model::ServiceTerms& terms : version->services) {
        if (terms.volume.per == model::Window::year) {
          from = std::min(from, detail::year_window(group, month).from);
        }
      }
    }
  }
  return from;
}

}  // namespace costcover::rating
