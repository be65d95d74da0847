// The per-row rules of the transaction CSV (docs/formats.md), as a pure function: one record's
// fields in, a validated row or a rejection with its reason out. The rules that need the
// database (conflicting duplicates, cancellations of unknown transactions) are applied
// set-based in SQL by the loader; everything else is decided here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace costcover::ingest {

inline constexpr std::string_view kHeader = "txn_id,agency,service,received_at,delivered_at,quantity,tags,status";
inline constexpr std::size_t kColumns = 8;
inline constexpr std::int64_t kMaxQuantity = 1'000'000'000;
inline constexpr std::size_t kMaxTxnIdBytes = 200;
inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // allowed before the header only

// Why a row was rejected. The code (reason_code) is stored in ingest_reject.reason_code
// and written to the reject file; the message adds the details.
enum class RejectReason {
  malformed_csv,    // RFC 4180 quoting broken, or a line longer than 1 MiB
  repeated_header,  // the header line again (two files joined?)
  byte_order_mark,  // a UTF-8 byte order mark at the start of a data line
  column_count,     // not exactly 8 columns
  invalid_utf8,     // bytes that are not UTF-8 (or a NUL byte)
  missing_txn_id,   // empty or overlong txn_id
  unknown_agency,
  unknown_service,
  bad_timestamp,  // unparsable or impossible received_at / delivered_at
  delivered_before_received,
  delivered_in_future,   // delivered_at after the load's as-of time
  bad_quantity,          // not a positive whole number
  bad_status,            // not delivered / cancelled
  conflict,              // same key, different content (decided in SQL)
  unknown_cancellation,  // cancelled row for a key never accepted (decided in SQL)
};
[[nodiscard]] std::string_view reason_code(RejectReason reason);

struct Rejection {
  RejectReason reason = RejectReason::malformed_csv;
  std::string message;
};

// A row that passed every per-row rule. Views point into the record's fields.
struct ValidRow {
  std::string_view txn_id;
  std::string_view agency;
  std::string_view service;
  int agency_index = 0;  // into the validator's agency list
  int service_index = 0;
  std::int64_t received_micros = 0;  // since the Unix epoch, UTC
  std::int64_t delivered_micros = 0;
  std::int32_t received_day = 0;  // Helsinki local day, days since 1970-01-01
  std::int32_t delivered_day = 0;
  std::int32_t quantity = 1;
  std::string tags;  // sorted, de-duplicated, ';'-joined, empties dropped
  bool cancelled = false;
};

class RowValidator {
 public:
  RowValidator(std::vector<std::string> agencies, std::vector<std::string> services, std::int64_t as_of_micros);
  // True and fills row when the fields pass; false and fills rejection otherwise. raw is
  // the whole record (checked for UTF-8).
  bool validate(std::string_view raw, const std::vector<std::string_view>& fields, ValidRow& row,
                Rejection& rejection) const;
  [[nodiscard]] const std::vector<std::string>& agencies() const { return agencies_; }
  [[nodiscard]] const std::vector<std::string>& services() const { return services_; }
  [[nodiscard]] std::int64_t as_of_micros() const { return as_of_micros_; }

 private:
  // txn_id, agency and service (the known ones); part of validate().
  bool read_names(const std::vector<std::string_view>& fields, ValidRow& row, Rejection& rejection) const;
  std::vector<std::string> agencies_;
  std::vector<std::string> services_;
  std::unordered_map<std::string_view, int> agency_index_;
  std::unordered_map<std::string_view, int> service_index_;
  std::int64_t as_of_micros_;
};

// What a rejected row says, as far as it can be read (ingest_reject.txn_id, agency,
// delivered_day): each is empty when the row does not give it. Nothing is read from a row
// without exactly 8 columns (its fields cannot be trusted to be where the header says);
// a text field must be non-empty, valid UTF-8 and at most kMaxTxnIdBytes long; the day is
// the Helsinki day of a delivered_at that parses. The caller passes the fields of a record
// whose quoting is sound. A byte order mark before the txn_id is not part of it; a
// repeated header gives nothing.
struct RejectedRowFields {
  std::optional<std::string_view> txn_id;
  std::optional<std::string_view> agency;
  std::optional<std::int32_t> delivered_day;  // days since 1970-01-01
};
[[nodiscard]] RejectedRowFields read_rejected_row(const std::vector<std::string_view>& fields);
// The same for a malformed record, from the whole fields before its broken one (what the
// scanner keeps): each is read where the line gets that far, so that re-sending the row
// resolves the reject.
[[nodiscard]] RejectedRowFields read_malformed_row(const std::vector<std::string_view>& leading);

// Normalises a tags field: split on ';', drop empty parts, sort, de-duplicate, join.
[[nodiscard]] std::string normalize_tags(std::string_view tags);

}  // namespace costcover::ingest
