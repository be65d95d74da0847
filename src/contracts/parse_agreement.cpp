// agreements/*.yaml: one version of one service agreement.
#include <algorithm>

#include "contracts/parsers.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

namespace {

// Graduated tiers: every tier but the last has an up_to, strictly increasing.
std::vector<model::Tier> read_tiers(FileContext& context, const Field& field) {
  std::vector<model::Tier> out;
  const auto items = read_list(context, field);
  if (field.node.IsSequence() && items.empty()) context.error(Rule::empty_list, field.mark, field.path + " is empty");
  std::optional<std::int64_t> previous;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Field& item = items[i];
    const bool last = i + 1 == items.size();
    MapReader tier_map(context, item, {"up_to", "unit_price"});
    if (!tier_map.valid()) continue;
    model::Tier tier;
    if (auto f = tier_map.need("unit_price")) tier.unit_price = read_unit_price(context, *f).value_or(Decimal{});
    auto up_to = tier_map.get("up_to");
    if (up_to) {
      tier.up_to = read_volume(context, *up_to, 1);
      if (tier.up_to && last) {
        context.error(
            Rule::last_tier_up_to, up_to->mark,
            up_to->path + " " + std::to_string(*tier.up_to) + " is on the last tier (the last tier has no up_to)");
      } else if (tier.up_to && previous && *tier.up_to <= *previous) {
        context.error(Rule::tiers_not_increasing, up_to->mark,
                      up_to->path + " " + std::to_string(*tier.up_to) + " does not increase (previous up_to " +
                          std::to_string(*previous) + ")");
      }
      if (tier.up_to) previous = tier.up_to;
    } else if (!last) {
      context.error(Rule::tier_without_up_to, item.mark, item.path + " has no up_to but is not the last tier");
    }
    out.push_back(tier);
  }
  return out;
}

// list, {unit_price: X} or {tiers: [...]}.
model::Price read_price(FileContext& context, const Field& field) {
  model::Price out;
  if (field.node.IsScalar()) {
    if (field.node.Scalar() != "list") {
      context.error(Rule::not_one_of, field.mark,
                    field.path + " " + quote_for_message(field.node.Scalar()) +
                        " is not a price (expected list, {unit_price: X} or {tiers: [...]})");
    }
    return out;
  }
  MapReader map(context, field, {"unit_price", "tiers"});
  if (!map.valid()) return out;
  auto unit_price = map.get("unit_price");
  auto tiers = map.get("tiers");
  if (unit_price && tiers) {
    context.error(Rule::exclusive_keys, tiers->mark, tiers->path + " cannot be given together with unit_price");
    return out;
  }
  if (unit_price) {
    out.model = model::PriceModel::unit_price;
    out.unit_price = read_unit_price(context, *unit_price).value_or(Decimal{});
    return out;
  }
  if (!tiers) {
    context.error(Rule::needs_one_of, field.mark,
                  field.path + " is an empty mapping; expected {unit_price: X} or {tiers: [...]}");
    return out;
  }
  out.model = model::PriceModel::tiers;
  out.tiers = read_tiers(context, *tiers);
  return out;
}

model::Volume read_volume(FileContext& context, const Field& field) {
  model::Volume out;
  MapReader map(context, field, {"per", "forecast", "lower_limit", "upper_limit", "over_limit"});
  if (!map.valid()) return out;
  if (auto f = map.get("per"))
    out.per = read_enum<model::Window>(context, *f, {{"month", model::Window::month}, {"year", model::Window::year}})
                  .value_or(model::Window::month);
  if (auto f = map.get("forecast")) out.forecast = read_volume(context, *f, 0);
  auto lower = map.get("lower_limit");
  auto upper = map.get("upper_limit");
  if (lower) out.lower_limit = read_volume(context, *lower, 0);
  if (upper) out.upper_limit = read_volume(context, *upper, 0);
  if (out.lower_limit && out.upper_limit && *out.lower_limit > *out.upper_limit) {
    context.error(Rule::lower_above_upper, lower->mark,
                  lower->path + " " + std::to_string(*out.lower_limit) + " is above upper_limit " +
                      std::to_string(*out.upper_limit));
  }
  if (auto f = map.get("over_limit")) {
    if (!upper)
      context.error(Rule::over_limit_without_upper, f->mark, f->path + " is given but there is no upper_limit");
    if (f->node.IsScalar() && f->node.Scalar() == "flag") {
      out.over_limit = model::OverLimitMode::flag;
    } else if (f->node.IsMap()) {
      MapReader over(context, *f, {"unit_price"});
      if (auto g = over.need("unit_price")) {
        out.over_limit = model::OverLimitMode::price;
        out.over_limit_price = read_unit_price(context, *g).value_or(Decimal{});
      }
    } else {
      context.error(Rule::wrong_type, f->mark,
                    f->path + " is " + describe(f->node) + "; expected flag or {unit_price: X}");
    }
  }
  return out;
}

std::vector<model::PerformanceTarget> read_performance(FileContext& context, const Field& field) {
  std::vector<model::PerformanceTarget> out;
  for (const auto& item : read_list(context, field)) {
    MapReader map(context, item, {"metric", "max_business_days", "target_share", "credit_percent"});
    if (!map.valid()) continue;
    model::PerformanceTarget target;
    if (auto f = map.need("metric"))
      target.metric = read_enum<model::Metric>(context, *f, {{"processing_time", model::Metric::processing_time}})
                          .value_or(model::Metric::processing_time);
    if (auto f = map.need("max_business_days"))
      target.max_business_days = static_cast<int>(read_integer(context, *f, 0, 365).value_or(0));
    if (auto f = map.need("target_share"))
      target.target_share = read_decimal(context, *f, 4, Decimal{}, Decimal::from_integer(1)).value_or(Decimal{});
    if (auto f = map.get("credit_percent"))
      target.credit_percent = read_decimal(context, *f, 2, Decimal{}, Decimal::from_integer(100));
    out.push_back(target);
  }
  return out;
}

// The ids met so far in a list, each with the path of its first entry.
using SeenIds = std::vector<std::pair<std::string, std::string>>;

// False (with a finding at field) when id is already in seen; else records it.
bool first_time(FileContext& context, const Field& field, const std::string& id, SeenIds& seen,
                const std::string& path) {
  const auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == id; });
  if (first != seen.end()) {
    context.error(Rule::repeated_id, field.mark,
                  field.path + " " + id + " is repeated (first at " + first->second + ")");
    return false;
  }
  seen.emplace_back(id, path);
  return true;
}

model::Billing read_billing(FileContext& context, const Field& field) {
  model::Billing out;
  MapReader billing(context, field, {"cycle", "payment_terms_days", "buyer_reference"});
  if (!billing.valid()) return out;
  if (auto f = billing.get("cycle"))
    out.cycle = read_enum<std::string>(context, *f, {{"monthly", "monthly"}}).value_or("monthly");
  if (auto f = billing.get("payment_terms_days"))
    out.payment_terms_days =
        static_cast<int>(read_integer(context, *f, 0, 365).value_or(model::kDefaultPaymentTermsDays));
  if (auto f = billing.need("buyer_reference"))
    out.buyer_reference = read_text(context, *f, kMaxCodeChars).value_or("");
  return out;
}

// agreement.client: an agency id, checked against agencies.yaml when it loaded.
void read_client(FileContext& context, const Field& field, const std::vector<model::Agency>* agencies,
                 ParsedAgreement& parsed) {
  parsed.client_at = context.at(field.mark);
  auto id = read_id(context, field, IdForm::agency);
  if (!id) return;
  parsed.agreement.client = *id;
  if (agencies != nullptr &&
      std::none_of(agencies->begin(), agencies->end(), [&](const model::Agency& x) { return x.id == *id; })) {
    context.error(Rule::unknown_agency, field.mark,
                  field.path + " " + quote_for_message(*id) + " is not an agency in agencies.yaml");
  }
}

// The `agreement:` section: id, version, client, valid, signed and billing.
void read_header(FileContext& context, const Field& field, const std::vector<model::Agency>* agencies,
                 ParsedAgreement& parsed) {
  model::Agreement& a = parsed.agreement;
  MapReader map(context, field, {"id", "version", "client", "valid", "signed", "billing"});
  if (!map.valid()) return;
  if (auto f = map.need("id")) a.id = read_id(context, *f, IdForm::agreement).value_or("");
  if (auto f = map.need("version")) {
    parsed.version_at = context.at(f->mark);
    a.version = static_cast<int>(read_integer(context, *f, 1, 9999).value_or(0));
  }
  if (auto f = map.need("client")) read_client(context, *f, agencies, parsed);
  if (auto f = map.need("valid")) {
    if (auto range = read_range(context, *f)) {
      a.valid = *range;
      parsed.have_valid = true;
    }
  }
  if (auto f = map.get("signed")) a.signed_on = read_date(context, *f);
  if (auto f = map.need("billing")) a.billing = read_billing(context, *f);
}

// A service id that must be in the catalog (when it loaded): the id, also when it is not
// there (after an unknown_service finding), or nothing when it is not an id.
std::optional<std::string> read_catalog_service(FileContext& context, const Field& field,
                                                const model::Catalog* catalog) {
  auto id = read_id(context, field, IdForm::service);
  if (id && catalog != nullptr && catalog->find(*id) == nullptr) {
    context.error(Rule::unknown_service, field.mark,
                  field.path + " " + quote_for_message(*id) + " is not a service in the catalog");
  }
  return id;
}

// A fixed fee: its id (unique in the file), the catalog service it pays for, amount, per.
model::Fee read_fee(FileContext& context, const Field& item, const model::Catalog* catalog, SeenIds& seen) {
  MapReader map(context, item, {"fee", "service", "amount", "per"});
  model::Fee fee;
  fee.where = context.at(item.mark);
  if (auto f = map.need("fee")) {
    fee.id = read_id(context, *f, IdForm::lower_name).value_or("");
    if (!fee.id.empty()) (void)first_time(context, *f, fee.id, seen, item.path);
  }
  if (auto f = map.need("service")) fee.service = read_catalog_service(context, *f, catalog).value_or("");
  if (auto f = map.need("amount")) fee.amount = read_money(context, *f).value_or(Money{});
  if (auto f = map.need("per"))
    fee.per = read_enum<model::FeePer>(context, *f, {{"month", model::FeePer::month}, {"year", model::FeePer::year}})
                  .value_or(model::FeePer::month);
  return fee;
}

// Part 1 with parts 2-4 for one service; price_at gets where its price is written.
model::ServiceTerms read_service_terms(FileContext& context, const Field& item, const model::Catalog* catalog,
                                       SeenIds& seen, Location& price_at) {
  MapReader map(context, item, {"service", "handoff", "price", "volume", "performance"});
  model::ServiceTerms terms;
  terms.where = context.at(item.mark);
  price_at = terms.where;
  if (auto f = map.need("service")) {
    if (auto id = read_catalog_service(context, *f, catalog)) {
      terms.service = *id;
      if (catalog == nullptr || catalog->find(*id) != nullptr) (void)first_time(context, *f, *id, seen, item.path);
    }
  }
  if (auto f = map.get("handoff")) terms.handoff = read_text(context, *f, kMaxTextChars).value_or("");
  if (auto f = map.need("price")) {
    price_at = context.at(f->mark);
    terms.price = read_price(context, *f);
  }
  if (auto f = map.get("volume")) terms.volume = read_volume(context, *f);
  if (auto f = map.get("performance")) terms.performance = read_performance(context, *f);
  return terms;
}

// `services:`: the services (each once) and the fixed fees (ids unique), each a catalog service.
void read_services(FileContext& context, const Field& field, const model::Catalog* catalog, ParsedAgreement& parsed) {
  model::Agreement& a = parsed.agreement;
  const auto items = read_list(context, field);
  if (field.node.IsSequence() && items.empty())
    context.error(Rule::empty_list, field.mark, "services is empty; expected at least one service");
  SeenIds services;
  SeenIds fees;
  for (const auto& item : items) {
    if (!item.node.IsMap()) {
      context.error(Rule::wrong_type, item.mark,
                    item.path + " is " + describe(item.node) + "; expected a mapping with service or fee");
      continue;
    }
    // An entry with `fee` is a fee (its `service` names what it pays for).
    if (static_cast<bool>(item.node["fee"])) {
      a.fees.push_back(read_fee(context, item, catalog, fees));
      continue;
    }
    Location price_at;
    a.services.push_back(read_service_terms(context, item, catalog, services, price_at));
    parsed.price_at.push_back(price_at);
  }
}

// What each kind of exception uses: R required, O optional, - not allowed
// (contracts/README.md, "Exceptions").
struct KeyUse {
  const char* key;
  char sla_waiver, exclude, price, limits_suspended, charge;
  [[nodiscard]] char for_kind(model::ExceptionKind kind) const {
    switch (kind) {
      case model::ExceptionKind::sla_waiver:
        return sla_waiver;
      case model::ExceptionKind::exclude:
        return exclude;
      case model::ExceptionKind::price:
        return price;
      case model::ExceptionKind::limits_suspended:
        return limits_suspended;
      case model::ExceptionKind::charge:
        return charge;
    }
    return '-';
  }
};
constexpr KeyUse kKeyUses[] = {
    {"services", 'O', 'O', 'R', 'O', '-'},   {"tags", 'O', 'R', '-', '-', '-'},
    {"period", 'O', 'O', 'R', 'R', '-'},     {"date", '-', '-', '-', '-', 'R'},
    {"unit_price", '-', '-', 'R', '-', '-'}, {"amount", '-', '-', '-', '-', 'R'},
    {"reason", 'R', 'R', 'R', 'R', '-'},     {"description", '-', '-', '-', '-', 'R'},
    {"service", '-', '-', '-', '-', 'R'},
};

// The keys of one exception against its kind; false after a finding. An sla_waiver needs
// a period, tags or both (docs/formats.md).
bool check_keys_for_kind(FileContext& context, const Field& item, const MapReader& map, model::ExceptionKind kind) {
  const std::string kind_name = to_string(kind);
  bool ok = true;
  if (kind == model::ExceptionKind::sla_waiver && !map.get("period") && !map.get("tags")) {
    context.error(Rule::needs_one_of, item.mark,
                  item.path + " needs a period, tags or both for kind sla_waiver (it would waive every transaction)");
    ok = false;
  }
  for (const auto& use : kKeyUses) {
    const char rule = use.for_kind(kind);
    auto f = map.get(use.key);
    if (rule == '-' && f) {
      context.error(Rule::key_not_for_kind, f->mark, f->path + " is not used by kind " + kind_name);
      ok = false;
    } else if (rule == 'R' && !f) {
      context.error(Rule::key_required_for_kind, item.mark,
                    child_path(item.path, use.key) + " is required for kind " + kind_name);
      ok = false;
    }
  }
  return ok;
}

// exceptions[i].services: services of this agreement, the list not empty.
std::vector<std::string> read_exception_services(FileContext& context, const Field& field, const model::Agreement& a) {
  std::vector<std::string> out;
  const auto entries = read_list(context, field);
  if (field.node.IsSequence() && entries.empty())
    context.error(Rule::empty_list, field.mark, field.path + " is empty (leave it out to mean every service)");
  for (const auto& entry : entries) {
    auto id = read_id(context, entry, IdForm::service);
    if (!id) continue;
    if (a.terms_for(*id) == nullptr) {
      context.error(Rule::service_not_in_agreement, entry.mark,
                    entry.path + " " + quote_for_message(*id) + " is not a service of this agreement");
      continue;
    }
    out.push_back(*id);
  }
  return out;
}

// exceptions[i].tags: not empty, each tag once.
std::vector<std::string> read_tags(FileContext& context, const Field& field) {
  std::vector<std::string> out;
  SeenIds seen;
  const auto entries = read_list(context, field);
  if (field.node.IsSequence() && entries.empty()) context.error(Rule::empty_list, field.mark, field.path + " is empty");
  for (const auto& entry : entries) {
    auto tag = read_id(context, entry, IdForm::lower_name);
    if (tag && first_time(context, entry, *tag, seen, entry.path)) out.push_back(*tag);
  }
  return out;
}

// An sla_waiver must waive something: each service it names has performance targets in
// this agreement; naming none, some service of the agreement has.
void check_waiver_targets(FileContext& context, const Field& item, const MapReader& map, const model::Agreement& a,
                          const model::AgreementException& ex) {
  if (ex.services.empty()) {
    if (std::none_of(a.services.begin(), a.services.end(), [](const auto& t) { return !t.performance.empty(); })) {
      context.error(Rule::waiver_without_targets, item.mark,
                    item.path + " is an sla_waiver, but no service of this agreement has performance targets");
    }
    return;
  }
  const auto services = map.get("services");
  for (const std::string& service : ex.services) {
    const model::ServiceTerms* terms = a.terms_for(service);
    if (terms != nullptr && terms->performance.empty()) {
      context.error(Rule::waiver_without_targets, services->mark,
                    services->path + " names " + service + ", which has no performance targets to waive");
    }
  }
}

// exceptions[i].period and .date, inside agreement.valid when that was read.
void read_exception_days(FileContext& context, const MapReader& map, const ParsedAgreement& parsed,
                         model::AgreementException& ex) {
  const model::Agreement& a = parsed.agreement;
  if (auto f = map.get("period")) {
    ex.period = read_range(context, *f);
    if (ex.period && parsed.have_valid && (ex.period->from < a.valid.from || ex.period->to > a.valid.to)) {
      context.error(Rule::outside_agreement, f->mark,
                    f->path + " " + format_range(*ex.period) + " is outside the agreement's valid range " +
                        format_range(a.valid));
    }
  }
  if (auto f = map.get("date")) {
    ex.date = read_date(context, *f);
    if (ex.date && parsed.have_valid && !a.valid.contains(*ex.date)) {
      context.error(
          Rule::outside_agreement, f->mark,
          f->path + " " + format_date(*ex.date) + " is outside the agreement's valid range " + format_range(a.valid));
    }
  }
}

std::optional<model::ExceptionKind> read_exception_kind(FileContext& context, const Field& field) {
  return read_enum<model::ExceptionKind>(context, field,
                                         {{"sla_waiver", model::ExceptionKind::sla_waiver},
                                          {"exclude", model::ExceptionKind::exclude},
                                          {"price", model::ExceptionKind::price},
                                          {"limits_suspended", model::ExceptionKind::limits_suspended},
                                          {"charge", model::ExceptionKind::charge}});
}

// One exception; nothing when its id, kind or keys do not let it be read further.
std::optional<model::AgreementException> read_exception(FileContext& context, const Field& item,
                                                        const ParsedAgreement& parsed, const model::Catalog* catalog,
                                                        SeenIds& ids) {
  MapReader map(
      context, item,
      {"id", "kind", "services", "tags", "period", "date", "unit_price", "amount", "reason", "description", "service"});
  if (!map.valid()) return std::nullopt;
  model::AgreementException ex;
  ex.where = context.at(item.mark);
  if (auto f = map.need("id")) {
    if (auto id = read_id(context, *f, IdForm::agreement)) {
      (void)first_time(context, *f, *id, ids, item.path);
      ex.id = *id;
    }
  }
  auto kind_field = map.need("kind");
  if (!kind_field) return std::nullopt;
  auto kind = read_exception_kind(context, *kind_field);
  if (!kind) return std::nullopt;
  ex.kind = *kind;
  if (!check_keys_for_kind(context, item, map, ex.kind)) return std::nullopt;
  if (auto f = map.get("services")) ex.services = read_exception_services(context, *f, parsed.agreement);
  if (auto f = map.get("tags")) ex.tags = read_tags(context, *f);
  read_exception_days(context, map, parsed, ex);
  if (ex.kind == model::ExceptionKind::sla_waiver) check_waiver_targets(context, item, map, parsed.agreement, ex);
  if (auto f = map.get("unit_price")) ex.unit_price = read_unit_price(context, *f);
  if (auto f = map.get("amount")) ex.amount = read_money(context, *f);
  if (auto f = map.get("reason")) ex.reason = read_text(context, *f, kMaxTextChars).value_or("");
  if (auto f = map.get("description")) ex.reason = read_text(context, *f, kMaxTextChars).value_or("");
  if (auto f = map.get("service")) ex.service = read_catalog_service(context, *f, catalog).value_or("");
  return ex;
}

// Part 3: `exceptions:`, ids unique in the file.
void read_exceptions(FileContext& context, const Field& field, const model::Catalog* catalog, ParsedAgreement& parsed) {
  SeenIds ids;
  for (const auto& item : read_list(context, field)) {
    if (auto ex = read_exception(context, item, parsed, catalog, ids))
      parsed.agreement.exceptions.push_back(std::move(*ex));
  }
}

}  // namespace

std::optional<ParsedAgreement> parse_agreement(FileContext& context, const YAML::Node& root,
                                               const model::Catalog* catalog,
                                               const std::vector<model::Agency>* agencies) {
  const std::size_t before = context.finding_count();
  MapReader top(context, Field{root, "", root.Mark()}, {"agreement", "services", "exceptions"});
  if (!top.valid()) return std::nullopt;
  ParsedAgreement parsed;
  parsed.agreement.source_file = context.file();
  parsed.agreement.where = context.at(root.Mark());
  if (auto f = top.need("agreement")) read_header(context, *f, agencies, parsed);
  if (auto f = top.need("services")) read_services(context, *f, catalog, parsed);
  if (auto f = top.get("exceptions")) read_exceptions(context, *f, catalog, parsed);
  if (context.finding_count() != before) return std::nullopt;
  return parsed;
}

}  // namespace costcover::contracts::detail
