#include "store/costing.hpp"

#include <stdexcept>
#include <string>

#include "db/query.hpp"

namespace costcover::store {

void replace_cost_settlement(soci::session& session, int year, std::int64_t job_run_id, std::int64_t ledger_load_id,
                             const std::vector<costing::SettlementPlan>& plans) {
  const std::string year_text = std::to_string(year);
  db::exec(session, "DELETE FROM cost_settlement WHERE year = $1::int", {year_text});
  for (const auto& plan : plans) {
    db::exec(session,
             "INSERT INTO cost_settlement (year, service, job_run_id, ledger_load_id, revenue, total_cost, surplus, "
             "threshold, decision, reason, settled) VALUES ($1::int, $2, $3::bigint, $4::bigint, $5::numeric, "
             "$6::numeric, $7::numeric, $8::numeric, $9, $10, $11::numeric)",
             {year_text, plan.service, std::to_string(job_run_id), std::to_string(ledger_load_id),
              plan.revenue.to_string(), plan.total_cost.to_string(), plan.surplus.to_string(),
              plan.threshold.to_string(), costing::to_string(plan.decision), plan.reason, plan.settled().to_string()});
  }
}

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

std::optional<costing::CentreResult> recorded_result(soci::session& session, int year) {
  const auto rows = db::query(session,
                              "SELECT CAST(revenue AS text), CAST(settled AS text), CAST(total_cost AS text), "
                              "CAST(carried_forward AS text), carried_services FROM v_settlement_result "
                              "WHERE year = $1::int",
                              {std::to_string(year)});
  if (rows.empty()) return std::nullopt;
  costing::CentreResult out;
  out.revenue = Money::parse(rows.text(0, 0));
  out.settlement = Money::parse(rows.text(0, 1));
  out.total_cost = Money::parse(rows.text(0, 2));
  out.carried_forward = Money::parse(rows.text(0, 3));
  out.carried_services = static_cast<int>(db::to_int(rows.text(0, 4)));
  return out;
}

// ---- prices before the year (`prices propose --year Y --budget`) ----------------------

std::optional<int> latest_settled_year_before(soci::session& session, int year) {
  const auto rows =
      db::query(session, "SELECT max(year) FROM cost_settlement WHERE year < $1::int", {std::to_string(year)});
  if (rows.is_null(0, 0)) return std::nullopt;
  return static_cast<int>(db::to_int(rows.text(0, 0)));
}

// ---- end of prices before the year --------------------------------------------------

}  // namespace costcover::store
