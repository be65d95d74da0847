#include "store/costing.hpp"

#include <stdexcept>
#include <string>

#include "db/query.hpp"

namespace costcover::store {

std::vector<costing::RecordedDecision> recorded_settlement(soci::session& session, int year) {
  const auto rows = db::query(session,
                              "SELECT service, decision, CAST(surplus AS text) FROM cost_settlement "
                              "WHERE year = $1::int ORDER BY service",
                              {std::to_string(year)});
  std::vector<costing::RecordedDecision> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto decision = costing::parse_settlement_decision(rows.text(r, 1));
    if (!decision) throw std::runtime_error("cost_settlement holds an unknown decision \"" + rows.text(r, 1) + "\"");
    out.push_back(costing::RecordedDecision{rows.text(r, 0), *decision, Money::parse(rows.text(r, 2))});
  }
  return out;
}

}  // namespace costcover::store
