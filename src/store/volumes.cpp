#include "store/volumes.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "db/copy.hpp"
#include "db/query.hpp"

namespace costcover::store {
namespace {

std::int64_t to_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw std::runtime_error("expected an integer from the database, got \"" + std::string(text) + "\"");
  }
  return value;
}

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find(';', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

namespace {
std::map<std::string, std::vector<rating::DailyVolume>> read_volumes(soci::session& session, Date from, Date to,
                                                                     const std::string& sql, const db::Params& params) {
  // Days come as offsets from `from` (no date parsing per row); the sort needs memory.
  db::exec(session, "SET work_mem = '256MB'");
  db::exec(session, "SET jit = off");
  // COPY streams the rows (a million of them) without building a result set. The query
  // text carries its parameters as literals: dates and ids checked by their types.
  std::string query = sql;
  for (std::size_t i = params.size(); i > 0; --i) {
    std::string literal = "'";
    for (const char c : params[i - 1].value_or("")) {
      if (c == '\'') literal += '\'';
      literal += c;
    }
    literal += "'";
    const std::string placeholder = "$" + std::to_string(i);
    for (auto at = query.find(placeholder); at != std::string::npos;
         at = query.find(placeholder, at + literal.size())) {
      query.replace(at, placeholder.size(), literal);
    }
  }
  // Rows come unsorted (sorting a million rows by a collated text key costs the server
  // seconds): grouped here by agency, then each agency's rows sorted by day and id.
  std::unordered_map<std::string, std::vector<rating::DailyVolume>> grouped;
  std::vector<rating::DailyVolume>* current = nullptr;
  std::string current_agency;
  std::vector<Date> days;
  for (Date day = from; day <= to; day += boost::gregorian::days(1)) days.push_back(day);
  db::copy_out(session, query, [&](const std::vector<std::string_view>& fields) {
    if (fields.size() != 8)
      throw std::runtime_error("daily_volume COPY row with " + std::to_string(fields.size()) + " fields");
    const auto agency = fields[0];
    if (current == nullptr || agency != current_agency) {
      current_agency = std::string(agency);
      current = &grouped[current_agency];
    }
    rating::DailyVolume volume;
    volume.id = to_int(fields[1]);
    volume.service = std::string(fields[2]);
    volume.day = days.at(static_cast<std::size_t>(to_int(fields[3])));
    if (!fields[4].empty()) volume.tags = split_tags(std::string(fields[4]));
    volume.business_days = static_cast<int>(to_int(fields[5]));
    volume.transactions = to_int(fields[6]);
    volume.quantity = to_int(fields[7]);
    current->push_back(std::move(volume));
  });
  db::exec(session, "RESET work_mem");
  db::exec(session, "RESET jit");
  std::map<std::string, std::vector<rating::DailyVolume>> out;
  for (auto& [agency, list] : grouped) {
    std::sort(list.begin(), list.end(), [](const rating::DailyVolume& a, const rating::DailyVolume& b) {
      return a.day != b.day ? a.day < b.day : a.id < b.id;
    });
    out.emplace(agency, std::move(list));
  }
  return out;
}

}  // namespace

std::map<std::string, std::vector<rating::DailyVolume>> load_volumes(soci::session& session, Date from, Date to,
                                                                     const std::vector<std::string>& agencies) {
  std::string sql =
      "SELECT agency, id, service, day - $1::date, tags, business_days, transactions, quantity "
      "FROM daily_volume WHERE day BETWEEN $1::date AND $2::date";
  db::Params params{format_date(from), format_date(to)};
  if (!agencies.empty()) {
    sql += " AND agency = ANY($3::text[])";
    params.emplace_back(db::text_array(agencies));
  }
  return read_volumes(session, from, to, sql, params);
}

std::map<std::string, std::vector<rating::DailyVolume>> load_window_history(
    soci::session& session, Date from, Date to, const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (pairs.empty() || to < from) return {};
  std::vector<std::string> agencies;
  std::vector<std::string> services;
  for (const auto& [agency, service] : pairs) {
    agencies.push_back(agency);
    services.push_back(service);
  }
  const std::string sql =
      "SELECT d.agency, min(d.id), d.service, d.day - $1::date, d.tags, 0, sum(d.transactions), sum(d.quantity) "
      "FROM daily_volume d JOIN unnest($3::text[], $4::text[]) AS p(agency, service) "
      "  ON p.agency = d.agency AND p.service = d.service "
      "WHERE d.day BETWEEN $1::date AND $2::date "
      "GROUP BY d.agency, d.service, d.day, d.tags";
  return read_volumes(session, from, to, sql,
                      {format_date(from), format_date(to), db::text_array(agencies), db::text_array(services)});
}

}  // namespace costcover::store
