#include "cli/options.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/errors.hpp"
#include "core/utf8.hpp"
#include "store/contracts.hpp"

namespace costcover::cli {

std::optional<Month> optional_month_option(Args& args, const std::string& name) {
  const auto text = args.option(name);
  if (!text) return std::nullopt;
  try {
    return Month::parse(*text);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("{} \"{}\" is not a month YYYY-MM", name, *text));
  }
}

Month month_option(Args& args, const std::string& name) {
  auto month = optional_month_option(args, name);
  if (!month) throw UsageError("missing " + name);
  return *month;
}

int year_option(Args& args, const std::string& name) {
  const std::string text = args.required(name);
  const auto year = parse_year(text);
  if (!year) {
    throw UsageError(fmt::format("{} expects a year YYYY from {} to {}, got {}", name, kFirstYear, kLastYear,
                                 quote_for_message(text)));
  }
  return *year;
}

std::optional<std::string> agency_option(Args& args, const std::string& name) {
  auto agency = args.option(name);
  const auto is_id_char = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (agency && (agency->empty() || !std::all_of(agency->begin(), agency->end(), is_id_char))) {
    throw UsageError(fmt::format("{} \"{}\" is not an agency id [A-Z0-9]+", name, *agency));
  }
  return agency;
}

void check_known_agency(soci::session& session, const std::optional<std::string>& agency, const std::string& name) {
  if (!agency) return;
  const auto known = store::agency_ids(session);
  if (std::find(known.begin(), known.end(), *agency) != known.end()) return;
  if (known.empty()) {
    throw UsageError(fmt::format(
        "{}: unknown agency \"{}\"; the database holds no agencies (run costcover contracts load)", name, *agency));
  }
  if (const auto near = nearest(*agency, known)) {
    throw UsageError(fmt::format(R"({}: unknown agency "{}"; did you mean "{}"?)", name, *agency, *near));
  }
  constexpr std::size_t kListed = 12;
  if (known.size() <= kListed) {
    throw UsageError(fmt::format("{}: unknown agency \"{}\"; known: {}", name, *agency, fmt::join(known, ", ")));
  }
  throw UsageError(fmt::format("{}: unknown agency \"{}\"; {} agencies are known, from {} to {} (agencies.yaml)", name,
                               *agency, known.size(), known.front(), known.back()));
}

std::optional<Date> date_option(Args& args, const std::string& name) {
  const auto text = args.option(name);
  if (!text) return std::nullopt;
  const auto day = try_parse_date(*text);
  if (!day) throw UsageError(fmt::format("{} \"{}\" is not a day YYYY-MM-DD", name, *text));
  return day;
}

}  // namespace costcover::cli
