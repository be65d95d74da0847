#include "core/csv.hpp"

#include <algorithm>
#include <cstring>

namespace costcover {

namespace {

constexpr std::size_t kInitialBuffer = std::size_t{1} << 18;

std::string& next_field(std::vector<std::string>& fields, std::size_t& count) {
  if (count < fields.size()) {
    std::string& field = fields[count++];
    field.clear();
    return field;
  }
  ++count;
  return fields.emplace_back();
}

void set_error(std::string& error, std::string_view what, std::size_t field) {
  if (error.empty()) error = std::string(what) + " in field " + std::to_string(field);
}

}  // namespace

CsvReader::CsvReader(std::istream& in, std::size_t max_record_bytes)
    : in_(in), max_record_bytes_(max_record_bytes), buffer_(kInitialBuffer) {}

bool CsvReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
  const std::streamsize got = in_.gcount();
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(got);
  if (!started_) {
    started_ = true;
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
  }
  return true;
}

bool CsvReader::next(CsvRecord& record) {
  for (;;) {
    if (begin_ == end_ && !fill()) return false;
    const char first = buffer_[begin_];
    if (first == '\n') {
      ++begin_;
      ++line_;
      continue;
    }
    if (first == '\r') {
      if (begin_ + 1 == end_ && !eof_) {
        fill();
        continue;
      }
      if (begin_ + 1 == end_) {
        ++begin_;
        continue;
      }
      if (buffer_[begin_ + 1] == '\n') {
        begin_ += 2;
        ++line_;
        continue;
      }
    }
    const ScanResult result = scan(record);
    if (result.status == ScanStatus::complete) {
      record.line = line_;
      line_ += result.newlines;
      begin_ += result.consumed;
      return true;
    }
    if (result.status == ScanStatus::unterminated && (eof_ || end_ - begin_ >= max_record_bytes_)) {
      if (eof_ || std::memchr(buffer_.data() + begin_, '\n', end_ - begin_) != nullptr) {
        take_first_line(record);
        return true;
      }
    }
    fill();
  }
}

void CsvReader::take_first_line(CsvRecord& record) {
  const char* start = buffer_.data() + begin_;
  const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
  const char* stop = newline != nullptr ? newline : buffer_.data() + end_;
  const char* raw_end = stop > start && stop[-1] == '\r' ? stop - 1 : stop;
  record.raw.assign(start, raw_end);
  record.fields.clear();
  record.error = "unterminated quoted field";
  record.line = line_;
  if (newline != nullptr) {
    begin_ += static_cast<std::size_t>(newline - start) + 1;
    ++line_;
  } else {
    begin_ = end_;
  }
}

CsvReader::ScanResult CsvReader::scan(CsvRecord& record) const {
  const char* const start = buffer_.data() + begin_;
  const char* const end = buffer_.data() + end_;
  const char* q = start;
  std::size_t count = 0;
  std::int64_t newlines = 0;
  record.error.clear();
  ScanResult result;

  // Ends the record with its raw text [start, raw_end) and `consumed` bytes.
  auto finish = [&](const char* raw_end, const char* after) {
    record.fields.resize(count);
    record.raw.assign(start, raw_end);
    result.status = ScanStatus::complete;
    result.consumed = static_cast<std::size_t>(after - start);
    result.newlines = newlines;
    return result;
  };

  for (;;) {
    std::string& field = next_field(record.fields, count);
    if (q < end && *q == '"') {
      ++q;
      for (;;) {
        const char* text = q;
        while (q < end && *q != '"') {
          if (*q == '\n') ++newlines;
          ++q;
        }
        field.append(text, q);
        if (q == end) {
          result.status = ScanStatus::unterminated;
          return result;
        }
        if (q + 1 == end && !eof_) return result;  // need_more: is it "" or the close?
        if (q + 1 < end && q[1] == '"') {
          field.push_back('"');
          q += 2;
          continue;
        }
        ++q;
        break;
      }
      if (q == end) {
        if (!eof_) return result;
        return finish(q, q);
      }
      if (*q == ',') {
        ++q;
        continue;
      }
      if (*q == '\n') {
        ++newlines;
        return finish(q, q + 1);
      }
      if (*q == '\r') {
        if (q + 1 == end && !eof_) return result;
        if (q + 1 == end) return finish(q, q + 1);
        if (q[1] == '\n') {
          ++newlines;
          return finish(q, q + 2);
        }
      }
      set_error(record.error, "unexpected character after closing quote", count);
    }
    // Unquoted text, or what follows a closing quote in a malformed field.
    for (;;) {
      const char* text = q;
      while (q < end && *q != ',' && *q != '\n' && *q != '"') ++q;
      field.append(text, q);
      if (q == end) {
        if (!eof_) return result;
        const char* raw_end = q > start && q[-1] == '\r' ? q - 1 : q;
        if (!field.empty() && field.back() == '\r') field.pop_back();
        return finish(raw_end, q);
      }
      if (*q == '"') {
        set_error(record.error, "stray quote", count);
        field.push_back('"');
        ++q;
        continue;
      }
      break;
    }
    if (*q == ',') {
      ++q;
      continue;
    }
    // *q == '\n'
    ++newlines;
    const char* raw_end = q > start && q[-1] == '\r' ? q - 1 : q;
    if (!field.empty() && field.back() == '\r') field.pop_back();
    return finish(raw_end, q + 1);
  }
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out;
  out.reserve(value.size() + 2);
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_text_field(std::string_view value) {
  if (value.empty() || std::string_view("=+-@\t\r").find(value.front()) == std::string_view::npos) {
    return csv_field(value);
  }
  return csv_field("'" + std::string(value));
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(fields[i]);
  }
  return out;
}

std::optional<CsvDialect> parse_csv_dialect(std::string_view text) {
  if (text == "standard") return CsvDialect::standard;
  if (text == "excel-fi") return CsvDialect::excel_fi;
  return std::nullopt;
}

std::string_view to_string(CsvDialect dialect) { return dialect == CsvDialect::excel_fi ? "excel-fi" : "standard"; }

CsvWriter::CsvWriter(CsvDialect dialect) : dialect_(dialect), separator_(dialect == CsvDialect::excel_fi ? ';' : ',') {
  if (dialect_ == CsvDialect::excel_fi) out_ = "\xEF\xBB\xBF";
}

void CsvWriter::separate() {
  if (!first_in_record_) out_ += separator_;
  first_in_record_ = false;
}

void CsvWriter::quoted(std::string_view value) {
  const char specials[] = {separator_, '"', '\r', '\n', '\0'};
  if (value.find_first_of(specials) == std::string_view::npos) {
    out_ += value;
    return;
  }
  out_ += '"';
  for (const char c : value) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  out_ += '"';
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separate();
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    quoted("'" + std::string(value));
  } else {
    quoted(value);
  }
  return *this;
}

CsvWriter& CsvWriter::number(std::string_view value) {
  separate();
  if (dialect_ == CsvDialect::excel_fi) {
    std::string local(value);
    std::replace(local.begin(), local.end(), '.', ',');
    quoted(local);
  } else {
    quoted(value);
  }
  return *this;
}

void CsvWriter::end_record() {
  out_ += dialect_ == CsvDialect::excel_fi ? "\r\n" : "\n";
  first_in_record_ = true;
}

}  // namespace costcover
