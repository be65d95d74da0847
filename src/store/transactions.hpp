// Every SQL statement on the ingest tables, which no other part writes: ingest_load,
// ingest_staging and ingest_special (the loader's unlogged work tables), ingest_reject,
// delivered_transaction and its month partitions, and the loads' side of ingest_dirty_day
// (the nightly count takes the keys out: store/volumes). docs/ingest.md tells the rules.
//
// The loader (jobs/ingest) calls these in order inside its one transaction, under the
// advisory lock 'ingest'; values go as $n parameters, and the few statements that cannot
// take them (DDL on a new month table) get literals from db::quote_literal. Statements
// that build on an earlier one's table (ingest_special, ingest_outcome, ingest_repeat_key)
// say so. The key rules themselves are the SQL function ingest_key_outcome()
// (sql/060_ingest_rules.sql).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "db/job.hpp"
#include "ingest/row.hpp"

namespace costcover::store {

// ---- The load's frame

// The agency and service ids the rows may name (the contracts' tables), in id order.
struct ReferenceIds {
  std::vector<std::string> agencies;
  std::vector<std::string> services;
};
[[nodiscard]] ReferenceIds read_reference_ids(soci::session& session);

// Takes ingest_dirty_day's lock for a load (ROW EXCLUSIVE: loads do not block each other
// here, the nightly count waits), first thing, so that the load and the count take their
// locks in one order; tells `notice` when it waits. Then the load's session settings.
void begin_load_transaction(soci::session& session, const db::Notice& notice);

struct NewLoad {
  std::int64_t job_run_id = 0;
  std::string source;
  std::string file_name;  // as stored: valid UTF-8
  std::int64_t file_bytes = 0;
  std::int64_t as_of_micros = 0;
};
// Inserts the load's ingest_load row (counts 0) and empties the work tables; the load's id.
[[nodiscard]] std::int64_t insert_load(soci::session& session, const NewLoad& load);

// The lowest and highest txn_id `source` has stored (the ends of its key index).
struct KeyRange {
  std::string lowest;
  std::string highest;
};
[[nodiscard]] std::optional<KeyRange> stored_key_range(soci::session& session, const std::string& source);

// ---- The rows of the stream

// A month's first load (docs/ingest.md, "Fast path"): the month's new partition, made as a
// plain table in the load's transaction and attached at the end.
struct MonthTable {
  std::string name;            // delivered_transaction_YYYY_MM
  std::int32_t first_day = 0;  // days since 1970-01-01
  std::int32_t next_day = 0;   // the next month's first day
};
// Creates the table of the month starting at `first_day` when that month has no partition
// yet (with the month as a CHECK constraint, and the load's source and id as defaults);
// nothing when it has one.
[[nodiscard]] std::optional<MonthTable> create_month_table_if_new(soci::session& session, std::int32_t first_day,
                                                                  const std::string& source, std::int64_t load_id);

// Where a row is in the file.
struct FilePlace {
  std::int64_t line = 0;
  std::int64_t offset = 0;
  std::int32_t length = 0;
};

// A row the row rules rejected, as ingest_reject keeps it.
struct RejectedRow {
  std::int64_t line = 0;
  ingest::RejectReason reason = ingest::RejectReason::malformed_csv;
  std::string_view message;
  std::string_view raw;  // as read: stored with invalid UTF-8 bytes as \xNN
  ingest::RejectedRowFields said;
};

// The rows one load sends while it reads its file. A connection runs one COPY at a time:
// the valid rows stream with binary COPY (background mode) into ingest_staging or, on the
// fast path, into the new month table; rejects, the keys the repeat filter flagged and, on
// the fast path, the rows for staging go to spill files (memory stays flat), which
// finish() copies after the stream.
class LoadRows {
 public:
  LoadRows(soci::session& session, std::int64_t load_id, const std::string& source);
  ~LoadRows();
  LoadRows(const LoadRows&) = delete;
  LoadRows& operator=(const LoadRows&) = delete;

  // Opens the live COPY: into `table` when given, else into ingest_staging. Once.
  void open(const std::optional<MonthTable>& table);
  [[nodiscard]] bool is_open() const;
  // A row for ingest_staging (on the fast path through the staging spill).
  void stage(const ingest::ValidRow& row, const FilePlace& place);
  // A row for the new month table (fast path only).
  void add_to_month_table(const ingest::ValidRow& row, std::int64_t line);
  void reject(const RejectedRow& rejected);
  void repeated_key(std::string_view txn_id);

  struct Sent {
    std::int64_t staged = 0;         // rows for ingest_staging
    std::int64_t month_rows = 0;     // rows for the new month table
    std::int64_t rejects = 0;        // rows for ingest_reject
    std::int64_t repeated_keys = 0;  // rows for ingest_repeat_key
  };
  [[nodiscard]] const Sent& sent() const;
  // Ends the live COPY (InvariantError when the server counted other rows than were sent),
  // copies the spills into ingest_staging and ingest_reject, and creates the temporary
  // table ingest_repeat_key (txn_id) with the flagged keys (empty when there are none).
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- The fast path's end: index, move back, attach

// Builds the table's primary key in one sort and analyses it.
void index_month_table(soci::session& session, const MonthTable& table);
// Moves the rows whose key the repeat filter flagged (ingest_repeat_key) from the table
// back to ingest_staging (byte_offset -1); returns how many.
[[nodiscard]] std::int64_t move_repeated_keys_to_staging(soci::session& session, const MonthTable& table,
                                                         const std::string& source);
// Moves the rows whose key `source` has stored in another month back to ingest_staging
// (one probe of the table's key range through the key first); returns how many.
[[nodiscard]] std::int64_t move_stored_keys_to_staging(soci::session& session, const MonthTable& table,
                                                       const std::string& source);
// Attaches the table as the month's partition and drops its load-time constraint and defaults.
void attach_month_table(soci::session& session, const MonthTable& table);

// ---- The key rules

// Analyses ingest_staging and makes sure every month of `months` (first days) has a partition.
void prepare_staged_rows(soci::session& session, const std::set<std::int32_t>& months);

// Fills ingest_special with the staged rows that need the key rules (cancellations, keys
// flagged as repeated, keys already stored), each with its key's stored transaction,
// found by index probes: first in the partition of the row's own day, then in the
// others, and only for keys within `stored` (none: nothing is stored). Returns how many.
[[nodiscard]] std::int64_t pick_special_rows(soci::session& session, const std::string& source, bool has_repeats,
                                             const std::optional<KeyRange>& stored);

struct KeyOutcomes {
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  std::int64_t conflicts = 0;
  std::int64_t unknown_cancellations = 0;
  std::int64_t cancels = 0;         // cancellations applied
  std::int64_t stored_cancels = 0;  // of those, of stored transactions
  [[nodiscard]] std::int64_t rejected() const { return conflicts + unknown_cancellations; }
};
// Applies ingest_key_outcome() to ingest_special into the temporary table ingest_outcome
// (which the next functions read); the counts per outcome.
[[nodiscard]] KeyOutcomes apply_key_rules(soci::session& session);
// Inserts the accepted special rows (with the cancellation that follows them in the file,
// if any); returns how many.
[[nodiscard]] std::int64_t insert_accepted_special(soci::session& session, const std::string& source,
                                                   std::int64_t load_id);
// Marks the stored transactions that rows of the load cancel; returns how many.
[[nodiscard]] std::int64_t cancel_stored(soci::session& session, const std::string& source, std::int64_t load_id);
// Marks the days of the accepted and cancelling special rows and of the cancelled stored
// transactions in ingest_dirty_day.
void mark_rule_dirty_days(soci::session& session, std::int64_t load_id);

// The lines of rejected special rows that have no byte offset (moved back from a new month
// table), in line order; and their places once the file has been scanned for them.
[[nodiscard]] std::vector<std::int64_t> rule_rejects_without_place(soci::session& session);
void place_rule_rejects(soci::session& session, const std::vector<FilePlace>& places);
// Writes the rejects of the key rules to ingest_reject, their raw lines read with `raw`.
using RawLineReader = std::function<std::string(std::int64_t offset, std::int32_t length)>;
void store_rule_rejects(soci::session& session, std::int64_t load_id, const std::string& source,
                        const RawLineReader& raw);

// Inserts the staged rows that are not special (new keys seen once); returns how many.
[[nodiscard]] std::int64_t insert_plain_staged(soci::session& session, const std::string& source, std::int64_t load_id,
                                               bool has_special);

// An (agency, service, Helsinki day) key a load touched.
struct DayKey {
  std::string_view agency;
  std::string_view service;
  std::int32_t day = 0;  // days since 1970-01-01
};
void mark_dirty_days(soci::session& session, std::int64_t load_id, const std::vector<DayKey>& keys);

// ---- The load's end

// The load's rejects per reason code.
[[nodiscard]] std::map<std::string, std::int64_t> reject_counts(soci::session& session, std::int64_t load_id);

struct LoadCounts {
  std::int64_t rows_read = 0;
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::int64_t cancellations = 0;
};
// Records the counts in ingest_load and empties the work tables.
void close_load(soci::session& session, std::int64_t load_id, const LoadCounts& counts);

// Analyses the partitions of `months` (first days) that exist, and ingest_dirty_day.
void analyze_written(soci::session& session, const std::set<std::int32_t>& months);

// The load's rejects in line order, in batches.
struct StoredReject {
  std::int64_t line = 0;
  std::string reason_code;
  std::string reason;
  std::string raw;
};
void for_each_reject(soci::session& session, std::int64_t load_id,
                     const std::function<void(const StoredReject&)>& on_reject);

}  // namespace costcover::store
