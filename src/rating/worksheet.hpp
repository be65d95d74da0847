// PRIVATE to src/rating/: the pieces every step of rate() shares. A Worksheet is what one
// call of rate() fills: the pending lines (merged by key, so that units of one price and
// rule go on one line), the findings and the input problems (each reported once). The
// steps (window.hpp, unit_walk.hpp, true_up.hpp, sla_credit.hpp, fees.hpp) write into
// it; rating.cpp orders the lines and checks the invariants of rating.hpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/int128.hpp"
#include "rating/rating.hpp"

namespace costcover::rating::detail {

// An Int128 intermediate as int64; InvariantError "rating: WHAT does not fit in 64 bits".
[[nodiscard]] std::int64_t narrow(Int128 value, const char* what);
// A fee, charge or credit amount as a unit price (the same InvariantError on overflow).
[[nodiscard]] Decimal money_as_decimal(Money amount);
// "EX-2: Rework caused by the provider", for descriptions and findings.
[[nodiscard]] std::string exception_text(const model::AgreementException& exception);

// The versions of one agreement id.
struct Group {
  std::string id;
  std::vector<const model::Agreement*> versions;
  DateRange span;  // earliest from .. latest to over the versions
};
// The versions of each agreement id, in the order the ids first appear.
[[nodiscard]] std::vector<Group> group_versions(std::span<const model::Agreement> agreements);

// One day and what the agreement says on it for one service.
struct DayTerms {
  Date day;
  const model::Agreement* version = nullptr;   // in force that day, if any
  const model::ServiceTerms* terms = nullptr;  // its terms for the service, if any
};
// One entry per day of range, in order.
[[nodiscard]] std::vector<DayTerms> day_terms(const Group& group, const std::string& service, DateRange range);

// Everything about one (agreement, service) of the month.
struct ServiceMonth {
  const Group* group = nullptr;
  std::string service;
  const model::Service* catalog_service = nullptr;
  std::string name;                      // in the input's language
  int order = 0;                         // catalog order
  std::vector<const DailyVolume*> rows;  // the month's rows this agreement covers, by day
};

enum class Section { services, fees, charges };  // the invoice's order of line groups

struct PendingLine {
  InvoiceLine line;
  Section section = Section::services;
  int service_order = 0;
  std::size_t sequence = 0;               // order of creation
  const DailyVolume* last_row = nullptr;  // to merge consecutive shares of one row
};
[[nodiscard]] PendingLine prototype(LineKind kind, const model::Agreement& version, const std::string& service,
                                    Decimal unit_price, std::string source, std::string exception_id,
                                    std::string description);
// Lines with the same key are one line: kind, service, version, price, source, exception
// and description.
[[nodiscard]] std::string line_key(const PendingLine& pending);

// Counts by exception, in the order the exceptions were first met.
template <typename Count>
class CountsBy {
 public:
  Count& operator[](const model::AgreementException* exception) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == exception; });
    if (it == entries_.end()) {
      entries_.emplace_back(exception, Count{});
      it = std::prev(entries_.end());
    }
    return it->second;
  }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] const std::pair<const model::AgreementException*, Count>& front() const { return entries_.front(); }
  [[nodiscard]] auto begin() const { return entries_.begin(); }
  [[nodiscard]] auto end() const { return entries_.end(); }

 private:
  std::vector<std::pair<const model::AgreementException*, Count>> entries_;
};

class Worksheet {
 public:
  explicit Worksheet(const RatingInput& input) : in_(input) {}
  [[nodiscard]] const RatingInput& input() const { return in_; }
  // "rating KTL 2027-03", the opening of rating's messages.
  [[nodiscard]] std::string subject() const;

  // The line with prototype's key, added if new; its index.
  std::size_t line(PendingLine&& prototype);
  std::size_t line(const std::string& key, PendingLine&& prototype);
  [[nodiscard]] PendingLine& pending(std::size_t index) { return lines_[index]; }
  [[nodiscard]] std::size_t line_count() const { return lines_.size(); }
  // quantity units of row, delivered on day, onto the line at index.
  void add_units(std::size_t index, const DailyVolume& row, std::int64_t quantity, Date day);

  void finding(FindingKind kind, const model::Agreement* version, const std::string& service,
               const std::string& exception_id, std::int64_t quantity, std::string message);
  void target(TargetResult result) { targets_.push_back(std::move(result)); }
  // An input problem; the same problem met on several days or units is reported once.
  void error(const Location& where, std::string message);
  [[nodiscard]] bool has_errors() const { return !errors_.empty(); }
  [[nodiscard]] const std::vector<Finding>& errors() const { return errors_; }

  // The VAT of the catalog service a fee or charge pays for; an input problem at `where`
  // naming `what` (and category O) when the catalog lacks it.
  [[nodiscard]] model::Vat paid_service_vat(const std::string& service, const Location& where, const std::string& what);

  // The lines in invoice order, amounts of priced lines computed, the invariants of the
  // other lines checked; the findings and the target results. The worksheet is spent.
  [[nodiscard]] RatingResult finish();

 private:
  const RatingInput& in_;
  std::vector<PendingLine> lines_;
  std::map<std::string, std::size_t> line_index_;
  std::vector<RatingFinding> findings_;
  std::vector<TargetResult> targets_;
  std::vector<Finding> errors_;
};

}  // namespace costcover::rating::detail
