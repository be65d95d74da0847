#include "ingest/csv_scanner.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace costcover::ingest {
namespace {

// Splits raw into fields; quoted fields are unescaped into scratch, which must have
// capacity >= raw.size() so that views into it stay valid.
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

CsvScanner::CsvScanner(std::FILE* file) : file_(file), block_(kBlockBytes) {}

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
// for split_fields to report. Counts the newlines inside quoted fields.
std::size_t find_record_end(const char* base, std::size_t from, std::size_t to, bool eof, std::size_t& newlines) {
  constexpr std::size_t kNeedMore = std::string::npos;
  newlines = 0;
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
  return eof ? to : kNeedMore;
}

}  // namespace

bool CsvScanner::next(CsvRecord& record) {
  while (true) {
    std::size_t stop = std::string::npos;
    std::size_t newlines = 0;
    while (true) {
      if (eof_ && begin_ == end_) return false;
      const char* base = block_.data();
      const void* nl = std::memchr(base + begin_, '\n', end_ - begin_);
      const std::size_t line_end = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end_;
      if ((nl != nullptr || eof_) && std::memchr(base + begin_, '"', line_end - begin_) == nullptr) {
        stop = line_end;  // the common case: no quotes on the line
        break;
      }
      if (nl != nullptr || eof_) {
        stop = find_record_end(base, begin_, end_, eof_, newlines);
        if (stop != std::string::npos) break;
      }
      if (end_ - begin_ > kMaxRecordBytes) break;
      if (!fill()) {
        if (eof_ && end_ == begin_) return false;
        if (eof_) continue;
        break;  // the block is full: too long
      }
    }
    const char* base = block_.data();
    record.error.clear();
    record.line = line_;
    record.offset = block_offset_ + static_cast<std::int64_t>(begin_);
    std::size_t next_begin = 0;
    if (stop == std::string::npos) {
      // Too long: cut at the first line end (or the block end) and report it malformed.
      const void* nl = std::memchr(base + begin_, '\n', end_ - begin_);
      stop = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end_;
      next_begin = nl != nullptr ? stop + 1 : end_;
      record.error = "record longer than 1 MiB (an unterminated quoted field?)";
      newlines = 0;
    } else {
      next_begin = stop < end_ ? stop + 1 : end_;
    }
    std::size_t raw_end = stop;
    if (raw_end > begin_ && base[raw_end - 1] == '\r') --raw_end;
    record.raw = std::string_view(base + begin_, raw_end - begin_);
    consumed_ = block_offset_ + static_cast<std::int64_t>(next_begin);
    line_ += 1 + static_cast<std::int64_t>(newlines);
    begin_ = next_begin;
    if (record.raw.empty() && record.error.empty()) continue;  // blank line
    if (record.error.empty()) split(record);
    return true;
  }
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
