#include "ingest/csv_scanner.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace costcover::ingest {
namespace {

// Splits raw into fields; quoted fields are unescaped into scratch, which must have
// capacity >= raw.size() so that views into it stay valid. On an error, `fields` keeps the
// whole fields before the broken one.
void split_fields(std::string_view raw, std::vector<std::string_view>& fields, std::string& scratch,
                  std::string& error) {
  fields.clear();
  scratch.clear();
  if (raw.find('"') == std::string_view::npos) {
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = raw.find(',', start);
      if (comma == std::string_view::npos) {
        fields.push_back(raw.substr(start));
        return;
      }
      fields.push_back(raw.substr(start, comma - start));
      start = comma + 1;
    }
  }
  std::size_t i = 0;
  while (true) {
    if (i < raw.size() && raw[i] == '"') {
      const std::size_t field_start = scratch.size();
      ++i;
      bool closed = false;
      while (i < raw.size()) {
        const char c = raw[i];
        if (c == '"') {
          if (i + 1 < raw.size() && raw[i + 1] == '"') {
            scratch.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        scratch.push_back(c);
        ++i;
      }
      if (!closed) {
        error = "unterminated quoted field " + std::to_string(fields.size() + 1);
        return;
      }
      fields.push_back(std::string_view(scratch).substr(field_start, scratch.size() - field_start));
      if (i == raw.size()) return;
      if (raw[i] != ',') {
        error = "text after the closing quote of field " + std::to_string(fields.size());
        fields.pop_back();
        return;
      }
      ++i;
    } else {
      const std::size_t comma = raw.find(',', i);
      const std::size_t stop = comma == std::string_view::npos ? raw.size() : comma;
      const std::string_view field = raw.substr(i, stop - i);
      if (field.find('"') != std::string_view::npos) {
        error = "quote inside unquoted field " + std::to_string(fields.size() + 1);
        return;
      }
      fields.push_back(field);
      if (comma == std::string_view::npos) return;
      i = comma + 1;
    }
  }
}

}  // namespace

CsvScanner::CsvScanner(std::FILE* file, std::size_t columns) : file_(file), columns_(columns), block_(kBlockBytes) {}

bool CsvScanner::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(block_.data(), block_.data() + begin_, end_ - begin_);
    block_offset_ += static_cast<std::int64_t>(begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == block_.size()) return false;
  const std::size_t got = std::fread(block_.data() + end_, 1, block_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_) != 0) throw std::runtime_error(std::string("read error: ") + std::strerror(errno));
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

namespace {

// RFC 4180 record end from `from`: the index of the '\n' that ends the record, `to` when
// the data ends inside the record and eof says no more will come, npos when more data is
// needed. A quote opens a quoted field only at the start of a field; elsewhere it is left
// for split_fields to report. Counts the newlines inside quoted fields; `open` says that
// the data ended inside a quoted field.
std::size_t find_record_end(const char* base, std::size_t from, std::size_t to, bool eof, std::size_t& newlines,
                            bool& open) {
  constexpr std::size_t kNeedMore = std::string::npos;
  newlines = 0;
  open = false;
  bool field_start = true;
  bool quoted = false;
  for (std::size_t i = from; i < to; ++i) {
    const char c = base[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 == to && !eof) return kNeedMore;
        if (i + 1 < to && base[i + 1] == '"') {
          ++i;
        } else {
          quoted = false;
        }
      } else if (c == '\n') {
        ++newlines;
      }
      continue;
    }
    if (c == '\n') return i;
    if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
    } else {
      field_start = c == ',';
    }
  }
  open = quoted;
  return eof ? to : kNeedMore;
}

}  // namespace

bool CsvScanner::next(CsvRecord& record) {
  while (true) {
    std::size_t stop = std::string::npos;
    std::size_t newlines = 0;
    bool open = false;  // the file ended inside a quoted field
    bool too_long = false;
    while (true) {
      if (eof_ && begin_ == end_) return false;
      const char* base = block_.data();
      const std::size_t available = end_ - begin_;
      // A record's line end lies within its first kMaxRecordBytes + 1 bytes.
      const std::size_t window = std::min(available, kMaxRecordBytes + 1);
      const void* nl = std::memchr(base + begin_, '\n', window);
      const std::size_t line_end = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end_;
      const bool line_known = nl != nullptr || (eof_ && available <= kMaxRecordBytes);
      if (line_known && std::memchr(base + begin_, '"', line_end - begin_) == nullptr) {
        stop = line_end;  // the common case: no quotes on the line
        break;
      }
      if (line_known) {
        stop = find_record_end(base, begin_, begin_ + window, eof_ && window == available, newlines, open);
        if (stop != std::string::npos) break;
      }
      if (available > kMaxRecordBytes || (!fill() && !eof_)) {
        too_long = true;
        break;
      }
    }
    record.error.clear();
    record.fields.clear();
    record.line = line_;
    record.offset = block_offset_ + static_cast<std::int64_t>(begin_);
    if (too_long) {
      take_overlong(record);
      return true;
    }
    if (newlines > 0) {
      // Only records with quotes that span lines get here: the check stays off the fast
      // path. A quote still open at the end of the file is broken whatever follows it.
      const std::size_t first_line_end = broken_record_line_end(stop, open);
      if (first_line_end != std::string::npos) {
        take_line(record, first_line_end);
        return true;
      }
    }
    const char* base = block_.data();
    const std::size_t next_begin = stop < end_ ? stop + 1 : end_;
    std::size_t raw_end = stop;
    if (raw_end > begin_ && base[raw_end - 1] == '\r') --raw_end;
    record.raw = std::string_view(base + begin_, raw_end - begin_);
    consumed_ = block_offset_ + static_cast<std::int64_t>(next_begin);
    line_ += 1 + static_cast<std::int64_t>(newlines);
    begin_ = next_begin;
    if (record.raw.empty()) continue;  // blank line
    split(record);
    return true;
  }
}

bool CsvScanner::is_whole_record(std::string_view line) {
  if (columns_ == 0 || line.empty() || line.front() == '"') return false;
  if (line.find('"') == std::string_view::npos) {
    return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1 == columns_;
  }
  if (check_scratch_.capacity() < line.size()) check_scratch_.reserve(line.size());
  std::string error;
  split_fields(line, check_fields_, check_scratch_, error);
  return error.empty() && check_fields_.size() == columns_;
}

// For a record [begin_, stop) that spans lines: the end of its first physical line when
// the record is broken, npos otherwise. It is broken when its quoted field is still `open`
// at the end of the file, or when one of its continuation lines, read alone, is a whole
// record (then the lines after the first are records of their own).
std::size_t CsvScanner::broken_record_line_end(std::size_t stop, bool open) {
  const char* base = block_.data();
  const auto* first = static_cast<const char*>(std::memchr(base + begin_, '\n', stop - begin_));
  const auto first_end = static_cast<std::size_t>(first - base);
  if (open) return first_end;
  for (std::size_t start = first_end + 1; start <= stop;) {
    const void* nl = std::memchr(base + start, '\n', stop - start);
    const std::size_t end = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : stop;
    std::string_view line(base + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_whole_record(line)) return first_end;
    start = end + 1;
  }
  return std::string::npos;
}

// The record is the physical line [begin_, line_end) alone, malformed (a quoted field
// opened on it does not close on it); the scan goes on at the next line.
void CsvScanner::take_line(CsvRecord& record, std::size_t line_end) {
  const char* base = block_.data();
  std::size_t raw_end = line_end;
  if (raw_end > begin_ && base[raw_end - 1] == '\r') --raw_end;
  record.raw = std::string_view(base + begin_, raw_end - begin_);
  begin_ = line_end + 1;
  consumed_ = block_offset_ + static_cast<std::int64_t>(begin_);
  line_ += 1;
  split(record);
  if (record.error.empty()) record.error = "unterminated quoted field";  // split agrees with find_record_end
}

// No record end within kMaxRecordBytes of begin_ (see the header).
void CsvScanner::take_overlong(CsvRecord& record) {
  const char* base = block_.data();
  const void* nl = std::memchr(base + begin_, '\n', end_ - begin_);
  if (nl != nullptr) {
    const auto line_end = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
    if (line_end - begin_ <= kMaxRecordBytes) {
      take_line(record, line_end);
      record.error += " (no closing quote within 1 MiB)";
      return;
    }
  }
  // One physical line longer than the limit: keep its start, cut at a character boundary.
  std::size_t keep = std::min(kMaxRecordBytes, end_ - begin_);
  for (int back = 0;
       back < 3 && begin_ + keep < end_ && (static_cast<unsigned char>(base[begin_ + keep]) & 0xC0U) == 0x80U; ++back) {
    --keep;
  }
  overlong_.assign(base + begin_, keep);
  // Skip to the line's real end, through as many blocks as it takes.
  std::int64_t bytes = 0;  // the line's length without its terminator
  bool cr = false;         // the last byte seen was '\r'
  while (true) {
    base = block_.data();
    const void* end = std::memchr(base + begin_, '\n', end_ - begin_);
    const std::size_t stop = end != nullptr ? static_cast<std::size_t>(static_cast<const char*>(end) - base) : end_;
    bytes += static_cast<std::int64_t>(stop - begin_);
    if (stop > begin_) cr = base[stop - 1] == '\r';
    if (end != nullptr) {
      begin_ = stop + 1;
      break;
    }
    begin_ = end_;
    if (!fill()) break;  // the end of the file ends the line
  }
  if (cr) --bytes;
  consumed_ = block_offset_ + static_cast<std::int64_t>(begin_);
  line_ += 1;
  record.raw = overlong_;
  record.error = "line of " + std::to_string(bytes) + " bytes is longer than the limit of " +
                 std::to_string(kMaxRecordBytes) + " bytes (1 MiB); raw holds its first " + std::to_string(keep) +
                 " bytes";
  // The whole fields at the start of the kept text (the last one may be cut: dropped).
  if (scratch_.capacity() < record.raw.size()) scratch_.reserve(record.raw.size());
  std::string error;
  split_fields(record.raw, record.fields, scratch_, error);
  if (error.empty() && !record.fields.empty()) record.fields.pop_back();
}

void CsvScanner::split(CsvRecord& record) {
  if (scratch_.capacity() < record.raw.size()) scratch_.reserve(record.raw.size());
  split_fields(record.raw, record.fields, scratch_, record.error);
}

std::vector<std::string> split_csv_line(std::string_view line, std::string* error) {
  std::vector<std::string_view> fields;
  std::string scratch;
  scratch.reserve(line.size());
  std::string message;
  split_fields(line, fields, scratch, message);
  if (error != nullptr) *error = message;
  return {fields.begin(), fields.end()};
}

}  // namespace costcover::ingest
