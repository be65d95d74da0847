#include "jobs/costs_import.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/sha256.hpp"
#include "core/utf8.hpp"
#include "db/copy.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "jobs/ingest.hpp"
#include "model/model.hpp"
#include "store/contracts.hpp"

namespace costcover::jobs {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Quotes a value for a message, shortened when long.
std::string quote_value(std::string_view value) {
  constexpr std::size_t kMax = 60;
  std::string text(value.substr(0, kMax));
  if (value.size() > kMax) text += "...";
  return "\"" + text + "\"";
}

bool set_reject(LedgerReject& reject, std::string field, std::string code, std::string reason) {
  reject.field = std::move(field);
  reject.reason_code = std::move(code);
  reject.reason = std::move(reason);
  return false;
}

std::string join_set(const std::set<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

}  // namespace

std::optional<LedgerRow> check_ledger_row(const std::vector<std::string>& fields, std::string_view raw, int year,
                                          const std::set<std::string>& cost_centres, LedgerReject& reject) {
  if (!is_text(raw)) {
    set_reject(reject, "-", "invalid_utf8", "the row is not valid UTF-8");
    return std::nullopt;
  }
  if (fields.size() != 4) {
    set_reject(reject, "-", "column_count",
               fmt::format("expected 4 fields (period,cost_centre,account,amount), got {}", fields.size()));
    return std::nullopt;
  }
  LedgerRow row;
  row.period = fields[0];
  const std::string& p = row.period;
  const bool shape = p.size() == 7 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
                     p[4] == '-' && is_digit(p[5]) && is_digit(p[6]);
  const int month = shape ? (p[5] - '0') * 10 + (p[6] - '0') : 0;
  if (!shape || month < 1 || month > 12) {
    set_reject(reject, "period", "bad_period", fmt::format("period {} is not a month YYYY-MM", quote_value(p)));
    return std::nullopt;
  }
  if (std::stoi(p.substr(0, 4)) != year) {
    set_reject(reject, "period", "period_outside_year", fmt::format("period {} is outside the year {}", p, year));
    return std::nullopt;
  }
  row.cost_centre = fields[1];
  if (cost_centres.count(row.cost_centre) == 0) {
    set_reject(reject, "cost_centre", "unknown_cost_centre",
               fmt::format("cost centre {} is not in the cost model {} (known: {})", quote_value(row.cost_centre), year,
                           join_set(cost_centres)));
    return std::nullopt;
  }
  row.account = fields[2];
  if (row.account.empty()) {
    set_reject(reject, "account", "empty_account", "account is empty");
    return std::nullopt;
  }
  const std::string& amount = fields[3];
  try {
    row.amount = Money::parse(amount);
  } catch (const std::invalid_argument&) {
    if (Decimal::fraction_digits(amount) > 2) {
      set_reject(reject, "amount", "too_many_decimals",
                 fmt::format("amount {} has more than 2 decimals", quote_value(amount)));
    } else {
      set_reject(reject, "amount", "bad_amount",
                 fmt::format("amount {} is not a number of euros like -1234.50", quote_value(amount)));
    }
    return std::nullopt;
  } catch (const std::overflow_error&) {
    set_reject(reject, "amount", "bad_amount", fmt::format("amount {} is out of range", quote_value(amount)));
    return std::nullopt;
  }
  return row;
}

ImportReport import_ledger(soci::session& session, const ImportOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) throw InputError(options.file + ": cannot open: " + std::strerror(errno));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ImportReport report;
  report.file_hash = sha256_hex(bytes);

  std::istringstream header_text(bytes);
  CsvReader header_reader(header_text);
  CsvRecord record;
  if (!header_reader.next(record)) {
    throw InputError(options.file + ":1: the file is empty; expected the header " + std::string(kLedgerHeader));
  }
  if (record.raw != kLedgerHeader &&
      !(record.raw.size() == kLedgerHeader.size() + 3 && record.raw.substr(3) == kLedgerHeader)) {
    throw InputError(fmt::format("{}:{}: header {} is not the cost ledger header \"{}\"", options.file, record.line,
                                 quote_value(escape_invalid_utf8(record.raw)), kLedgerHeader));
  }

  db::JobSpec spec("costs import", db::kCostsLock, options.parameters_json,
                   fmt::format(R"({{"file":{},"sha256":"{}","bytes":{}}})", db::json_string(options.file),
                               report.file_hash, bytes.size()));
  const std::string file_hash = report.file_hash;
  db::run_job(session, spec, [&](db::Job& run) {
    report = ImportReport{};  // the job may run again after a transient error
    report.file_hash = file_hash;
    std::istringstream text(bytes);
    CsvReader reader(text);
    (void)reader.next(record);  // the header, checked above
    run.step("reading " + options.file);
    const model::ContractSet stored = store::load_stored_contracts(session);
    const model::CostModel* model = stored.cost_model(options.year);
    if (model == nullptr) {
      throw InputError(
          fmt::format("no cost model for {} in the database: add contracts/costs/{}.yaml and run "
                      "`costcover contracts load`",
                      options.year, options.year));
    }
    std::set<std::string> centres;
    for (const auto& centre : model->centres) centres.insert(centre.id);

    const auto current = db::query(session,
                                   "SELECT id, file_hash, rows_read, accepted, rejected, CAST(total AS text) "
                                   "FROM cost_ledger_load WHERE year = $1::int ORDER BY id DESC LIMIT 1",
                                   {std::to_string(options.year)});
    if (!current.empty() && current.text(0, 1) == report.file_hash) {
      report.unchanged = true;
      report.load_id = std::stoll(current.text(0, 0));
      report.rows_read = std::stoll(current.text(0, 2));
      report.accepted = std::stoll(current.text(0, 3));
      report.rejected = std::stoll(current.text(0, 4));
      report.total = Money::parse(current.text(0, 5));
      run.count("rows_read", report.rows_read);
      run.count("accepted", 0);
      run.count("rejected", 0);
      run.set_message(fmt::format("unchanged: same file as load {}", report.load_id));
      return;
    }
    if (!current.empty()) report.replaced_load_id = std::stoll(current.text(0, 0));

    std::vector<std::pair<std::int64_t, LedgerRow>> rows;
    while (reader.next(record)) {
      ++report.rows_read;
      LedgerReject reject;
      std::optional<LedgerRow> row;
      if (!record.ok()) {
        set_reject(reject, "-", "malformed_csv", record.error);
      } else {
        row = check_ledger_row(record.fields, record.raw, options.year, centres, reject);
      }
      if (row) {
        report.total += row->amount;
        rows.emplace_back(record.line, std::move(*row));
      } else {
        reject.line = record.line;
        reject.raw = escape_invalid_utf8(record.raw);
        report.rejects.push_back(std::move(reject));
      }
    }
    report.accepted = static_cast<std::int64_t>(rows.size());
    report.rejected = static_cast<std::int64_t>(report.rejects.size());
    if (report.rows_read != report.accepted + report.rejected) {
      throw InvariantError(
          fmt::format("read {} != accepted {} + rejected {}", report.rows_read, report.accepted, report.rejected));
    }
    if (report.accepted == 0 && report.rejected > 0) {
      std::vector<Finding> findings;
      for (const auto& r : report.rejects) {
        findings.push_back(Finding{Location{options.file, static_cast<int>(r.line), 0}, r.field + ": " + r.reason});
      }
      findings.push_back(
          Finding{Location{options.file, 0, 0},
                  fmt::format("every row of the file was rejected ({}); the ledger of {} is left as it was",
                              report.rejected, options.year)});
      throw InputError(std::move(findings));
    }

    run.step("storing the ledger");
    {
      const auto inserted = db::query(
          session,
          "INSERT INTO cost_ledger_load (job_run_id, year, file_name, file_hash, file_bytes, rows_read, accepted, "
          "rejected, total, replaced_load_id) VALUES ($1::bigint, $2::int, $3, $4, $5::bigint, $6::bigint, $7::bigint, "
          "$8::bigint, $9::numeric, $10::bigint) RETURNING id",
          {std::to_string(run.run_id()), std::to_string(options.year), options.file, report.file_hash,
           std::to_string(bytes.size()), std::to_string(report.rows_read), std::to_string(report.accepted),
           std::to_string(report.rejected), report.total.to_string(),
           report.replaced_load_id > 0 ? std::optional<std::string>(std::to_string(report.replaced_load_id))
                                       : std::nullopt});
      report.load_id = std::stoll(inserted.text(0, 0));
      db::exec(session, "DELETE FROM cost_ledger WHERE year = $1::int", {std::to_string(options.year)});
      const std::string load = std::to_string(report.load_id);
      const std::string year = std::to_string(options.year);
      if (!rows.empty()) {
        db::CopyIn copy(session,
                        "COPY cost_ledger (year, load_id, line, period, cost_centre, account, amount) FROM STDIN");
        std::string buffer;
        for (const auto& [line, row] : rows) {
          buffer = year + "\t" + load + "\t" + std::to_string(line) + "\t";
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
      if (!report.rejects.empty()) {
        db::CopyIn copy(session, "COPY cost_ledger_reject (load_id, line, field, reason_code, reason, raw) FROM STDIN");
        std::string buffer;
        for (const auto& r : report.rejects) {
          buffer = load + "\t" + std::to_string(r.line) + "\t" + r.field + "\t" + r.reason_code + "\t";
          db::append_copy_text(buffer, r.reason);
          buffer.push_back('\t');
          db::append_copy_text(buffer, r.raw);
          buffer.push_back('\n');
          copy.write(buffer);
        }
        copy.finish();
      }
      // The stored rows must be exactly what was accepted.
      const auto check = db::query(
          session, "SELECT count(*), CAST(coalesce(sum(amount), 0) AS text) FROM cost_ledger WHERE year = $1::int",
          {year});
      if (std::stoll(check.text(0, 0)) != report.accepted || Money::parse(check.text(0, 1)) != report.total) {
        throw InvariantError(
            fmt::format("cost_ledger {} holds {} rows totalling {} but {} rows totalling {} were accepted", year,
                        check.text(0, 0), check.text(0, 1), report.accepted, report.total.to_string()));
      }
    }
    run.count("rows_read", report.rows_read);
    run.count("accepted", report.accepted);
    run.count("rejected", report.rejected);
    run.set_message(fmt::format("load {}: read {} = accepted {} + rejected {}, total {}", report.load_id,
                                report.rows_read, report.accepted, report.rejected, report.total.to_string()));
  });
  return report;
}

StoredLedger load_stored_ledger(soci::session& session, int year) {
  const auto load = db::query(session,
                              "SELECT id, file_name, file_hash, accepted, CAST(total AS text) FROM cost_ledger_load "
                              "WHERE year = $1::int ORDER BY id DESC LIMIT 1",
                              {std::to_string(year)});
  if (load.empty()) {
    throw InputError(fmt::format(
        "no cost ledger of {} in the database: run `costcover costs import --year {} FILE.csv`", year, year));
  }
  StoredLedger ledger;
  ledger.load_id = std::stoll(load.text(0, 0));
  ledger.file_name = load.text(0, 1);
  ledger.file_hash = load.text(0, 2);
  ledger.rows = std::stoll(load.text(0, 3));
  ledger.total = Money::parse(load.text(0, 4));
  const auto totals = db::query(session,
                                "SELECT cost_centre, account, CAST(sum(amount) AS text) FROM cost_ledger "
                                "WHERE year = $1::int GROUP BY cost_centre, account ORDER BY cost_centre, account",
                                {std::to_string(year)});
  Money sum;
  for (std::size_t r = 0; r < totals.size(); ++r) {
    ledger.totals.push_back(
        costing::LedgerTotal{totals.text(r, 0), totals.text(r, 1), Money::parse(totals.text(r, 2))});
    sum += ledger.totals.back().amount;
  }
  if (sum != ledger.total) {
    throw InvariantError(fmt::format("the ledger of {} sums to {} but its load {} recorded {}", year, sum.to_string(),
                                     ledger.load_id, ledger.total.to_string()));
  }
  return ledger;
}

}  // namespace costcover::jobs
