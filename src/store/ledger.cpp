#include "store/ledger.hpp"

#include <string>

#include "db/copy.hpp"
#include "db/query.hpp"

namespace costcover::store {

// The table names are the only text put into the statements: one of these two fixed sets.
LedgerTables ledger_tables(CostBasis basis) {
  if (basis == CostBasis::budget) return {"cost_budget_load", "cost_budget", "cost_budget_reject"};
  return {"cost_ledger_load", "cost_ledger", "cost_ledger_reject"};
}

std::optional<LedgerLoad> current_ledger_load(soci::session& session, int year, CostBasis basis) {
  const auto rows = db::query(session,
                              std::string("SELECT id, file_name, file_hash, file_bytes, rows_read, accepted, rejected, "
                                          "CAST(total AS text), replaced_load_id FROM ") +
                                  ledger_tables(basis).load + " WHERE year = $1::int ORDER BY id DESC LIMIT 1",
                              {std::to_string(year)});
  if (rows.empty()) return std::nullopt;
  LedgerLoad load;
  load.id = std::stoll(rows.text(0, 0));
  load.year = year;
  load.file_name = rows.text(0, 1);
  load.file_hash = rows.text(0, 2);
  load.file_bytes = std::stoll(rows.text(0, 3));
  load.rows_read = std::stoll(rows.text(0, 4));
  load.accepted = std::stoll(rows.text(0, 5));
  load.rejected = std::stoll(rows.text(0, 6));
  load.total = Money::parse(rows.text(0, 7));
  if (!rows.is_null(0, 8)) load.replaced_load_id = std::stoll(rows.text(0, 8));
  return load;
}

std::int64_t insert_ledger_load(soci::session& session, const LedgerLoad& load, std::int64_t job_run_id,
                                CostBasis basis) {
  const auto replaced =
      load.replaced_load_id ? std::optional<std::string>(std::to_string(*load.replaced_load_id)) : std::nullopt;
  return std::stoll(db::scalar(
      session,
      std::string("INSERT INTO ") + ledger_tables(basis).load +
          " (job_run_id, year, file_name, file_hash, file_bytes, rows_read, accepted, "
          "rejected, total, replaced_load_id) VALUES ($1::bigint, $2::int, $3, $4, $5::bigint, $6::bigint, $7::bigint, "
          "$8::bigint, $9::numeric, $10::bigint) RETURNING id",
      {std::to_string(job_run_id), std::to_string(load.year), load.file_name, load.file_hash,
       std::to_string(load.file_bytes), std::to_string(load.rows_read), std::to_string(load.accepted),
       std::to_string(load.rejected), load.total.to_string(), replaced}));
}

void replace_ledger_rows(soci::session& session, int year, std::int64_t load_id,
                         const std::vector<std::pair<std::int64_t, costing::LedgerRow>>& rows, CostBasis basis) {
  const std::string table = ledger_tables(basis).rows;
  const std::string year_text = std::to_string(year);
  db::exec(session, "DELETE FROM " + table + " WHERE year = $1::int", {year_text});
  if (rows.empty()) return;
  const std::string load = std::to_string(load_id);
  db::CopyIn copy(session, "COPY " + table + " (year, load_id, line, period, cost_centre, account, amount) FROM STDIN");
  std::string buffer;
  for (const auto& [line, row] : rows) {
    buffer = year_text + "\t" + load + "\t" + std::to_string(line) + "\t";
    db::append_copy_text(buffer, row.period);
    buffer.push_back('\t');
    db::append_copy_text(buffer, row.cost_centre);
    buffer.push_back('\t');
    db::append_copy_text(buffer, row.account);
    buffer += "\t" + row.amount.to_string() + "\n";
    copy.write(buffer);
  }
  copy.finish();
}

void insert_ledger_rejects(soci::session& session, std::int64_t load_id,
                           const std::vector<costing::LedgerReject>& rejects, CostBasis basis) {
  if (rejects.empty()) return;
  const std::string load = std::to_string(load_id);
  db::CopyIn copy(session, std::string("COPY ") + ledger_tables(basis).rejects +
                               " (load_id, line, field, reason_code, reason, raw) FROM STDIN");
  std::string buffer;
  for (const auto& reject : rejects) {
    buffer = load + "\t" + std::to_string(reject.line) + "\t";
    db::append_copy_text(buffer, reject.field);
    buffer.push_back('\t');
    db::append_copy_text(buffer, reject.reason_code);
    buffer.push_back('\t');
    db::append_copy_text(buffer, reject.reason);
    buffer.push_back('\t');
    db::append_copy_text(buffer, reject.raw);
    buffer.push_back('\n');
    copy.write(buffer);
  }
  copy.finish();
}

LedgerSum ledger_sum(soci::session& session, int year, CostBasis basis) {
  const auto rows = db::query(session,
                              std::string("SELECT count(*), CAST(coalesce(sum(amount), 0) AS text) FROM ") +
                                  ledger_tables(basis).rows + " WHERE year = $1::int",
                              {std::to_string(year)});
  return LedgerSum{std::stoll(rows.text(0, 0)), Money::parse(rows.text(0, 1))};
}

std::vector<costing::LedgerTotal> ledger_totals(soci::session& session, int year, CostBasis basis) {
  const auto rows = db::query(session,
                              std::string("SELECT cost_centre, account, CAST(sum(amount) AS text) FROM ") +
                                  ledger_tables(basis).rows +
                                  " WHERE year = $1::int GROUP BY cost_centre, account ORDER BY cost_centre, account",
                              {std::to_string(year)});
  std::vector<costing::LedgerTotal> totals;
  totals.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    totals.push_back(costing::LedgerTotal{rows.text(r, 0), rows.text(r, 1), Money::parse(rows.text(r, 2))});
  }
  return totals;
}

}  // namespace costcover::store
