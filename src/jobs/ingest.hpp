// `costcover ingest`: loads one transaction CSV of one source system. The file is streamed
// (memory does not grow with its size), each row is checked in C++ (row.hpp) and sent
// with COPY (binary) into a staging table (for a month's first load, straight into the new
// month partition); then the key rules (duplicates, conflicts, cancellations) are applied
// set-based in SQL and the rows are merged into delivered_transaction. Everything a load writes happens in ONE
// transaction, so a load killed at any point leaves the database as it was. See docs/ingest.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <soci/soci.h>

#include "db/job.hpp"

namespace costcover::jobs {

struct IngestOptions {
  std::string source;                  // [A-Za-z0-9][A-Za-z0-9_.-]*, at most 64 characters
  std::string file;                    // the CSV
  std::int64_t as_of_micros = 0;       // rows delivered after this are rejected
  std::string reject_file;             // default: file + ".rejects.csv"
  std::string parameters_json = "{}";  // recorded in job_run
  // Called now and then while streaming with the rows read so far (for progress).
  std::function<void(std::int64_t rows)> progress;
  // The first load of a month copies that month's rows straight into a new partition
  // (docs/ingest.md, "Fast path"). Off: every row goes through staging (for comparisons).
  bool new_month_fast_path = true;
  db::Notice notice;  // "waiting for the ingest lock ..." (default: stderr)
};

struct IngestReport {
  std::int64_t load_id = 0;
  std::int64_t rows_read = 0;
  std::int64_t accepted = 0;  // new transactions + cancellations applied
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::int64_t inserted = 0;       // new transactions
  std::int64_t cancellations = 0;  // accepted rows that cancelled a transaction
  std::int64_t file_bytes = 0;
  std::string reject_file;  // written only when rejected > 0
  std::map<std::string, std::int64_t> rejects_by_reason;
};

// Throws InputError for a file that cannot be loaded at all (missing, wrong header, bad
// source name), InvariantError when the reconciliation does not hold (nothing is
// committed then), and database errors as they come.
[[nodiscard]] IngestReport ingest_file(soci::session& session, const IngestOptions& options);

// Checks a source name; returns an error message or "" when valid.
[[nodiscard]] std::string check_source_name(const std::string& source);

}  // namespace costcover::jobs
