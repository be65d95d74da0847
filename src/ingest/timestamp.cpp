#include "ingest/timestamp.hpp"

#include "core/utf8.hpp"

#include <array>

namespace costcover::ingest {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
constexpr std::int32_t days_from_civil_impl(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int digit(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

// Reads exactly n digits at text[pos]; -1 when any is not a digit.
int read_digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int d = digit(text[pos + i]);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

// Day count of the last Sunday of a month.
std::int32_t last_sunday(int year, int month) {
  const std::int32_t last = days_from_civil_impl(year, month, days_in_month(year, month));
  // 1970-01-01 was a Thursday: weekday (0 = Sunday) = (days + 4) mod 7.
  const std::int32_t weekday = ((last + 4) % 7 + 7) % 7;
  return last - weekday;
}

void append_2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_4(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 1000));
  out.push_back(static_cast<char>('0' + v / 100 % 10));
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::int32_t days_from_civil(int year, int month, int day) { return days_from_civil_impl(year, month, day); }

CivilDate civil_from_days(std::int32_t days) {
  std::int32_t z = days + 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int32_t doe = z - era * 146097;
  const std::int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int32_t mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

std::optional<ParsedTimestamp> parse_timestamp(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<ParsedTimestamp> {
    if (error != nullptr) *error = quote_for_message(text) + " " + why;
    return std::nullopt;
  };
  const char* shape = "is not a timestamp of the form YYYY-MM-DDTHH:MM:SS+HH:MM";
  if (text.size() < 17) return fail(shape);
  const int year = read_digits(text, 0, 4);
  const int month = read_digits(text, 5, 2);
  const int day = read_digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] != '-' || text[7] != '-') return fail(shape);
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return fail(shape);
  const int hour = read_digits(text, 11, 2);
  const int minute = read_digits(text, 14, 2);
  if (hour < 0 || minute < 0 || text[13] != ':') return fail(shape);
  std::size_t pos = 16;
  int second = 0;
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == ':') {
    second = read_digits(text, pos + 1, 2);
    if (second < 0) return fail(shape);
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      std::size_t digits = 0;
      while (pos < text.size() && digit(text[pos]) >= 0) {
        if (digits == 6) return fail("has more than 6 fractional digits of a second");
        fraction = fraction * 10 + digit(text[pos]);
        ++digits;
        ++pos;
      }
      if (digits == 0) return fail(shape);
      for (std::size_t i = digits; i < 6; ++i) fraction *= 10;
    }
  }
  int offset_seconds = 0;
  if (pos >= text.size()) return fail("has no UTC offset (expected Z or +HH:MM)");
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '+' ? 1 : -1;
    const int oh = read_digits(text, pos + 1, 2);
    if (oh < 0) return fail(shape);
    pos += 3;
    int om = 0;
    if (pos < text.size() && text[pos] == ':') {
      om = read_digits(text, pos + 1, 2);
      if (om < 0) return fail(shape);
      pos += 3;
    } else if (pos < text.size()) {
      om = read_digits(text, pos, 2);
      if (om < 0) return fail(shape);
      pos += 2;
    }
    if (oh > 14 || om > 59) return fail("has an impossible UTC offset");
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return fail(shape);
  }
  if (pos != text.size()) return fail(shape);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return fail("is not a real day");
  if (hour > 23 || minute > 59 || second > 59) return fail("is not a real time of day");
  if (year < kFirstYear || year > kLastYear) {
    return fail("is outside the supported years " + std::to_string(kFirstYear) + ".." + std::to_string(kLastYear));
  }
  const std::int64_t days = days_from_civil_impl(year, month, day);
  const std::int64_t seconds =
      days * 86'400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second - offset_seconds;
  return ParsedTimestamp{seconds * kMicrosPerSecond + fraction};
}

std::optional<std::int64_t> parse_as_of(std::string_view text, std::string* error) {
  std::string message;
  if (auto parsed = parse_timestamp(text, &message)) return parsed->micros;
  if (text.size() == 10) {
    if (auto midnight = parse_timestamp(std::string(text) + "T00:00:00Z", nullptr)) {
      const auto day = static_cast<std::int32_t>(midnight->micros / kMicrosPerDay);
      return helsinki_to_utc(day + 1, 0) - 1;
    }
  }
  if (error != nullptr) *error = message + " (or a day YYYY-MM-DD, meaning its end in Helsinki)";
  return std::nullopt;
}

int helsinki_offset_seconds(std::int64_t utc_micros) {
  const std::int64_t utc_seconds =
      utc_micros >= 0 ? utc_micros / kMicrosPerSecond : -((-utc_micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
  const std::int64_t utc_day = utc_seconds >= 0 ? utc_seconds / 86'400 : -((-utc_seconds + 86'399) / 86'400);
  const int year = civil_from_days(static_cast<std::int32_t>(utc_day)).year;
  const std::int64_t start = static_cast<std::int64_t>(last_sunday(year, 3)) * 86'400 + 3600;
  const std::int64_t end = static_cast<std::int64_t>(last_sunday(year, 10)) * 86'400 + 3600;
  return utc_seconds >= start && utc_seconds < end ? 10'800 : 7'200;
}

std::int32_t helsinki_day(std::int64_t utc_micros) {
  const std::int64_t local =
      utc_micros + static_cast<std::int64_t>(helsinki_offset_seconds(utc_micros)) * kMicrosPerSecond;
  const std::int64_t day = local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
  return static_cast<std::int32_t>(day);
}

std::int64_t helsinki_to_utc(std::int32_t local_day, std::int64_t local_micros_of_day) {
  const std::int64_t local = static_cast<std::int64_t>(local_day) * kMicrosPerDay + local_micros_of_day;
  const std::int64_t summer = local - 10'800 * kMicrosPerSecond;
  if (helsinki_offset_seconds(summer) == 10'800) return summer;
  return local - 7'200 * kMicrosPerSecond;
}

void append_helsinki(std::string& out, std::int64_t utc_micros) {
  const int offset = helsinki_offset_seconds(utc_micros);
  const std::int64_t local = utc_micros + static_cast<std::int64_t>(offset) * kMicrosPerSecond;
  const std::int64_t day = local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
  const std::int64_t in_day = local - day * kMicrosPerDay;
  const CivilDate date = civil_from_days(static_cast<std::int32_t>(day));
  const std::int64_t secs = in_day / kMicrosPerSecond;
  const std::int64_t micros = in_day % kMicrosPerSecond;
  append_4(out, date.year);
  out.push_back('-');
  append_2(out, date.month);
  out.push_back('-');
  append_2(out, date.day);
  out.push_back('T');
  append_2(out, static_cast<int>(secs / 3600));
  out.push_back(':');
  append_2(out, static_cast<int>(secs / 60 % 60));
  out.push_back(':');
  append_2(out, static_cast<int>(secs % 60));
  if (micros != 0) {
    out.push_back('.');
    std::int64_t div = 100'000;
    for (int i = 0; i < 6; ++i) {
      out.push_back(static_cast<char>('0' + micros / div % 10));
      div /= 10;
    }
  }
  out += offset == 10'800 ? "+03:00" : "+02:00";
}

std::string format_helsinki(std::int64_t utc_micros) {
  std::string out;
  append_helsinki(out, utc_micros);
  return out;
}

std::string format_day(std::int32_t days) {
  const CivilDate date = civil_from_days(days);
  std::string out;
  append_4(out, date.year);
  out.push_back('-');
  append_2(out, date.month);
  out.push_back('-');
  append_2(out, date.day);
  return out;
}

}  // namespace costcover::ingest
