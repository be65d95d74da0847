#include "jobs/ingest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "core/csv.hpp"
#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "db/copy.hpp"
#include "db/job.hpp"
#include "db/query.hpp"
#include "ingest/csv_scanner.hpp"
#include "ingest/row.hpp"
#include "ingest/timestamp.hpp"

namespace costcover::jobs {
namespace {

constexpr std::size_t kCopyFlushBytes = 256U << 10U;
constexpr int kRejectBatch = 10'000;

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// PostgreSQL binary COPY encoding.
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

// A fixed-size Bloom filter over txn_ids: flags a row whose key may have appeared earlier
// in the same file. Never misses a real repeat; a false alarm only sends the row down the
// slower exact path in SQL. 32 MiB whatever the file size.
class RepeatFilter {
 public:
  RepeatFilter() : bits_(kWords, 0) {}
  // Adds the key; true when it may have been added before.
  bool add(std::string_view key) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : key) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= h >> 33U;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33U;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33U;
    const std::uint64_t h1 = h;
    const std::uint64_t h2 = (h >> 32U) | 1U;
    bool seen = true;
    for (std::uint64_t i = 0; i < kHashes; ++i) {
      const std::uint64_t bit = (h1 + i * h2) & (kBits - 1);
      std::uint64_t& word = bits_[bit >> 6U];
      const std::uint64_t mask = 1ULL << (bit & 63U);
      if ((word & mask) == 0) {
        seen = false;
        word |= mask;
      }
    }
    return seen;
  }

 private:
  // 32 MiB and 4 probes: about 1 false alarm in 3 000 rows at 10 million keys.
  static constexpr std::uint64_t kBits = 1ULL << 28U;
  static constexpr std::uint64_t kHashes = 4;
  static constexpr std::size_t kWords = kBits / 64;
  std::vector<std::uint64_t> bits_;
};

long long execute(soci::session& session, const std::string& sql) {
  soci::statement st = (session.prepare << sql);
  st.execute(true);
  return st.get_affected_rows();
}

long long query_count(soci::session& session, const std::string& sql) {
  long long value = 0;
  session << sql, soci::into(value);
  return value;
}

// The lowest and highest txn_id a source has in `table` (the ends of its key index), or
// nothing when it has none there. `source` is a quoted literal.
std::optional<std::pair<std::string, std::string>> key_range(soci::session& session, const std::string& table,
                                                             const std::string& source) {
  std::string lowest;
  std::string highest;
  soci::indicator low_ind = soci::i_null;
  soci::indicator high_ind = soci::i_null;
  session << "SELECT min(txn_id), max(txn_id) FROM " + table + " WHERE source = " + source, soci::into(lowest, low_ind),
      soci::into(highest, high_ind);
  if (low_ind != soci::i_ok || high_ind != soci::i_ok) return std::nullopt;
  return std::make_pair(lowest, highest);
}

std::vector<std::string> read_ids(soci::session& session, const std::string& table) {
  std::vector<std::string> ids;
  soci::rowset<std::string> rows = (session.prepare << "SELECT id FROM " + table + " ORDER BY id");
  for (const auto& id : rows) ids.push_back(id);
  return ids;
}

// Copies a spill file (COPY text format) into a table.
void copy_spill(soci::session& session, std::FILE* spill, const std::string& copy_sql) {
  std::fflush(spill);
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

std::string read_raw(int fd, std::int64_t offset, std::int32_t length) {
  std::string raw(static_cast<std::size_t>(length), '\0');
  const ssize_t got = ::pread(fd, raw.data(), raw.size(), offset);
  if (got != static_cast<ssize_t>(raw.size())) throw std::runtime_error("cannot re-read a rejected line of the input");
  if (!raw.empty() && raw.back() == '\r') raw.pop_back();
  return raw;
}

// Writes the load's rejects (line order) to `tmp`, inside the load's transaction; the
// caller renames it into place after the commit, so a file that cannot be written fails
// the load before anything is committed. It is for people: its text fields are
// neutralised against spreadsheet formulas (csv_text_field).
void write_reject_file(soci::session& session, std::int64_t load_id, const std::string& tmp) {
  File out(std::fopen(tmp.c_str(), "wb"));
  if (!out) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  std::string text = "line,reason_code,reason,raw\n";
  session << "DECLARE ingest_rejects NO SCROLL CURSOR FOR SELECT line, reason_code, reason, raw FROM ingest_reject "
             "WHERE load_id = " +
                 std::to_string(load_id) + " ORDER BY line";
  while (true) {
    std::vector<long long> lines(kRejectBatch);
    std::vector<std::string> codes(kRejectBatch);
    std::vector<std::string> reasons(kRejectBatch);
    std::vector<std::string> raws(kRejectBatch);
    session << "FETCH " + std::to_string(kRejectBatch) + " FROM ingest_rejects", soci::into(lines), soci::into(codes),
        soci::into(reasons), soci::into(raws);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      text += std::to_string(lines[i]);
      text.push_back(',');
      text += csv_text_field(codes[i]);
      text.push_back(',');
      text += csv_text_field(reasons[i]);
      text.push_back(',');
      text += csv_text_field(raws[i]);
      text.push_back('\n');
    }
    std::fwrite(text.data(), 1, text.size(), out.get());
    text.clear();
    if (lines.size() < static_cast<std::size_t>(kRejectBatch)) break;
  }
  session << "CLOSE ingest_rejects";
  if (std::fclose(out.release()) != 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
}

// The fast path for the first load of a month (measured in docs/ingest.md). When the month
// of the file's first valid row has no partition yet, the load creates it as a plain table
// in its own transaction, copies that month's plain rows (new keys seen once, not
// cancellations) straight into it with COPY FREEZE, a single write with no index upkeep
// per row, builds the primary key afterwards, moves the rows whose keys need the exact
// rules (repeated in the file, or already stored in another month) back to staging, and
// attaches the table as the month's partition. A rollback or a kill drops it with the rest
// of the load.
struct NewMonthTable {
  std::string name;
  std::int32_t first_day = 0;
  std::int32_t next_day = 0;

  static std::optional<NewMonthTable> create_if_new(soci::session& session, std::int32_t first_day,
                                                    const std::string& source, long long load_id) {
    const ingest::CivilDate civil = ingest::civil_from_days(first_day);
    NewMonthTable table;
    table.first_day = first_day;
    table.next_day = civil.month == 12 ? ingest::days_from_civil(civil.year + 1, 1, 1)
                                       : ingest::days_from_civil(civil.year, civil.month + 1, 1);
    const std::string day = ingest::format_day(first_day);  // YYYY-MM-DD
    table.name = "delivered_transaction_" + day.substr(0, 4) + "_" + day.substr(5, 2);
    if (query_count(session, "SELECT (to_regclass('" + table.name + "') IS NULL)::int") == 0) return std::nullopt;
    session << "CREATE TABLE " + table.name + " (LIKE delivered_transaction INCLUDING DEFAULTS INCLUDING CONSTRAINTS)";
    // The partition's range as a constraint: ATTACH PARTITION then need not scan the rows.
    session << "ALTER TABLE " + table.name + " ADD CONSTRAINT " + table.name + "_month CHECK (delivered_day >= DATE '" +
                   day + "' AND delivered_day < DATE '" + ingest::format_day(table.next_day) + "')";
    // The load's source and id are the same on every row: as defaults, the COPY need not
    // carry and decode them (about a tenth of the server's COPY time). Dropped at attach.
    session << "ALTER TABLE " + table.name + " ALTER source SET DEFAULT " + source + ", ALTER load_id SET DEFAULT " +
                   std::to_string(load_id);
    // (The parent's BRIN index is left to ATTACH, which builds it in one pass: kept row by
    // row during the COPY, an empty BRIN index costs more and summarises nothing.)
    return table;
  }

  // Indexes and attaches the table; returns the number of rows moved to ingest_staging.
  // `stored_before`: the source had stored transactions before this load (else no key of
  // the table can be stored elsewhere).
  std::int64_t finish(soci::session& session, const std::string& source, bool has_repeats, bool stored_before,
                      const std::function<void()>& indexed) const {
    // The key is built by sorting the whole month once (keys that arrive in order are
    // found sorted in one pass): give the sort room (server memory, this transaction only).
    // Kept row by row during the COPY instead, even ascending keys cost more: at 10 M rows,
    // 15 s of COPY against 7 s of COPY and 5-6 s of sort (docs/ingest.md).
    session << "SET LOCAL maintenance_work_mem = '1GB'";
    session << "ALTER TABLE " + name + " ADD PRIMARY KEY (source, txn_id, delivered_day)";
    // Statistics now: without them the planner takes the new table for a small one and
    // the key rules below and in the load would scan it whole.
    session << "ANALYZE " + name;
    indexed();
    const auto move = [&](const std::string& keys) {
      return execute(session,
                     "WITH moved AS (DELETE FROM " + name + " f USING (" + keys + ") k WHERE f.source = " + source +
                         " AND f.txn_id = k.txn_id RETURNING f.*) "
                         "INSERT INTO ingest_staging (line, byte_offset, byte_length, txn_id, agency, service, "
                         "received_at, delivered_at, received_day, delivered_day, quantity, tags, cancelled) "
                         "SELECT line, -1, 0, txn_id, agency, service, received_at, delivered_at, received_day, "
                         "delivered_day, quantity, tags, false FROM moved");
    };
    std::int64_t moved = 0;
    if (has_repeats) {
      session << "ANALYZE ingest_repeat_key";
      moved += move("SELECT DISTINCT txn_id FROM ingest_repeat_key");
    }
    // Keys stored in other months: one probe of the table's key range through the primary
    // key finds whether there can be any; only then are they looked up one by one.
    if (!stored_before) return attach(session, moved);
    if (const auto keys = key_range(session, name, source)) {
      const std::string range = "source = " + source + " AND txn_id BETWEEN " + db::quote_literal(keys->first) +
                                " AND " + db::quote_literal(keys->second);
      if (query_count(session, "SELECT EXISTS (SELECT 1 FROM delivered_transaction WHERE " + range + ")::int") != 0) {
        moved += move("SELECT DISTINCT txn_id FROM delivered_transaction WHERE " + range);
      }
    }
    return attach(session, moved);
  }

  // Attaches the table as the month's partition; returns `moved`.
  std::int64_t attach(soci::session& session, std::int64_t moved) const {
    session << "ALTER TABLE delivered_transaction ATTACH PARTITION " + name + " FOR VALUES FROM ('" +
                   ingest::format_day(first_day) + "') TO ('" + ingest::format_day(next_day) + "')";
    session << "ALTER TABLE " + name + " DROP CONSTRAINT " + name +
                   "_month, ALTER source DROP DEFAULT, "
                   "ALTER load_id DROP DEFAULT";
    return moved;
  }
};

// Rows moved back from a new month table have no byte offset (the table does not keep
// it); when one of them is rejected, its raw line is found by scanning the file again.
// This happens only for a conflict with a key stored in another month, which is rare.
void locate_moved_rejects(soci::session& session, const std::string& path) {
  std::vector<long long> lines;
  {
    soci::rowset<long long> rows = (session.prepare << "SELECT line FROM ingest_outcome WHERE byte_offset < 0 AND "
                                                       "outcome IN ('conflict', 'unknown_cancellation') ORDER BY line");
    for (const long long line : rows) lines.push_back(line);
  }
  if (lines.empty()) return;
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) throw std::runtime_error(path + ": cannot reopen: " + std::strerror(errno));
  session << "CREATE TEMP TABLE ingest_located (line bigint, byte_offset bigint, byte_length integer) ON COMMIT DROP";
  std::size_t found = 0;
  {
    db::CopyIn copy(session, "COPY ingest_located (line, byte_offset, byte_length) FROM STDIN");
    ingest::CsvScanner scanner(file.get(), ingest::kColumns);
    ingest::CsvRecord record;
    while (found < lines.size() && scanner.next(record)) {
      if (record.line != lines[found]) continue;
      copy.write(std::to_string(record.line) + "\t" + std::to_string(record.offset) + "\t" +
                 std::to_string(record.raw.size()) + "\n");
      ++found;
    }
    copy.finish();
  }
  if (found != lines.size()) {
    throw InvariantError("cannot find line " + std::to_string(lines[found]) + " of " + path + " again");
  }
  session << "UPDATE ingest_outcome o SET byte_offset = l.byte_offset, byte_length = l.byte_length "
             "FROM ingest_located l WHERE o.line = l.line";
}
}  // namespace

std::string check_source_name(const std::string& source) {
  if (source.empty() || source.size() > 64) return "source name must be 1 to 64 characters, got \"" + source + "\"";
  for (std::size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) {
      return "source name \"" + source +
             "\" may contain only letters, digits, '_', '.' and '-' (and starts with a letter or digit)";
    }
  }
  return {};
}

IngestReport ingest_file(soci::session& session, const IngestOptions& options) {
  // COSTCOVER_TRACE=1 prints the time of each phase to stderr (for the benchmark).
  const bool trace = std::getenv("COSTCOVER_TRACE") != nullptr;
  auto phase_start = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    if (!trace) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "  ingest %-12s %8.3f s\n", name, std::chrono::duration<double>(now - phase_start).count());
    phase_start = now;
  };
  if (const std::string problem = check_source_name(options.source); !problem.empty()) throw InputError(problem);
  // The file's name as stored (ingest_load.file_name, job_run.inputs) and in messages: a
  // name that is not UTF-8 has its invalid bytes shown as \xNN (the database takes UTF-8).
  const std::string file_name = escape_invalid_utf8(options.file);
  File file(std::fopen(options.file.c_str(), "rb"));
  if (!file) throw InputError(file_name + ": cannot open: " + std::strerror(errno));
  IngestReport report;
  report.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(options.file));
  const std::string reject_path = options.reject_file.empty() ? options.file + ".rejects.csv" : options.reject_file;

  {
    // The header, with an optional UTF-8 byte order mark.
    ingest::CsvScanner header_scanner(file.get(), ingest::kColumns);
    ingest::CsvRecord record;
    if (!header_scanner.next(record))
      throw InputError(file_name + ":1: the file is empty; expected the header " + std::string(ingest::kHeader));
    std::string_view header = record.raw;
    if (header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
    if (header != ingest::kHeader) {
      throw InputError(file_name + ":" + std::to_string(record.line) + ": header \"" +
                       std::string(header.substr(0, 200)) + "\" is not the transaction header \"" +
                       std::string(ingest::kHeader) + "\"");
    }
  }

  const std::string source = db::quote_literal(options.source);
  db::JobSpec spec("ingest", db::kIngestLock, options.parameters_json,
                   "{\"file\":" + db::json_string(file_name) + ",\"bytes\":" + std::to_string(report.file_bytes) + "}");
  spec.notice = options.notice;
  const std::int64_t file_bytes = report.file_bytes;
  db::run_job(session, spec, [&](db::Job& run) {
    report = IngestReport{};  // the job may run again after a transient error
    report.file_bytes = file_bytes;
    std::rewind(file.get());
    ingest::CsvScanner scanner(file.get(), ingest::kColumns);
    ingest::CsvRecord record;
    (void)scanner.next(record);  // the header, checked above
    run.step("loading " + file_name);
    // Take the dirty-day lock first: the nightly job holds it while it counts, and taking
    // it in a fixed order keeps the two from deadlocking.
    db::lock_table(session, "ingest_dirty_day", "ROW EXCLUSIVE", "the nightly count to finish", spec.notice);
    session << "SET LOCAL work_mem = '64MB'";
    session << "SET LOCAL jit = off";  // compiling costs more than it saves on these statements
    ingest::RowValidator validator(read_ids(session, "agency"), read_ids(session, "service"), options.as_of_micros);
    long long load_id = 0;
    session << "INSERT INTO ingest_load (job_run_id, source, file_name, file_bytes, as_of) VALUES (" +
                   std::to_string(run.run_id()) + ", " + source + ", " + db::quote_literal(file_name) + ", " +
                   std::to_string(report.file_bytes) + ", '" + ingest::format_helsinki(options.as_of_micros) +
                   "') RETURNING id",
        soci::into(load_id);
    report.load_id = load_id;
    session << "TRUNCATE ingest_staging";
    // The source's stored keys before this load, lowest and highest (the key index's ends).
    const auto stored_keys = key_range(session, "delivered_transaction", source);

    // Stream. Valid rows go with binary COPY either to the staging table or, on the fast
    // path, straight into a new month table (see NewMonthTable). Rejects, possibly repeated
    // keys and (on the fast path) the rows for staging go to spill files that are copied
    // after the stream ends (a connection runs one COPY at a time).
    File reject_spill(std::tmpfile());
    File repeat_spill(std::tmpfile());
    File staging_spill(std::tmpfile());
    if (!reject_spill || !repeat_spill || !staging_spill) throw std::runtime_error("cannot create a temporary file");
    RepeatFilter repeats;
    std::set<std::tuple<int, int, std::int32_t>> touched;  // (agency, service, day): bounded
    std::set<std::int32_t> months;                         // first day of each month
    std::int64_t staged = 0;                               // rows in ingest_staging
    std::int64_t fast_rows = 0;                            // rows copied into the new month table
    std::int64_t fast_later = 0;                           // rows of its month that reach it after its ANALYZE
    std::int64_t cpp_rejects = 0;
    std::int64_t repeat_rows = 0;
    const std::string staging_copy_sql =
        "COPY ingest_staging (line, byte_offset, byte_length, txn_id, agency, service, received_at, delivered_at, "
        "received_day, delivered_day, quantity, tags, cancelled) FROM STDIN (FORMAT binary)";
    std::optional<NewMonthTable> fast;
    {
      // Opened at the first valid row, when its month is known.
      std::optional<db::CopyIn> copy;
      bool decided = false;
      BinaryRows out;    // rows for `copy`
      BinaryRows spill;  // fast path: rows for staging, written to staging_spill
      ingest::ValidRow row;
      ingest::Rejection rejection;
      std::string line_text;
      const std::string load_prefix = std::to_string(load_id) + "\t" + options.source + "\t";
      // The row's own fields, txn_id to tags, as both COPY layouts have them.
      const auto put_content = [&](BinaryRows& to) {
        to.text(row.txn_id);
        to.text(row.agency);
        to.text(row.service);
        to.timestamptz(row.received_micros);
        to.timestamptz(row.delivered_micros);
        to.date(row.received_day);
        to.date(row.delivered_day);
        to.int4(row.quantity);
        to.text(row.tags);
      };
      auto stage = [&](BinaryRows& to) {
        to.begin_row(13);
        to.int8(record.line);
        to.int8(record.offset);
        to.int4(static_cast<std::int32_t>(record.raw.size()));
        put_content(to);
        to.boolean(row.cancelled);
        ++staged;
      };
      while (scanner.next(record)) {
        ++report.rows_read;
        bool ok = false;
        if (!record.error.empty()) {
          rejection.reason = ingest::RejectReason::malformed_csv;
          rejection.message = record.error;
        } else {
          ok = validator.validate(record.raw, record.fields, row, rejection);
        }
        if (!ok) {
          ++cpp_rejects;
          line_text = load_prefix;
          line_text += std::to_string(record.line);
          line_text.push_back('\t');
          line_text += ingest::reason_code(rejection.reason);
          line_text.push_back('\t');
          db::append_copy_text(line_text, rejection.message);
          line_text.push_back('\t');
          db::append_copy_text(line_text, escape_invalid_utf8(record.raw));
          const ingest::RejectedRowFields said = record.error.empty() ? ingest::read_rejected_row(record.fields)
                                                                      : ingest::read_malformed_row(record.fields);
          for (const auto& field : {said.txn_id, said.agency}) {
            line_text.push_back('\t');
            if (field) {
              db::append_copy_text(line_text, *field);
            } else {
              line_text += "\\N";
            }
          }
          line_text.push_back('\t');
          line_text += said.delivered_day ? ingest::format_day(*said.delivered_day) : "\\N";
          line_text.push_back('\n');
          std::fwrite(line_text.data(), 1, line_text.size(), reject_spill.get());
        } else {
          const ingest::CivilDate civil = ingest::civil_from_days(row.delivered_day);
          const std::int32_t month = ingest::days_from_civil(civil.year, civil.month, 1);
          if (!decided) {
            decided = true;
            if (options.new_month_fast_path) fast = NewMonthTable::create_if_new(session, month, source, load_id);
            copy.emplace(
                session,
                fast ? "COPY " + fast->name +
                           " (txn_id, agency, service, received_at, delivered_at, "
                           "received_day, delivered_day, quantity, tags, line) FROM STDIN (FORMAT binary, FREEZE)"
                     : staging_copy_sql,
                db::CopyIn::Mode::background);
          }
          const bool repeated = repeats.add(row.txn_id);
          if (repeated) {
            ++repeat_rows;
            line_text.clear();
            db::append_copy_text(line_text, row.txn_id);
            line_text.push_back('\n');
            std::fwrite(line_text.data(), 1, line_text.size(), repeat_spill.get());
          }
          touched.emplace(row.agency_index, row.service_index, row.delivered_day);
          months.insert(month);
          if (!fast) {
            stage(out);
          } else if (month == fast->first_day && !row.cancelled && !repeated) {
            out.begin_row(10);
            put_content(out);
            out.int8(record.line);
            ++fast_rows;
          } else {
            if (month == fast->first_day) ++fast_later;
            stage(spill);
            if (spill.buffer().size() >= kCopyFlushBytes) {
              std::fwrite(spill.buffer().data(), 1, spill.buffer().size(), staging_spill.get());
              spill.buffer().clear();
            }
          }
          if (out.buffer().size() >= kCopyFlushBytes) {
            copy->write(out.buffer());
            out.buffer().clear();
          }
        }
        if (options.progress && (report.rows_read & 0xFFFF) == 0) options.progress(report.rows_read);
      }
      if (trace && fast) std::fprintf(stderr, "  ingest fast path: %s\n", fast->name.c_str());
      if (copy) {
        out.trailer();
        copy->write(out.buffer());
        const long long copied = copy->finish();
        const std::int64_t sent = fast ? fast_rows : staged;
        if (copied != sent) {
          throw InvariantError("copied " + std::to_string(copied) + " rows but sent " + std::to_string(sent));
        }
      }
      if (fast && staged > 0) {
        spill.trailer();
        std::fwrite(spill.buffer().data(), 1, spill.buffer().size(), staging_spill.get());
        if (std::ferror(staging_spill.get()) != 0) throw std::runtime_error("cannot write the staging spill file");
        copy_spill(session, staging_spill.get(), staging_copy_sql);
      }
    }
    if (options.progress) options.progress(report.rows_read);
    phase("copy");
    if (cpp_rejects > 0) {
      copy_spill(session, reject_spill.get(),
                 "COPY ingest_reject (load_id, source, line, reason_code, reason, raw, txn_id, agency, "
                 "delivered_day) FROM STDIN");
    }
    session << "CREATE TEMP TABLE ingest_repeat_key (txn_id text) ON COMMIT DROP";
    if (repeat_rows > 0) copy_spill(session, repeat_spill.get(), "COPY ingest_repeat_key (txn_id) FROM STDIN");
    std::int64_t fast_kept = 0;
    if (fast) {
      const std::int64_t moved =
          fast->finish(session, source, repeat_rows > 0, stored_keys.has_value(), [&] { phase("index"); });
      staged += moved;
      fast_later += moved;
      fast_kept = fast_rows - moved;
      phase("attach");
    }
    session << "ANALYZE ingest_staging";
    for (const std::int32_t month : months) {
      session << "SELECT ingest_ensure_partition('" + ingest::format_day(month) + "')";
    }
    phase("analyze");

    // Special rows: cancellations, keys that may repeat within the file (`repeated`: the
    // filter flagged them; only those need the window rules below), keys already stored.
    // Everything else is a new key seen once: accepted as is.
    // Each special row carries the stored transaction of its key (e_*, NULL if none), looked
    // up here once by index probes, whatever the planner's estimates (a join would read
    // every stored row of the source): first in the partition of the row's own day, where
    // a re-delivered transaction is; only if it is not there, in the others. A key outside
    // the range the source's stored keys had before this load cannot be stored, so the
    // range test gates the probe (with ascending ids, usually nothing is looked up).
    const std::string repeated = repeat_rows > 0 ? "s.txn_id IN (SELECT txn_id FROM ingest_repeat_key)" : "false";
    const std::string in_range = stored_keys ? "s.txn_id BETWEEN " + db::quote_literal(stored_keys->first) + " AND " +
                                                   db::quote_literal(stored_keys->second)
                                             : "false";
    const std::string probe =
        "SELECT d.txn_id, d.agency, d.service, d.received_at, d.delivered_at, d.quantity, d.tags, "
        "d.delivered_day, d.load_id, d.line, d.cancelled_load_id FROM delivered_transaction d "
        "WHERE " +
        in_range + " AND d.source = " + source + " AND d.txn_id = s.txn_id AND d.delivered_day ";
    const std::string special_where = repeated + " OR s.cancelled OR e.txn_id IS NOT NULL";
    const long long special = execute(
        session, "CREATE TEMP TABLE ingest_special ON COMMIT DROP AS SELECT s.*, " + repeated +
                     " AS repeated, "
                     "e.txn_id IS NOT NULL AS e_exists, "
                     "e.cancelled_load_id IS NOT NULL AS e_cancelled, e.agency AS e_agency, e.service AS e_service, "
                     "e.received_at AS e_received_at, e.delivered_at AS e_delivered_at, e.quantity AS e_quantity, "
                     "e.tags AS e_tags, e.delivered_day AS e_day, e.load_id AS e_load_id, e.line AS e_line "
                     "FROM ingest_staging s LEFT JOIN LATERAL (" +
                     probe + "= s.delivered_day UNION ALL " + probe + "<> s.delivered_day LIMIT 1) e ON true WHERE " +
                     special_where);
    if (special > 0) session << "ANALYZE ingest_special";
    phase("special");
    const std::string columns =
        "source, txn_id, agency, service, received_at, delivered_at, received_day, delivered_day, "
        "quantity, tags, load_id, line";
    const std::string load = std::to_string(load_id);

    std::int64_t special_accepted = 0;
    std::int64_t special_cancels = 0;
    std::int64_t special_duplicates = 0;
    std::int64_t special_rejects = 0;
    if (special > 0) {
      // The rules for one key, in line order: the stored transaction (if any) or else the
      // key's first delivered row in the file is the reference; a delivered row with the
      // reference's content is a duplicate, with other content a conflict; the first
      // cancellation after the reference cancels it, later ones are duplicates; a
      // cancellation before any reference cancels nothing and is rejected, and so is one
      // before the file's own first delivered row of the key (else re-delivering the file
      // would apply a cancellation its first load rejected).
      // For a key with several rows: its first delivered row in the file is the first of
      // its window ordered by (cancelled, line), as delivered rows sort first. (The c_* of
      // a key with cancellations only are never used: they matter for delivered rows
      // alone.) Both windows share one sort by key, and so does the next level's. A key
      // with one row (most of a re-delivery) needs no window: its reference is the stored
      // transaction or the row itself, and a cancellation is its only one.
      session
          << "CREATE TEMP TABLE ingest_outcome ON COMMIT DROP AS "
             "WITH multi_reference AS ("
             "  SELECT p.*,"
             "    min(p.line) FILTER (WHERE NOT p.cancelled) OVER (PARTITION BY p.txn_id) AS ref_line,"
             "    CASE WHEN p.e_exists THEN p.e_agency ELSE first_value(p.agency) OVER w END AS c_agency,"
             "    CASE WHEN p.e_exists THEN p.e_service ELSE first_value(p.service) OVER w END AS c_service,"
             "    CASE WHEN p.e_exists THEN p.e_received_at ELSE first_value(p.received_at) OVER w END AS "
             "c_received_at,"
             "    CASE WHEN p.e_exists THEN p.e_delivered_at ELSE first_value(p.delivered_at) OVER w END AS "
             "c_delivered_at,"
             "    CASE WHEN p.e_exists THEN p.e_quantity ELSE first_value(p.quantity) OVER w END AS c_quantity,"
             "    CASE WHEN p.e_exists THEN p.e_tags ELSE first_value(p.tags) OVER w END AS c_tags"
             "  FROM ingest_special p WHERE p.repeated"
             "  WINDOW w AS (PARTITION BY p.txn_id ORDER BY p.cancelled, p.line)"
             "), reference AS ("
             "  SELECT f.*, min(f.line) FILTER (WHERE f.cancelled AND f.line > coalesce(f.ref_line,"
             "      CASE WHEN f.e_exists THEN 0 ELSE 9223372036854775807 END)) OVER (PARTITION BY f.txn_id) AS "
             "first_cancel"
             "  FROM multi_reference f"
             "  UNION ALL"
             "  SELECT p.*, CASE WHEN NOT p.cancelled THEN p.line END,"
             "    CASE WHEN p.e_exists THEN p.e_agency ELSE p.agency END,"
             "    CASE WHEN p.e_exists THEN p.e_service ELSE p.service END,"
             "    CASE WHEN p.e_exists THEN p.e_received_at ELSE p.received_at END,"
             "    CASE WHEN p.e_exists THEN p.e_delivered_at ELSE p.delivered_at END,"
             "    CASE WHEN p.e_exists THEN p.e_quantity ELSE p.quantity END,"
             "    CASE WHEN p.e_exists THEN p.e_tags ELSE p.tags END,"
             "    CASE WHEN p.cancelled AND p.e_exists THEN p.line END"
             "  FROM ingest_special p WHERE NOT p.repeated"
             "), ranked AS ("
             "  SELECT f.*,"
             "    CASE WHEN f.agency <> f.c_agency THEN 'agency' WHEN f.service <> f.c_service THEN 'service'"
             "      WHEN f.received_at <> f.c_received_at THEN 'received_at'"
             "      WHEN f.delivered_at <> f.c_delivered_at THEN 'delivered_at'"
             "      WHEN f.quantity <> f.c_quantity THEN 'quantity' WHEN f.tags <> f.c_tags THEN 'tags' END AS differs"
             "  FROM reference f"
             ") "
             "SELECT line, byte_offset, byte_length, txn_id, agency, service, received_at, delivered_at, received_day,"
             "  delivered_day, quantity, tags, cancelled, e_exists, e_agency, e_service, e_day,"
             "  CASE"
             "    WHEN NOT cancelled AND e_exists THEN CASE WHEN differs IS NULL THEN 'duplicate' ELSE 'conflict' END"
             "    WHEN NOT cancelled AND line = ref_line THEN 'accepted'"
             "    WHEN NOT cancelled THEN CASE WHEN differs IS NULL THEN 'duplicate' ELSE 'conflict' END"
             "    WHEN line < ref_line OR (ref_line IS NULL AND NOT e_exists) THEN 'unknown_cancellation'"
             "    WHEN line = first_cancel AND NOT e_cancelled THEN 'cancels'"
             "    ELSE 'duplicate'"
             "  END AS outcome,"
             "  CASE"
             "    WHEN NOT cancelled AND e_exists AND differs IS NOT NULL THEN format("
             "      'conflicting duplicate: txn_id \"%s\" was accepted in load %s (line %s) with a different %s',"
             "      txn_id, e_load_id, e_line, differs)"
             "    WHEN NOT cancelled AND NOT e_exists AND line <> ref_line AND differs IS NOT NULL THEN format("
             "      'conflicting duplicate: txn_id \"%s\" was accepted from line %s of this file with a different %s',"
             "      txn_id, ref_line, differs)"
             "    WHEN cancelled AND line < ref_line THEN format("
             "      'cancellation before its transaction: txn_id \"%s\" is delivered after it, at line %s of this "
             "file',"
             "      txn_id, ref_line)"
             "    WHEN cancelled AND ref_line IS NULL AND NOT e_exists THEN format("
             "      'cancellation of unknown transaction: no earlier row or load delivered txn_id \"%s\"', txn_id)"
             "  END AS reason "
             "FROM ranked";
      session << "ANALYZE ingest_outcome";
      std::map<std::string, long long> outcomes;
      long long expected_updates = 0;  // cancellations of stored transactions
      {
        soci::rowset<soci::row> rows = (session.prepare << "SELECT outcome, (outcome = 'cancels' AND e_exists)::int, "
                                                           "count(*) FROM ingest_outcome GROUP BY 1, 2");
        for (const auto& r : rows) {
          outcomes[r.get<std::string>(0)] += r.get<long long>(2);
          if (r.get<int>(1) != 0) expected_updates += r.get<long long>(2);
        }
      }
      special_accepted = execute(
          session,
          "INSERT INTO delivered_transaction (" + columns + ", cancelled_load_id, cancelled_line) SELECT " + source +
              ", o.txn_id, o.agency, o.service, o.received_at, o.delivered_at, o.received_day, "
              "o.delivered_day, o.quantity, o.tags, " +
              load +
              ", o.line, "
              "CASE WHEN c.line IS NULL THEN NULL ELSE " +
              load +
              " END, c.line "
              "FROM ingest_outcome o LEFT JOIN ingest_outcome c ON c.txn_id = o.txn_id AND c.outcome = 'cancels' "
              "WHERE o.outcome = 'accepted'");
      if (special_accepted != outcomes["accepted"]) {
        throw InvariantError("inserted " + std::to_string(special_accepted) + " of " +
                             std::to_string(outcomes["accepted"]) + " accepted rows with repeated keys");
      }
      const long long updated =
          expected_updates == 0
              ? 0
              : execute(session,
                        "UPDATE delivered_transaction t SET cancelled_load_id = " + load +
                            ", cancelled_line = o.line "
                            "FROM ingest_outcome o WHERE o.outcome = 'cancels' AND o.e_exists AND t.source = " +
                            source +
                            " AND t.txn_id = o.txn_id AND t.delivered_day = o.e_day AND t.cancelled_load_id IS NULL");
      if (updated != expected_updates) {
        throw InvariantError("cancelled " + std::to_string(updated) + " stored transactions but expected " +
                             std::to_string(expected_updates));
      }
      special_cancels = outcomes["cancels"];
      special_duplicates = outcomes["duplicate"];
      special_rejects = outcomes["conflict"] + outcomes["unknown_cancellation"];
      session << "INSERT INTO ingest_dirty_day (agency, service, day, load_id) "
                 "SELECT e_agency, e_service, e_day, " +
                     load +
                     " FROM ingest_outcome WHERE outcome = 'cancels' AND e_exists "
                     "UNION SELECT agency, service, delivered_day, " +
                     load +
                     " FROM ingest_outcome "
                     "WHERE outcome IN ('accepted', 'cancels') ON CONFLICT DO NOTHING";

      // Rejects decided in SQL: their raw lines come from the file by offset.
      if (special_rejects > 0) {
        if (fast) locate_moved_rejects(session, options.file);
        const int fd = ::open(options.file.c_str(), O_RDONLY);
        if (fd < 0) throw std::runtime_error(file_name + ": cannot reopen: " + std::strerror(errno));
        struct FdCloser {
          int fd;
          ~FdCloser() { ::close(fd); }
        } closer{fd};
        session << "DECLARE ingest_sql_rejects NO SCROLL CURSOR FOR SELECT line, byte_offset, byte_length, outcome, "
                   "reason, txn_id, agency, delivered_day::text FROM ingest_outcome "
                   "WHERE outcome IN ('conflict', 'unknown_cancellation') ORDER BY line";
        while (true) {
          std::vector<long long> lines(kRejectBatch);
          std::vector<long long> offsets(kRejectBatch);
          std::vector<int> lengths(kRejectBatch);
          std::vector<std::string> codes(kRejectBatch);
          std::vector<std::string> reasons(kRejectBatch);
          std::vector<std::string> txn_ids(kRejectBatch);
          std::vector<std::string> agencies(kRejectBatch);
          std::vector<std::string> days(kRejectBatch);
          session << "FETCH " + std::to_string(kRejectBatch) + " FROM ingest_sql_rejects", soci::into(lines),
              soci::into(offsets), soci::into(lengths), soci::into(codes), soci::into(reasons), soci::into(txn_ids),
              soci::into(agencies), soci::into(days);
          if (lines.empty()) break;
          db::CopyIn copy(session,
                          "COPY ingest_reject (load_id, source, line, reason_code, reason, raw, txn_id, agency, "
                          "delivered_day) FROM STDIN");
          std::string text;
          for (std::size_t i = 0; i < lines.size(); ++i) {
            text = std::to_string(load_id) + "\t" + options.source + "\t" + std::to_string(lines[i]) + "\t" + codes[i] +
                   "\t";
            db::append_copy_text(text, reasons[i]);
            text.push_back('\t');
            db::append_copy_text(text, escape_invalid_utf8(read_raw(fd, offsets[i], lengths[i])));
            for (const std::string* field : {&txn_ids[i], &agencies[i], &days[i]}) {
              text.push_back('\t');
              db::append_copy_text(text, *field);
            }
            text.push_back('\n');
            copy.write(text);
          }
          copy.finish();
          if (lines.size() < static_cast<std::size_t>(kRejectBatch)) break;
        }
        session << "CLOSE ingest_sql_rejects";
      }
    }
    phase("rules");
    std::string plain_sql = "INSERT INTO delivered_transaction (" + columns + ") SELECT " + source +
                            ", s.txn_id, s.agency, s.service, s.received_at, s.delivered_at, s.received_day, "
                            "s.delivered_day, s.quantity, s.tags, " +
                            load + ", s.line FROM ingest_staging s";
    if (special > 0) {
      plain_sql += " WHERE NOT EXISTS (SELECT 1 FROM ingest_special p WHERE p.line = s.line)";
    }
    const long long plain = staged > special ? execute(session, plain_sql) : 0;
    if (plain != staged - special) {
      throw InvariantError("inserted " + std::to_string(plain) + " new transactions but expected " +
                           std::to_string(staged - special) + " (" + std::to_string(staged) + " staged, " +
                           std::to_string(special) + " special)");
    }
    report.inserted = plain + fast_kept;
    phase("insert");
    report.inserted += special_accepted;
    report.cancellations = special_cancels;
    report.accepted = report.inserted + report.cancellations;
    report.duplicates = special_duplicates;

    // The keys the new rows touched (a superset: it includes the repeated keys' days).
    if (plain + fast_kept > 0) {
      session << "CREATE TEMP TABLE ingest_touched (agency text, service text, day date) ON COMMIT DROP";
      {
        db::CopyIn copy(session, "COPY ingest_touched (agency, service, day) FROM STDIN");
        std::string text;
        for (const auto& [agency, service, day] : touched) {
          text.clear();
          db::append_copy_text(text, validator.agencies()[static_cast<std::size_t>(agency)]);
          text.push_back('\t');
          db::append_copy_text(text, validator.services()[static_cast<std::size_t>(service)]);
          text.push_back('\t');
          text += ingest::format_day(day);
          text.push_back('\n');
          copy.write(text);
        }
        copy.finish();
      }
      session << "INSERT INTO ingest_dirty_day (agency, service, day, load_id) SELECT agency, service, day, " + load +
                     " FROM ingest_touched ON CONFLICT DO NOTHING";
    }

    {
      soci::rowset<soci::row> rows =
          (session.prepare << "SELECT reason_code, count(*) FROM ingest_reject WHERE load_id = " + load +
                                  " GROUP BY reason_code ORDER BY reason_code");
      for (const auto& r : rows) {
        report.rejects_by_reason[r.get<std::string>(0)] = r.get<long long>(1);
        report.rejected += r.get<long long>(1);
      }
    }
    if (report.rejected != cpp_rejects + special_rejects) {
      throw InvariantError("the reject table holds " + std::to_string(report.rejected) + " rows of this load but " +
                           std::to_string(cpp_rejects + special_rejects) + " were rejected");
    }
    if (report.rows_read != report.accepted + report.duplicates + report.rejected) {
      throw InvariantError(
          "read " + std::to_string(report.rows_read) + " != accepted " + std::to_string(report.accepted) +
          " + duplicates " + std::to_string(report.duplicates) + " + rejected " + std::to_string(report.rejected) +
          " (off by " + std::to_string(report.rows_read - report.accepted - report.duplicates - report.rejected) + ")");
    }
    session << "UPDATE ingest_load SET rows_read = " + std::to_string(report.rows_read) +
                   ", accepted = " + std::to_string(report.accepted) +
                   ", duplicates = " + std::to_string(report.duplicates) +
                   ", rejected = " + std::to_string(report.rejected) +
                   ", cancellations = " + std::to_string(report.cancellations) + " WHERE id = " + load;
    session << "TRUNCATE ingest_staging";
    phase("dirty");
    // Statistics true for what the load wrote: the next load's key rules and
    // cancellations join these partitions, and on stale statistics (a month holding one
    // source's rows, planned as if it held a few) the planner picks a nested loop over a
    // sequential scan that takes minutes instead of seconds.
    run.step("updating the planner's statistics");
    for (const std::int32_t month : months) {
      if (fast && month == fast->first_day && fast_later == 0) continue;  // analysed after its COPY
      const std::string day = ingest::format_day(month);
      const std::string partition = "delivered_transaction_" + day.substr(0, 4) + "_" + day.substr(5, 2);
      if (query_count(session, "SELECT (to_regclass('" + partition + "') IS NOT NULL)::int") != 0) {
        session << "ANALYZE " + partition;
      }
    }
    session << "ANALYZE ingest_dirty_day";
    phase("statistics");
    if (report.rejected > 0) {
      run.step("writing " + reject_path);
      write_reject_file(session, report.load_id, reject_path + ".tmp");
      report.reject_file = reject_path;
    }
    run.count("rows_read", report.rows_read);
    run.count("accepted", report.accepted);
    run.count("duplicates", report.duplicates);
    run.count("rejected", report.rejected);
    run.count("inserted", report.inserted);
    run.count("cancellations", report.cancellations);
    run.count("load_id", report.load_id);
    run.set_message("read " + std::to_string(report.rows_read) + " = accepted " + std::to_string(report.accepted) +
                    " + duplicates " + std::to_string(report.duplicates) + " + rejected " +
                    std::to_string(report.rejected));
    run.after_commit([&] {
      phase("commit");
      if (report.rejected > 0) {
        std::filesystem::rename(reject_path + ".tmp", reject_path);
      } else {
        std::error_code ignored;
        std::filesystem::remove(reject_path, ignored);  // a stale one from an earlier load
      }
    });
  });
  return report;
}

}  // namespace costcover::jobs
