// The load, in named steps: open the file and check its header; in the job's transaction,
// stream the rows through the row rules into COPY (store::LoadRows); on the fast path
// index, move back and attach the new month table; the key rules and the inserts
// (store/transactions, the rules in sql/060_ingest_rules.sql); reconcile the counts; the
// reject file. No SQL here.
#include "jobs/ingest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "ingest/csv_scanner.hpp"
#include "ingest/reject_file.hpp"
#include "ingest/repeat_filter.hpp"
#include "ingest/row.hpp"
#include "ingest/timestamp.hpp"
#include "store/transactions.hpp"

namespace costcover::jobs {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// COSTCOVER_TRACE=1 prints the time of each phase to stderr (for the benchmark).
class PhaseTrace {
 public:
  PhaseTrace() : on_(std::getenv("COSTCOVER_TRACE") != nullptr), start_(std::chrono::steady_clock::now()) {}
  [[nodiscard]] bool on() const { return on_; }
  void phase(const char* name) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "  ingest %-12s %8.3f s\n", name, std::chrono::duration<double>(now - start_).count());
    start_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point start_;
};

// Opens the file and checks its header (an optional UTF-8 byte order mark before it).
File open_and_check_header(const std::string& path, const std::string& file_name) {
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) throw InputError(file_name + ": cannot open: " + std::strerror(errno));
  ingest::CsvScanner scanner(file.get(), ingest::kColumns);
  ingest::CsvRecord record;
  if (!scanner.next(record)) {
    throw InputError(file_name + ":1: the file is empty; expected the header " + std::string(ingest::kHeader));
  }
  std::string_view header = record.raw;
  if (header.substr(0, ingest::kByteOrderMark.size()) == ingest::kByteOrderMark) {
    header.remove_prefix(ingest::kByteOrderMark.size());
  }
  if (header != ingest::kHeader) {
    throw InputError(file_name + ":" + std::to_string(record.line) + ": header \"" +
                     std::string(header.substr(0, 200)) + "\" is not the transaction header \"" +
                     std::string(ingest::kHeader) + "\"");
  }
  return file;
}

// What the stream found out, for the set-based steps after it.
struct StreamResult {
  std::optional<store::MonthTable> fast;                 // the new month table (fast path)
  std::int64_t fast_later = 0;                           // rows of its month that reach it after its ANALYZE
  std::set<std::tuple<int, int, std::int32_t>> touched;  // (agency, service, day): bounded
  std::set<std::int32_t> months;                         // first day of each month
};

// Streams the rows after the header through the row rules into `rows`: rejects, and each
// valid row to the month table (fast path: the month of the file's first valid row has no
// partition yet; its plain rows: not cancellations, keys not flagged as repeated) or to
// staging.
class RowStream {
 public:
  RowStream(soci::session& session, const IngestOptions& options, const ingest::RowValidator& validator,
            std::int64_t load_id, store::LoadRows& rows)
      : session_(session), options_(options), validator_(validator), load_id_(load_id), rows_(rows) {}

  // Returns the rows read.
  std::int64_t run(ingest::CsvScanner& scanner) {
    ingest::CsvRecord record;
    std::int64_t rows_read = 0;
    while (scanner.next(record)) {
      ++rows_read;
      if (check(record)) route(record);
      if (options_.progress && (rows_read & 0xFFFF) == 0) options_.progress(rows_read);
    }
    if (options_.progress) options_.progress(rows_read);
    return rows_read;
  }
  [[nodiscard]] StreamResult& result() { return result_; }

 private:
  // The row rules; a rejected row goes to the rejects.
  bool check(const ingest::CsvRecord& record) {
    if (record.error.empty() && validator_.validate(record.raw, record.fields, row_, rejection_)) return true;
    store::RejectedRow rejected;
    rejected.line = record.line;
    if (record.error.empty()) {
      rejected.reason = rejection_.reason;
      rejected.message = rejection_.message;
      rejected.said = ingest::read_rejected_row(record.fields);
    } else {
      rejected.reason = ingest::RejectReason::malformed_csv;
      rejected.message = record.error;
      rejected.said = ingest::read_malformed_row(record.fields);
    }
    rejected.raw = record.raw;
    rows_.reject(rejected);
    return false;
  }

  // The first valid row decides where the rows go (the fast path or staging).
  void open_at_first_row(std::int32_t month) {
    if (options_.new_month_fast_path) {
      result_.fast = store::create_month_table_if_new(session_, month, options_.source, load_id_);
    }
    rows_.open(result_.fast);
  }

  void route(const ingest::CsvRecord& record) {
    const ingest::CivilDate civil = ingest::civil_from_days(row_.delivered_day);
    const std::int32_t month = ingest::days_from_civil(civil.year, civil.month, 1);
    if (!rows_.is_open()) open_at_first_row(month);
    const bool repeated = repeats_.add(row_.txn_id);
    if (repeated) rows_.repeated_key(row_.txn_id);
    result_.touched.emplace(row_.agency_index, row_.service_index, row_.delivered_day);
    result_.months.insert(month);
    const store::FilePlace place{record.line, record.offset, static_cast<std::int32_t>(record.raw.size())};
    if (!result_.fast) {
      rows_.stage(row_, place);
    } else if (month == result_.fast->first_day && !row_.cancelled && !repeated) {
      rows_.add_to_month_table(row_, record.line);
    } else {
      if (month == result_.fast->first_day) ++result_.fast_later;
      rows_.stage(row_, place);
    }
  }

  soci::session& session_;
  const IngestOptions& options_;
  const ingest::RowValidator& validator_;
  std::int64_t load_id_;
  store::LoadRows& rows_;
  ingest::RepeatFilter repeats_;
  ingest::ValidRow row_;
  ingest::Rejection rejection_;
  StreamResult result_;
};

// Rows moved back from a new month table have no byte offset (the table does not keep it);
// when one of them is rejected by the key rules, its place is found by scanning the file
// again. This happens only for a conflict with a key stored in another month, which is rare.
void place_moved_rejects(soci::session& session, const std::string& path) {
  const std::vector<std::int64_t> lines = store::rule_rejects_without_place(session);
  if (lines.empty()) return;
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) throw std::runtime_error(path + ": cannot reopen: " + std::strerror(errno));
  std::vector<store::FilePlace> places;
  ingest::CsvScanner scanner(file.get(), ingest::kColumns);
  ingest::CsvRecord record;
  while (places.size() < lines.size() && scanner.next(record)) {
    if (record.line != lines[places.size()]) continue;
    places.push_back({record.line, record.offset, static_cast<std::int32_t>(record.raw.size())});
  }
  if (places.size() != lines.size()) {
    throw InvariantError("cannot find line " + std::to_string(lines[places.size()]) + " of " + path + " again");
  }
  store::place_rule_rejects(session, places);
}

// Writes the key rules' rejects, their raw lines re-read from the file by byte offset.
void store_rule_rejects(soci::session& session, const IngestOptions& options, const std::string& file_name,
                        std::int64_t load_id) {
  const int fd = ::open(options.file.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(file_name + ": cannot reopen: " + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  store::store_rule_rejects(session, load_id, options.source, [fd](std::int64_t offset, std::int32_t length) {
    std::string raw(static_cast<std::size_t>(length), '\0');
    const ssize_t got = ::pread(fd, raw.data(), raw.size(), offset);
    if (got != static_cast<ssize_t>(raw.size()))
      throw std::runtime_error("cannot re-read a rejected line of the input");
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    return raw;
  });
}

// The fast path's end: the month table's key, the rows that need the exact key rules
// moved back to staging (keys flagged as repeated, whose first row went into the table;
// keys stored in another month), the attach. Returns the rows moved.
std::int64_t finish_month_table(soci::session& session, const store::MonthTable& table, const std::string& source,
                                bool has_repeats, bool stored_before, PhaseTrace& trace) {
  store::index_month_table(session, table);
  trace.phase("index");
  std::int64_t moved = 0;
  if (has_repeats) moved += store::move_repeated_keys_to_staging(session, table, source);
  if (stored_before) moved += store::move_stored_keys_to_staging(session, table, source);
  store::attach_month_table(session, table);
  trace.phase("attach");
  return moved;
}

// What the key rules decided for the special rows.
struct RuleCounts {
  std::int64_t accepted = 0;  // new transactions among the special rows
  std::int64_t cancels = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
};

// The key rules over the special rows, and their writes: the accepted rows inserted, the
// stored transactions they cancel marked, their days marked dirty, their rejects stored.
RuleCounts apply_key_rules(soci::session& session, const IngestOptions& options, const std::string& file_name,
                           std::int64_t load_id, bool fast) {
  const store::KeyOutcomes outcomes = store::apply_key_rules(session);
  const std::int64_t inserted = store::insert_accepted_special(session, options.source, load_id);
  if (inserted != outcomes.accepted) {
    throw InvariantError("inserted " + std::to_string(inserted) + " of " + std::to_string(outcomes.accepted) +
                         " accepted rows with repeated keys");
  }
  const std::int64_t updated =
      outcomes.stored_cancels == 0 ? 0 : store::cancel_stored(session, options.source, load_id);
  if (updated != outcomes.stored_cancels) {
    throw InvariantError("cancelled " + std::to_string(updated) + " stored transactions but expected " +
                         std::to_string(outcomes.stored_cancels));
  }
  store::mark_rule_dirty_days(session, load_id);
  if (outcomes.rejected() > 0) {
    if (fast) place_moved_rejects(session, options.file);
    store_rule_rejects(session, options, file_name, load_id);
  }
  return {outcomes.accepted, outcomes.cancels, outcomes.duplicates, outcomes.rejected()};
}

// Marks the (agency, service, day) keys the new rows touched (a superset: it includes the
// repeated keys' days).
void mark_touched_days(soci::session& session, const ingest::RowValidator& validator, std::int64_t load_id,
                       const StreamResult& stream) {
  std::vector<store::DayKey> keys;
  keys.reserve(stream.touched.size());
  for (const auto& [agency, service, day] : stream.touched) {
    keys.push_back({validator.agencies()[static_cast<std::size_t>(agency)],
                    validator.services()[static_cast<std::size_t>(service)], day});
  }
  store::mark_dirty_days(session, load_id, keys);
}

// The reconciliation: every row read is accepted, a duplicate or rejected, and the reject
// table holds exactly the rejected rows.
void reconcile(const IngestReport& report, std::int64_t rejects_decided) {
  if (report.rejected != rejects_decided) {
    throw InvariantError("the reject table holds " + std::to_string(report.rejected) + " rows of this load but " +
                         std::to_string(rejects_decided) + " were rejected");
  }
  if (report.rows_read != report.accepted + report.duplicates + report.rejected) {
    throw InvariantError(
        "read " + std::to_string(report.rows_read) + " != accepted " + std::to_string(report.accepted) +
        " + duplicates " + std::to_string(report.duplicates) + " + rejected " + std::to_string(report.rejected) +
        " (off by " + std::to_string(report.rows_read - report.accepted - report.duplicates - report.rejected) + ")");
  }
}

// Writes the load's rejects (line order) to `tmp`, inside the load's transaction; the
// caller renames it into place after the commit, so a file that cannot be written fails
// the load before anything is committed.
void write_reject_file(soci::session& session, std::int64_t load_id, const std::string& tmp) {
  File out(std::fopen(tmp.c_str(), "wb"));
  if (!out) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  std::string text(ingest::kRejectFileHeader);
  store::for_each_reject(session, load_id, [&](const store::StoredReject& reject) {
    ingest::append_reject_line(text, reject.line, reject.reason_code, reject.reason, reject.raw);
    if (text.size() < (1U << 20U)) return;
    std::fwrite(text.data(), 1, text.size(), out.get());
    text.clear();
  });
  std::fwrite(text.data(), 1, text.size(), out.get());
  if (std::fclose(out.release()) != 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
}

void record_run(db::Job& run, const IngestReport& report) {
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
}

// One run of the job's body: everything a load writes, in the job's transaction.
class Load {
 public:
  Load(db::Job& run, const IngestOptions& options, const std::string& file_name, std::FILE* file, IngestReport& report)
      : run_(run), session_(run.session()), options_(options), file_name_(file_name), file_(file), report_(report) {}

  void run(const db::Notice& notice) {
    run_.step("loading " + file_name_);
    store::begin_load_transaction(session_, notice);
    const store::ReferenceIds ids = store::read_reference_ids(session_);
    const ingest::RowValidator validator(ids.agencies, ids.services, options_.as_of_micros);
    report_.load_id = store::insert_load(
        session_, {run_.run_id(), options_.source, file_name_, report_.file_bytes, options_.as_of_micros});
    const auto stored_keys = store::stored_key_range(session_, options_.source);
    store::LoadRows rows(session_, report_.load_id, options_.source);
    StreamResult stream = stream_rows(validator, rows);
    const store::LoadRows::Sent sent = rows.sent();
    std::int64_t staged = sent.staged;
    std::int64_t fast_kept = 0;
    if (stream.fast) {
      const std::int64_t moved = finish_month_table(session_, *stream.fast, options_.source, sent.repeated_keys > 0,
                                                    stored_keys.has_value(), trace_);
      staged += moved;
      stream.fast_later += moved;
      fast_kept = sent.month_rows - moved;
    }
    store::prepare_staged_rows(session_, stream.months);
    trace_.phase("analyze");
    const std::int64_t special =
        store::pick_special_rows(session_, options_.source, sent.repeated_keys > 0, stored_keys);
    trace_.phase("special");
    const RuleCounts rules =
        special > 0 ? apply_key_rules(session_, options_, file_name_, report_.load_id, stream.fast.has_value())
                    : RuleCounts{};
    trace_.phase("rules");
    const std::int64_t plain = insert_plain(staged, special);
    if (plain + fast_kept > 0) mark_touched_days(session_, validator, report_.load_id, stream);
    report_.inserted = plain + fast_kept + rules.accepted;
    report_.cancellations = rules.cancels;
    report_.accepted = report_.inserted + report_.cancellations;
    report_.duplicates = rules.duplicates;
    count_rejects(sent.rejects + rules.rejected);
    trace_.phase("dirty");
    run_.step("updating the planner's statistics");
    analyze(stream);
    trace_.phase("statistics");
    finish();
  }

 private:
  StreamResult stream_rows(const ingest::RowValidator& validator, store::LoadRows& rows) {
    std::rewind(file_);
    ingest::CsvScanner scanner(file_, ingest::kColumns);
    ingest::CsvRecord header;
    (void)scanner.next(header);  // checked before the job
    RowStream stream(session_, options_, validator, report_.load_id, rows);
    report_.rows_read = stream.run(scanner);
    if (trace_.on() && stream.result().fast) {
      std::fprintf(stderr, "  ingest fast path: %s\n", stream.result().fast->name.c_str());
    }
    rows.finish();
    trace_.phase("copy");
    return std::move(stream.result());
  }

  // Inserts the staged rows that are not special (new keys seen once); returns how many.
  std::int64_t insert_plain(std::int64_t staged, std::int64_t special) {
    const std::int64_t plain =
        staged > special ? store::insert_plain_staged(session_, options_.source, report_.load_id, special > 0) : 0;
    if (plain != staged - special) {
      throw InvariantError("inserted " + std::to_string(plain) + " new transactions but expected " +
                           std::to_string(staged - special) + " (" + std::to_string(staged) + " staged, " +
                           std::to_string(special) + " special)");
    }
    trace_.phase("insert");
    return plain;
  }

  void count_rejects(std::int64_t rejects_decided) {
    report_.rejects_by_reason = store::reject_counts(session_, report_.load_id);
    for (const auto& [reason, n] : report_.rejects_by_reason) report_.rejected += n;
    reconcile(report_, rejects_decided);
    store::close_load(
        session_, report_.load_id,
        {report_.rows_read, report_.accepted, report_.duplicates, report_.rejected, report_.cancellations});
  }

  // Statistics for every month written (the new month table has its own from after its
  // COPY, unless rows reached it later).
  void analyze(const StreamResult& stream) {
    std::set<std::int32_t> months = stream.months;
    if (stream.fast && stream.fast_later == 0) months.erase(stream.fast->first_day);
    store::analyze_written(session_, months);
  }

  // The reject file, and the job run's counts.
  void finish() {
    const std::string reject_path =
        options_.reject_file.empty() ? options_.file + ".rejects.csv" : options_.reject_file;
    if (report_.rejected > 0) {
      run_.step("writing " + reject_path);
      write_reject_file(session_, report_.load_id, reject_path + ".tmp");
      report_.reject_file = reject_path;
    }
    record_run(run_, report_);
    const bool rejected = report_.rejected > 0;
    run_.after_commit([this, rejected, reject_path] {
      trace_.phase("commit");
      if (rejected) {
        std::filesystem::rename(reject_path + ".tmp", reject_path);
      } else {
        std::error_code ignored;
        std::filesystem::remove(reject_path, ignored);  // a stale one from an earlier load
      }
    });
  }

  db::Job& run_;
  soci::session& session_;
  const IngestOptions& options_;
  const std::string& file_name_;
  std::FILE* file_;
  IngestReport& report_;
  PhaseTrace trace_;
};

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
  if (const std::string problem = check_source_name(options.source); !problem.empty()) throw InputError(problem);
  // The file's name as stored (ingest_load.file_name, job_run.inputs) and in messages: a
  // name that is not UTF-8 has its invalid bytes shown as \xNN (the database takes UTF-8).
  const std::string file_name = escape_invalid_utf8(options.file);
  const File file = open_and_check_header(options.file, file_name);
  const auto file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(options.file));
  db::JobSpec spec("ingest", db::kIngestLock, options.parameters_json,
                   "{\"file\":" + db::json_string(file_name) + ",\"bytes\":" + std::to_string(file_bytes) + "}");
  spec.notice = options.notice;
  IngestReport report;
  std::unique_ptr<Load> load;  // lives until run_job has run the after-commit steps
  db::run_job(session, spec, [&](db::Job& run) {
    report = IngestReport{};  // the job may run again after a transient error
    report.file_bytes = file_bytes;
    load = std::make_unique<Load>(run, options, file_name, file.get(), report);
    load->run(spec.notice);
  });
  return report;
}

}  // namespace costcover::jobs
