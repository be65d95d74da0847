#include "store/transactions.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "db/copy.hpp"
#include "db/query.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::store {
namespace {

constexpr std::size_t kCopyFlushBytes = 256U << 10U;
constexpr int kRejectBatch = 10'000;

constexpr const char* kStagingCopy =
    "COPY ingest_staging (line, byte_offset, byte_length, txn_id, agency, service, received_at, delivered_at, "
    "received_day, delivered_day, quantity, tags, cancelled) FROM STDIN (FORMAT binary)";
constexpr const char* kRejectCopy =
    "COPY ingest_reject (load_id, source, line, reason_code, reason, raw, txn_id, agency, delivered_day) FROM STDIN";
constexpr const char* kStagingColumns =
    "line, byte_offset, byte_length, txn_id, agency, service, received_at, delivered_at, received_day, "
    "delivered_day, quantity, tags, cancelled";
constexpr const char* kTransactionColumns =
    "source, txn_id, agency, service, received_at, delivered_at, received_day, delivered_day, quantity, tags, "
    "load_id, line";

using db::to_int;

std::string month_table_name(std::int32_t first_day) {
  const std::string day = ingest::format_day(first_day);  // YYYY-MM-DD
  return "delivered_transaction_" + day.substr(0, 4) + "_" + day.substr(5, 2);
}

bool table_exists(soci::session& session, const std::string& name) {
  return db::scalar(session, "SELECT to_regclass($1) IS NOT NULL", {name}) == "t";
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File temporary_file() {
  File file(std::tmpfile());
  if (!file) throw std::runtime_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
  return file;
}

// Copies a spill file (in the COPY statement's format) into its table.
void copy_spill(soci::session& session, std::FILE* spill, const std::string& copy_sql) {
  if (std::fflush(spill) != 0 || std::ferror(spill) != 0) throw std::runtime_error("cannot write a spill file");
  std::rewind(spill);
  db::CopyIn copy(session, copy_sql);
  std::array<char, 1U << 16U> chunk{};
  while (true) {
    const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), spill);
    if (got == 0) break;
    copy.write(std::string_view(chunk.data(), got));
  }
  copy.finish();
}

// PostgreSQL's binary COPY encoding.
class BinaryRows {
 public:
  BinaryRows() {
    static constexpr std::array<char, 11> kSignature{'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\xff', '\r', '\n', '\0'};
    buffer_.append(kSignature.data(), kSignature.size());
    i32(0);
    i32(0);
  }
  void begin_row(std::int16_t fields) { i16(fields); }
  void int8(std::int64_t v) {
    i32(8);
    i64(v);
  }
  void int4(std::int32_t v) {
    i32(4);
    i32(v);
  }
  void boolean(bool v) {
    i32(1);
    buffer_.push_back(v ? '\1' : '\0');
  }
  void text(std::string_view v) {
    i32(static_cast<std::int32_t>(v.size()));
    buffer_.append(v);
  }
  // Microseconds since 2000-01-01 UTC.
  void timestamptz(std::int64_t unix_micros) {
    int8(unix_micros - static_cast<std::int64_t>(ingest::kPostgresEpochDays) * ingest::kMicrosPerDay);
  }
  void date(std::int32_t unix_days) { int4(unix_days - ingest::kPostgresEpochDays); }
  void trailer() { i16(-1); }
  std::string& buffer() { return buffer_; }

  // The row's own fields, txn_id to tags, as both layouts (staging, month table) have them.
  void content(const ingest::ValidRow& row) {
    text(row.txn_id);
    text(row.agency);
    text(row.service);
    timestamptz(row.received_micros);
    timestamptz(row.delivered_micros);
    date(row.received_day);
    date(row.delivered_day);
    int4(row.quantity);
    text(row.tags);
  }
  // A row in kStagingCopy's layout.
  void staging_row(const ingest::ValidRow& row, const FilePlace& place) {
    begin_row(13);
    int8(place.line);
    int8(place.offset);
    int4(place.length);
    content(row);
    boolean(row.cancelled);
  }
  // A row in month_table_copy()'s layout (source and load_id are the table's defaults).
  void month_row(const ingest::ValidRow& row, std::int64_t line) {
    begin_row(10);
    content(row);
    int8(line);
  }

 private:
  void i16(std::int16_t v) {
    const auto u = static_cast<std::uint16_t>(v);
    buffer_.push_back(static_cast<char>(u >> 8U));
    buffer_.push_back(static_cast<char>(u & 0xFFU));
  }
  void i32(std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    char bytes[4] = {static_cast<char>(u >> 24U), static_cast<char>((u >> 16U) & 0xFFU),
                     static_cast<char>((u >> 8U) & 0xFFU), static_cast<char>(u & 0xFFU)};
    buffer_.append(bytes, 4);
  }
  void i64(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((u >> (56U - 8U * static_cast<unsigned>(i))) & 0xFFU);
    buffer_.append(bytes, 8);
  }
  std::string buffer_;
};

std::string month_table_copy(const MonthTable& table) {
  return "COPY " + table.name +
         " (txn_id, agency, service, received_at, delivered_at, received_day, delivered_day, quantity, tags, line) "
         "FROM STDIN (FORMAT binary, FREEZE)";
}

// A COPY text field, or \N for nothing.
void append_optional(std::string& out, const std::optional<std::string_view>& value) {
  if (value) {
    db::append_copy_text(out, *value);
  } else {
    out += "\\N";
  }
}

}  // namespace

// ---- The load's frame

ReferenceIds read_reference_ids(soci::session& session) {
  ReferenceIds ids;
  for (auto [table, out] : {std::pair{"agency", &ids.agencies}, std::pair{"service", &ids.services}}) {
    const db::Rows rows = db::query(session, std::string("SELECT id FROM ") + table + " ORDER BY id");
    for (std::size_t r = 0; r < rows.size(); ++r) out->push_back(rows.text(r, 0));
  }
  return ids;
}

void begin_load_transaction(soci::session& session, const db::Notice& notice) {
  db::lock_table(session, "ingest_dirty_day", "ROW EXCLUSIVE", "the nightly count to finish", notice);
  db::exec(session, "SET LOCAL work_mem = '64MB'");
  db::exec(session, "SET LOCAL jit = off");  // compiling costs more than it saves on these statements
}

std::int64_t insert_load(soci::session& session, const NewLoad& load) {
  const std::int64_t id =
      to_int(db::scalar(session,
                        "INSERT INTO ingest_load (job_run_id, source, file_name, file_bytes, as_of) "
                        "VALUES ($1, $2, $3, $4, $5::timestamptz) RETURNING id",
                        {std::to_string(load.job_run_id), load.source, load.file_name, std::to_string(load.file_bytes),
                         ingest::format_helsinki(load.as_of_micros)}));
  db::exec(session, "TRUNCATE ingest_staging, ingest_special");
  return id;
}

std::optional<KeyRange> stored_key_range(soci::session& session, const std::string& source) {
  const db::Rows rows =
      db::query(session, "SELECT min(txn_id), max(txn_id) FROM delivered_transaction WHERE source = $1", {source});
  if (rows.is_null(0, 0) || rows.is_null(0, 1)) return std::nullopt;
  return KeyRange{rows.text(0, 0), rows.text(0, 1)};
}

// ---- The rows of the stream

std::optional<MonthTable> create_month_table_if_new(soci::session& session, std::int32_t first_day,
                                                    const std::string& source, std::int64_t load_id) {
  const ingest::CivilDate civil = ingest::civil_from_days(first_day);
  MonthTable table;
  table.name = month_table_name(first_day);
  table.first_day = first_day;
  table.next_day = civil.month == 12 ? ingest::days_from_civil(civil.year + 1, 1, 1)
                                     : ingest::days_from_civil(civil.year, civil.month + 1, 1);
  if (table_exists(session, table.name)) return std::nullopt;
  db::exec(session,
           "CREATE TABLE " + table.name + " (LIKE delivered_transaction INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
  // The partition's range as a constraint: ATTACH PARTITION then need not scan the rows.
  db::exec(session, "ALTER TABLE " + table.name + " ADD CONSTRAINT " + table.name +
                        "_month CHECK (delivered_day >= DATE " + db::quote_literal(ingest::format_day(first_day)) +
                        " AND delivered_day < DATE " + db::quote_literal(ingest::format_day(table.next_day)) + ")");
  // The load's source and id are the same on every row: as defaults, the COPY need not
  // carry and decode them (about a tenth of the server's COPY time). Dropped at attach.
  db::exec(session, "ALTER TABLE " + table.name + " ALTER source SET DEFAULT " + db::quote_literal(source) +
                        ", ALTER load_id SET DEFAULT " + std::to_string(load_id));
  // (The parent's BRIN index is left to ATTACH, which builds it in one pass: kept row by
  // row during the COPY, an empty BRIN index costs more and summarises nothing.)
  return table;
}

struct LoadRows::State {
  State(soci::session& s, std::int64_t load, const std::string& src)
      : session(s),
        reject_prefix(std::to_string(load) + "\t" + src + "\t"),
        reject_spill(temporary_file()),
        repeat_spill(temporary_file()),
        staging_spill(temporary_file()) {}
  soci::session& session;
  std::string reject_prefix;  // load_id and source, the same on every reject
  File reject_spill;          // COPY text for ingest_reject
  File repeat_spill;          // COPY text for ingest_repeat_key
  File staging_spill;         // binary COPY for ingest_staging (fast path)
  std::optional<db::CopyIn> copy;
  bool to_month_table = false;
  BinaryRows live;   // rows for `copy`
  BinaryRows spill;  // fast path: rows for staging, written to staging_spill
  std::string line;  // a text line being built
  Sent sent;

  void flush_live() {
    if (live.buffer().size() < kCopyFlushBytes) return;
    copy->write(live.buffer());
    live.buffer().clear();
  }
  void flush_spill() {
    if (spill.buffer().size() < kCopyFlushBytes) return;
    std::fwrite(spill.buffer().data(), 1, spill.buffer().size(), staging_spill.get());
    spill.buffer().clear();
  }
};

LoadRows::LoadRows(soci::session& session, std::int64_t load_id, const std::string& source)
    : state_(std::make_unique<State>(session, load_id, source)) {}
LoadRows::~LoadRows() = default;

void LoadRows::open(const std::optional<MonthTable>& table) {
  if (state_->copy) throw InvariantError("the load's COPY is open already");
  state_->to_month_table = table.has_value();
  state_->copy.emplace(state_->session, table ? month_table_copy(*table) : std::string(kStagingCopy),
                       db::CopyIn::Mode::background);
}

bool LoadRows::is_open() const { return state_->copy.has_value(); }

void LoadRows::stage(const ingest::ValidRow& row, const FilePlace& place) {
  ++state_->sent.staged;
  if (state_->to_month_table) {
    state_->spill.staging_row(row, place);
    state_->flush_spill();
  } else {
    state_->live.staging_row(row, place);
    state_->flush_live();
  }
}

void LoadRows::add_to_month_table(const ingest::ValidRow& row, std::int64_t line) {
  if (!state_->to_month_table) throw InvariantError("a row for the month table, but the COPY goes to staging");
  ++state_->sent.month_rows;
  state_->live.month_row(row, line);
  state_->flush_live();
}

void LoadRows::reject(const RejectedRow& rejected) {
  std::string& text = state_->line;
  text = state_->reject_prefix;
  text += std::to_string(rejected.line);
  text.push_back('\t');
  text += ingest::reason_code(rejected.reason);
  text.push_back('\t');
  db::append_copy_text(text, rejected.message);
  text.push_back('\t');
  db::append_copy_text(text, escape_invalid_utf8(rejected.raw));
  text.push_back('\t');
  append_optional(text, rejected.said.txn_id);
  text.push_back('\t');
  append_optional(text, rejected.said.agency);
  text.push_back('\t');
  text += rejected.said.delivered_day ? ingest::format_day(*rejected.said.delivered_day) : "\\N";
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), state_->reject_spill.get());
  ++state_->sent.rejects;
}

void LoadRows::repeated_key(std::string_view txn_id) {
  std::string& text = state_->line;
  text.clear();
  db::append_copy_text(text, txn_id);
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), state_->repeat_spill.get());
  ++state_->sent.repeated_keys;
}

const LoadRows::Sent& LoadRows::sent() const { return state_->sent; }

void LoadRows::finish() {
  State& s = *state_;
  if (s.copy) {
    s.live.trailer();
    s.copy->write(s.live.buffer());
    const long long copied = s.copy->finish();
    const std::int64_t live_rows = s.to_month_table ? s.sent.month_rows : s.sent.staged;
    if (copied != live_rows) {
      throw InvariantError("copied " + std::to_string(copied) + " rows but sent " + std::to_string(live_rows));
    }
  }
  if (s.to_month_table && s.sent.staged > 0) {
    s.spill.trailer();
    std::fwrite(s.spill.buffer().data(), 1, s.spill.buffer().size(), s.staging_spill.get());
    copy_spill(s.session, s.staging_spill.get(), kStagingCopy);
  }
  if (s.sent.rejects > 0) copy_spill(s.session, s.reject_spill.get(), kRejectCopy);
  db::exec(s.session, "CREATE TEMP TABLE ingest_repeat_key (txn_id text) ON COMMIT DROP");
  if (s.sent.repeated_keys > 0) {
    copy_spill(s.session, s.repeat_spill.get(), "COPY ingest_repeat_key (txn_id) FROM STDIN");
  }
}

// ---- The fast path's end

void index_month_table(soci::session& session, const MonthTable& table) {
  // The key is built by sorting the whole month once (keys that arrive in order are found
  // sorted in one pass): give the sort room (server memory, this transaction only). Kept
  // row by row during the COPY instead, even ascending keys cost more: at 10 M rows, 15 s
  // of COPY against 7 s of COPY and 5-6 s of sort (docs/ingest.md).
  db::exec(session, "SET LOCAL maintenance_work_mem = '1GB'");
  db::exec(session, "ALTER TABLE " + table.name + " ADD PRIMARY KEY (source, txn_id, delivered_day)");
  // Statistics now: without them the planner takes the new table for a small one and the
  // key rules and the rest of the load would scan it whole.
  db::exec(session, "ANALYZE " + table.name);
}

namespace {

// Moves the table's rows of `source` whose txn_id `keys` (a query with $1 the source, $2
// and $3 free) yields back to staging; returns how many.
std::int64_t move_to_staging(soci::session& session, const MonthTable& table, const std::string& keys,
                             const db::Params& params) {
  return db::exec(session,
                  "WITH moved AS (DELETE FROM " + table.name + " f USING (" + keys +
                      ") k WHERE f.source = $1 AND f.txn_id = k.txn_id RETURNING f.*) "
                      "INSERT INTO ingest_staging (" +
                      kStagingColumns +
                      ") SELECT line, -1, 0, txn_id, agency, service, received_at, delivered_at, received_day, "
                      "delivered_day, quantity, tags, false FROM moved",
                  params);
}

std::optional<KeyRange> table_key_range(soci::session& session, const MonthTable& table, const std::string& source) {
  const db::Rows rows =
      db::query(session, "SELECT min(txn_id), max(txn_id) FROM " + table.name + " WHERE source = $1", {source});
  if (rows.is_null(0, 0) || rows.is_null(0, 1)) return std::nullopt;
  return KeyRange{rows.text(0, 0), rows.text(0, 1)};
}

}  // namespace

std::int64_t move_repeated_keys_to_staging(soci::session& session, const MonthTable& table, const std::string& source) {
  db::exec(session, "ANALYZE ingest_repeat_key");
  return move_to_staging(session, table, "SELECT DISTINCT txn_id FROM ingest_repeat_key", {source});
}

std::int64_t move_stored_keys_to_staging(soci::session& session, const MonthTable& table, const std::string& source) {
  // One probe of the table's key range through the primary key finds whether there can be
  // any; only then are they looked up one by one.
  const auto keys = table_key_range(session, table, source);
  if (!keys) return 0;
  const db::Params params{source, keys->lowest, keys->highest};
  const std::string range = "source = $1 AND txn_id BETWEEN $2 AND $3";
  if (db::scalar(session, "SELECT EXISTS (SELECT 1 FROM delivered_transaction WHERE " + range + ")", params) != "t") {
    return 0;
  }
  return move_to_staging(session, table, "SELECT DISTINCT txn_id FROM delivered_transaction WHERE " + range, params);
}

void attach_month_table(soci::session& session, const MonthTable& table) {
  db::exec(session, "ALTER TABLE delivered_transaction ATTACH PARTITION " + table.name + " FOR VALUES FROM (" +
                        db::quote_literal(ingest::format_day(table.first_day)) + ") TO (" +
                        db::quote_literal(ingest::format_day(table.next_day)) + ")");
  db::exec(session, "ALTER TABLE " + table.name + " DROP CONSTRAINT " + table.name +
                        "_month, ALTER source DROP DEFAULT, ALTER load_id DROP DEFAULT");
}

// ---- The key rules

void prepare_staged_rows(soci::session& session, const std::set<std::int32_t>& months) {
  db::exec(session, "ANALYZE ingest_staging");
  for (const std::int32_t month : months) {
    db::exec(session, "SELECT ingest_ensure_partition($1::date)", {ingest::format_day(month)});
  }
}

std::int64_t pick_special_rows(soci::session& session, const std::string& source, bool has_repeats,
                               const std::optional<KeyRange>& stored) {
  // `repeated`: the filter flagged the key (only those need the window rules). The stored
  // transaction of each special row's key is looked up here once by index probes, whatever
  // the planner's estimates (a join would read every stored row of the source): first in
  // the partition of the row's own day, where a re-delivered transaction is; only if it
  // is not there, in the others. A key outside the range the source's stored keys had
  // before this load cannot be stored, so the range test gates the probe (with ascending
  // ids, usually nothing is looked up). Constant texts, not parameters, for "no repeats"
  // and "nothing stored", so that the planner drops those parts.
  const std::string repeated = has_repeats ? "s.txn_id IN (SELECT txn_id FROM ingest_repeat_key)" : "false";
  const std::string in_range = stored ? "s.txn_id BETWEEN $2 AND $3" : "false";
  const std::string probe =
      "SELECT d.txn_id, d.agency, d.service, d.received_at, d.delivered_at, d.quantity, d.tags, "
      "d.delivered_day, d.load_id, d.line, d.cancelled_load_id FROM delivered_transaction d "
      "WHERE " +
      in_range + " AND d.source = $1 AND d.txn_id = s.txn_id AND d.delivered_day ";
  db::Params params{source};
  if (stored) {
    params.emplace_back(stored->lowest);
    params.emplace_back(stored->highest);
  }
  return db::exec(session,
                  "INSERT INTO ingest_special SELECT s.*, " + repeated +
                      ", e.txn_id IS NOT NULL, e.cancelled_load_id IS NOT NULL, e.agency, e.service, "
                      "e.received_at, e.delivered_at, e.quantity, e.tags, e.delivered_day, e.load_id, e.line "
                      "FROM ingest_staging s LEFT JOIN LATERAL (" +
                      probe + "= s.delivered_day UNION ALL " + probe + "<> s.delivered_day LIMIT 1) e ON true WHERE " +
                      repeated + " OR s.cancelled OR e.txn_id IS NOT NULL",
                  params);
}

KeyOutcomes apply_key_rules(soci::session& session) {
  db::exec(session, "ANALYZE ingest_special");
  db::exec(session, "CREATE TEMP TABLE ingest_outcome ON COMMIT DROP AS SELECT * FROM ingest_key_outcome()");
  db::exec(session, "ANALYZE ingest_outcome");
  const db::Rows rows = db::query(session,
                                  "SELECT outcome, outcome = 'cancels' AND e_exists, count(*) FROM ingest_outcome "
                                  "GROUP BY 1, 2");
  KeyOutcomes outcomes;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string& outcome = rows.text(r, 0);
    const std::int64_t n = to_int(rows.text(r, 2));
    if (outcome == "accepted") outcomes.accepted += n;
    if (outcome == "duplicate") outcomes.duplicates += n;
    if (outcome == "conflict") outcomes.conflicts += n;
    if (outcome == "unknown_cancellation") outcomes.unknown_cancellations += n;
    if (outcome == "cancels") outcomes.cancels += n;
    if (rows.text(r, 1) == "t") outcomes.stored_cancels += n;
  }
  return outcomes;
}

std::int64_t insert_accepted_special(soci::session& session, const std::string& source, std::int64_t load_id) {
  return db::exec(session,
                  std::string("INSERT INTO delivered_transaction (") + kTransactionColumns +
                      ", cancelled_load_id, cancelled_line) SELECT $1, o.txn_id, o.agency, o.service, o.received_at, "
                      "o.delivered_at, o.received_day, o.delivered_day, o.quantity, o.tags, $2::bigint, o.line, "
                      "CASE WHEN c.line IS NULL THEN NULL ELSE $2::bigint END, c.line "
                      "FROM ingest_outcome o LEFT JOIN ingest_outcome c ON c.txn_id = o.txn_id AND c.outcome = "
                      "'cancels' WHERE o.outcome = 'accepted'",
                  {source, std::to_string(load_id)});
}

std::int64_t cancel_stored(soci::session& session, const std::string& source, std::int64_t load_id) {
  return db::exec(session,
                  "UPDATE delivered_transaction t SET cancelled_load_id = $2::bigint, cancelled_line = o.line "
                  "FROM ingest_outcome o WHERE o.outcome = 'cancels' AND o.e_exists AND t.source = $1 "
                  "AND t.txn_id = o.txn_id AND t.delivered_day = o.e_day AND t.cancelled_load_id IS NULL",
                  {source, std::to_string(load_id)});
}

void mark_rule_dirty_days(soci::session& session, std::int64_t load_id) {
  db::exec(session,
           "INSERT INTO ingest_dirty_day (agency, service, day, load_id) "
           "SELECT e_agency, e_service, e_day, $1::bigint FROM ingest_outcome WHERE outcome = 'cancels' AND e_exists "
           "UNION SELECT agency, service, delivered_day, $1::bigint FROM ingest_outcome "
           "WHERE outcome IN ('accepted', 'cancels') ON CONFLICT DO NOTHING",
           {std::to_string(load_id)});
}

std::vector<std::int64_t> rule_rejects_without_place(soci::session& session) {
  const db::Rows rows = db::query(session,
                                  "SELECT line FROM ingest_outcome WHERE byte_offset < 0 AND "
                                  "outcome IN ('conflict', 'unknown_cancellation') ORDER BY line");
  std::vector<std::int64_t> lines;
  for (std::size_t r = 0; r < rows.size(); ++r) lines.push_back(to_int(rows.text(r, 0)));
  return lines;
}

void place_rule_rejects(soci::session& session, const std::vector<FilePlace>& places) {
  std::vector<std::string> lines;
  std::vector<std::string> offsets;
  std::vector<std::string> lengths;
  for (const FilePlace& place : places) {
    lines.push_back(std::to_string(place.line));
    offsets.push_back(std::to_string(place.offset));
    lengths.push_back(std::to_string(place.length));
  }
  db::exec(session,
           "UPDATE ingest_outcome o SET byte_offset = l.byte_offset, byte_length = l.byte_length "
           "FROM unnest($1::bigint[], $2::bigint[], $3::integer[]) AS l (line, byte_offset, byte_length) "
           "WHERE o.line = l.line",
           {db::text_array(lines), db::text_array(offsets), db::text_array(lengths)});
}

void store_rule_rejects(soci::session& session, std::int64_t load_id, const std::string& source,
                        const RawLineReader& raw) {
  db::exec(session,
           "DECLARE ingest_sql_rejects NO SCROLL CURSOR FOR SELECT line, byte_offset, byte_length, outcome, "
           "reason, txn_id, agency, delivered_day::text FROM ingest_outcome "
           "WHERE outcome IN ('conflict', 'unknown_cancellation') ORDER BY line");
  const std::string prefix = std::to_string(load_id) + "\t" + source + "\t";
  const std::string fetch = "FETCH " + std::to_string(kRejectBatch) + " FROM ingest_sql_rejects";
  std::string text;
  while (true) {
    const db::Rows rows = db::query(session, fetch);
    if (rows.empty()) break;
    db::CopyIn copy(session, kRejectCopy);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      text = prefix + rows.text(r, 0) + "\t" + rows.text(r, 3) + "\t";
      db::append_copy_text(text, rows.text(r, 4));
      text.push_back('\t');
      const auto length = static_cast<std::int32_t>(to_int(rows.text(r, 2)));
      db::append_copy_text(text, escape_invalid_utf8(raw(to_int(rows.text(r, 1)), length)));
      for (const std::size_t field : {5U, 6U, 7U}) {
        text.push_back('\t');
        db::append_copy_text(text, rows.text(r, field));
      }
      text.push_back('\n');
      copy.write(text);
    }
    copy.finish();
    if (rows.size() < static_cast<std::size_t>(kRejectBatch)) break;
  }
  db::exec(session, "CLOSE ingest_sql_rejects");
}

std::int64_t insert_plain_staged(soci::session& session, const std::string& source, std::int64_t load_id,
                                 bool has_special) {
  std::string sql = std::string("INSERT INTO delivered_transaction (") + kTransactionColumns +
                    ") SELECT $1, s.txn_id, s.agency, s.service, s.received_at, s.delivered_at, s.received_day, "
                    "s.delivered_day, s.quantity, s.tags, $2::bigint, s.line FROM ingest_staging s";
  if (has_special) sql += " WHERE NOT EXISTS (SELECT 1 FROM ingest_special p WHERE p.line = s.line)";
  return db::exec(session, sql, {source, std::to_string(load_id)});
}

void mark_dirty_days(soci::session& session, std::int64_t load_id, const std::vector<DayKey>& keys) {
  if (keys.empty()) return;
  db::exec(session, "CREATE TEMP TABLE ingest_touched (agency text, service text, day date) ON COMMIT DROP");
  {
    db::CopyIn copy(session, "COPY ingest_touched (agency, service, day) FROM STDIN");
    std::string text;
    for (const DayKey& key : keys) {
      text.clear();
      db::append_copy_text(text, key.agency);
      text.push_back('\t');
      db::append_copy_text(text, key.service);
      text.push_back('\t');
      text += ingest::format_day(key.day);
      text.push_back('\n');
      copy.write(text);
    }
    copy.finish();
  }
  db::exec(session,
           "INSERT INTO ingest_dirty_day (agency, service, day, load_id) SELECT agency, service, day, $1::bigint "
           "FROM ingest_touched ON CONFLICT DO NOTHING",
           {std::to_string(load_id)});
}

// ---- The load's end

std::map<std::string, std::int64_t> reject_counts(soci::session& session, std::int64_t load_id) {
  const db::Rows rows = db::query(session,
                                  "SELECT reason_code, count(*) FROM ingest_reject WHERE load_id = $1 "
                                  "GROUP BY reason_code ORDER BY reason_code",
                                  {std::to_string(load_id)});
  std::map<std::string, std::int64_t> counts;
  for (std::size_t r = 0; r < rows.size(); ++r) counts[rows.text(r, 0)] = to_int(rows.text(r, 1));
  return counts;
}

void close_load(soci::session& session, std::int64_t load_id, const LoadCounts& counts) {
  db::exec(session,
           "UPDATE ingest_load SET rows_read = $2, accepted = $3, duplicates = $4, rejected = $5, "
           "cancellations = $6 WHERE id = $1",
           {std::to_string(load_id), std::to_string(counts.rows_read), std::to_string(counts.accepted),
            std::to_string(counts.duplicates), std::to_string(counts.rejected), std::to_string(counts.cancellations)});
  db::exec(session, "TRUNCATE ingest_staging, ingest_special");
}

void analyze_written(soci::session& session, const std::set<std::int32_t>& months) {
  // Statistics true for what the load wrote: the next load's key rules and cancellations
  // join these partitions, and on stale statistics (a month holding one source's rows,
  // planned as if it held a few) the planner picks a nested loop over a sequential scan
  // that takes minutes instead of seconds.
  for (const std::int32_t month : months) {
    const std::string partition = month_table_name(month);
    if (table_exists(session, partition)) db::exec(session, "ANALYZE " + partition);
  }
  db::exec(session, "ANALYZE ingest_dirty_day");
}

void for_each_reject(soci::session& session, std::int64_t load_id,
                     const std::function<void(const StoredReject&)>& on_reject) {
  db::exec(session,
           "DECLARE ingest_rejects NO SCROLL CURSOR FOR SELECT line, reason_code, reason, raw FROM ingest_reject "
           "WHERE load_id = $1 ORDER BY line",
           {std::to_string(load_id)});
  const std::string fetch = "FETCH " + std::to_string(kRejectBatch) + " FROM ingest_rejects";
  StoredReject reject;
  while (true) {
    const db::Rows rows = db::query(session, fetch);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      reject.line = to_int(rows.text(r, 0));
      reject.reason_code = rows.text(r, 1);
      reject.reason = rows.text(r, 2);
      reject.raw = rows.text(r, 3);
      on_reject(reject);
    }
    if (rows.size() < static_cast<std::size_t>(kRejectBatch)) break;
  }
  db::exec(session, "CLOSE ingest_rejects");
}

}  // namespace costcover::store
