#include "ingest/row.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <cstring>

#include "ingest/timestamp.hpp"

namespace costcover::ingest {

std::string_view reason_code(RejectReason reason) {
  switch (reason) {
    case RejectReason::malformed_csv:
      return "malformed_csv";
    case RejectReason::repeated_header:
      return "repeated_header";
    case RejectReason::byte_order_mark:
      return "byte_order_mark";
    case RejectReason::column_count:
      return "column_count";
    case RejectReason::invalid_utf8:
      return "invalid_utf8";
    case RejectReason::missing_txn_id:
      return "missing_txn_id";
    case RejectReason::unknown_agency:
      return "unknown_agency";
    case RejectReason::unknown_service:
      return "unknown_service";
    case RejectReason::bad_timestamp:
      return "bad_timestamp";
    case RejectReason::delivered_before_received:
      return "delivered_before_received";
    case RejectReason::delivered_in_future:
      return "delivered_in_future";
    case RejectReason::bad_quantity:
      return "bad_quantity";
    case RejectReason::bad_status:
      return "bad_status";
    case RejectReason::conflict:
      return "conflict";
    case RejectReason::unknown_cancellation:
      return "unknown_cancellation";
  }
  return "unknown";
}

std::string normalize_tags(std::string_view tags) {
  if (tags.empty()) return {};
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t semi = tags.find(';', start);
    const std::string_view part =
        tags.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
    if (!part.empty()) parts.push_back(part);
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out.push_back(';');
    out.append(part);
  }
  return out;
}

RowValidator::RowValidator(std::vector<std::string> agencies, std::vector<std::string> services,
                           std::int64_t as_of_micros)
    : agencies_(std::move(agencies)), services_(std::move(services)), as_of_micros_(as_of_micros) {
  for (std::size_t i = 0; i < agencies_.size(); ++i) agency_index_.emplace(agencies_[i], static_cast<int>(i));
  for (std::size_t i = 0; i < services_.size(); ++i) service_index_.emplace(services_[i], static_cast<int>(i));
}

namespace {

// The steps of validate(), in the order of docs/ingest.md's table: each returns true when
// the row passes it, else fills `rejection` and returns false.
bool fail(Rejection& rejection, RejectReason reason, std::string message) {
  rejection.reason = reason;
  rejection.message = std::move(message);
  return false;
}

// The line as a whole: no byte order mark, not the header again, UTF-8, 8 columns.
bool check_line(std::string_view raw, std::size_t columns, Rejection& rejection) {
  if (raw.starts_with(kByteOrderMark)) {
    if (raw.substr(kByteOrderMark.size()) == kHeader) {
      return fail(rejection, RejectReason::repeated_header,
                  "the header again, after a byte order mark: it belongs on line 1 only (two files joined?)");
    }
    return fail(rejection, RejectReason::byte_order_mark,
                "the line starts with a byte order mark (EF BB BF), which belongs only at the start of the file");
  }
  if (raw == kHeader) {
    return fail(rejection, RejectReason::repeated_header,
                "the header again: it belongs on line 1 only (two files joined?)");
  }
  if (!is_text(raw)) return fail(rejection, RejectReason::invalid_utf8, "the line is not valid UTF-8");
  if (columns != kColumns) {
    return fail(rejection, RejectReason::column_count,
                "expected " + std::to_string(kColumns) + " columns, found " + std::to_string(columns));
  }
  return true;
}

// received_at and delivered_at: real instants, in order, not after the as-of time.
bool read_times(const std::vector<std::string_view>& fields, std::int64_t as_of_micros, ValidRow& row,
                Rejection& rejection) {
  std::string error;
  const auto received = parse_timestamp(fields[3], &error);
  if (!received) return fail(rejection, RejectReason::bad_timestamp, "received_at " + error);
  const auto delivered = parse_timestamp(fields[4], &error);
  if (!delivered) return fail(rejection, RejectReason::bad_timestamp, "delivered_at " + error);
  row.received_micros = received->micros;
  row.delivered_micros = delivered->micros;
  if (row.delivered_micros < row.received_micros) {
    return fail(
        rejection, RejectReason::delivered_before_received,
        "delivered_at " + quote_for_message(fields[4]) + " is before received_at " + quote_for_message(fields[3]));
  }
  if (row.delivered_micros > as_of_micros) {
    return fail(rejection, RejectReason::delivered_in_future,
                "delivered_at " + quote_for_message(fields[4]) + " is after the load's as-of time " +
                    format_helsinki(as_of_micros));
  }
  return true;
}

// A whole number 1..kMaxQuantity; empty means 1.
bool read_quantity(std::string_view text, std::int32_t& quantity, Rejection& rejection) {
  if (text.empty()) {
    quantity = 1;
    return true;
  }
  std::int64_t value = 0;
  bool ok = text.size() <= 10;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    value = value * 10 + (c - '0');
  }
  if (!ok || value <= 0 || value > kMaxQuantity) {
    return fail(rejection, RejectReason::bad_quantity,
                "quantity " + quote_for_message(text) + " is not a positive whole number (at most " +
                    std::to_string(kMaxQuantity) + ")");
  }
  quantity = static_cast<std::int32_t>(value);
  return true;
}

// delivered (or empty) or cancelled.
bool read_status(std::string_view text, bool& cancelled, Rejection& rejection) {
  if (text.empty() || text == "delivered") {
    cancelled = false;
  } else if (text == "cancelled") {
    cancelled = true;
  } else {
    return fail(rejection, RejectReason::bad_status,
                "status " + quote_for_message(text) + " is not delivered or cancelled");
  }
  return true;
}

}  // namespace

bool RowValidator::read_names(const std::vector<std::string_view>& fields, ValidRow& row, Rejection& rejection) const {
  row.txn_id = fields[0];
  if (row.txn_id.empty()) return fail(rejection, RejectReason::missing_txn_id, "txn_id is empty");
  if (row.txn_id.size() > kMaxTxnIdBytes) {
    return fail(
        rejection, RejectReason::missing_txn_id,
        "txn_id " + quote_for_message(row.txn_id) + " is longer than " + std::to_string(kMaxTxnIdBytes) + " bytes");
  }
  row.agency = fields[1];
  const auto agency = agency_index_.find(row.agency);
  if (agency == agency_index_.end()) {
    return fail(rejection, RejectReason::unknown_agency, "agency " + quote_for_message(row.agency) + " is unknown");
  }
  row.agency_index = agency->second;
  row.service = fields[2];
  const auto service = service_index_.find(row.service);
  if (service == service_index_.end()) {
    return fail(rejection, RejectReason::unknown_service, "service " + quote_for_message(row.service) + " is unknown");
  }
  row.service_index = service->second;
  return true;
}

bool RowValidator::validate(std::string_view raw, const std::vector<std::string_view>& fields, ValidRow& row,
                            Rejection& rejection) const {
  if (!check_line(raw, fields.size(), rejection) || !read_names(fields, row, rejection) ||
      !read_times(fields, as_of_micros_, row, rejection) || !read_quantity(fields[5], row.quantity, rejection) ||
      !read_status(fields[7], row.cancelled, rejection)) {
    return false;
  }
  row.tags = normalize_tags(fields[6]);
  row.received_day = helsinki_day(row.received_micros);
  row.delivered_day = helsinki_day(row.delivered_micros);
  return true;
}

namespace {

// What the first fields of a rejected row say, as far as there are fields.
RejectedRowFields read_leading_fields(const std::vector<std::string_view>& fields) {
  RejectedRowFields out;
  const auto text = [](std::string_view field) -> std::optional<std::string_view> {
    if (field.empty() || field.size() > kMaxTxnIdBytes || !is_text(field)) return std::nullopt;
    return field;
  };
  if (fields.size() > 0) {
    std::string_view txn_id = fields[0];
    if (txn_id.starts_with(kByteOrderMark)) txn_id.remove_prefix(kByteOrderMark.size());
    out.txn_id = text(txn_id);
  }
  if (fields.size() > 1) out.agency = text(fields[1]);
  if (fields.size() > 4) {
    if (const auto delivered = parse_timestamp(fields[4], nullptr)) out.delivered_day = helsinki_day(delivered->micros);
  }
  return out;
}

// Whether the fields are the header's (after a byte order mark or not).
bool is_header(const std::vector<std::string_view>& fields) {
  std::string joined;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) joined.push_back(',');
    joined.append(fields[i]);
  }
  if (joined.starts_with(kByteOrderMark)) joined.erase(0, kByteOrderMark.size());
  return joined == kHeader;
}

}  // namespace

RejectedRowFields read_rejected_row(const std::vector<std::string_view>& fields) {
  if (fields.size() != kColumns || is_header(fields)) return {};
  return read_leading_fields(fields);
}

RejectedRowFields read_malformed_row(const std::vector<std::string_view>& leading) {
  return read_leading_fields(leading);
}

}  // namespace costcover::ingest
