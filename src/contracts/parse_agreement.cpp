// agreements/*.yaml: one version of one service agreement.
#include <algorithm>

#include "contracts/parsers.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

namespace {

std::string range_text(const DateRange& range) { return format_date(range.from) + ".." + format_date(range.to); }

model::Price read_price(FileContext& context, const Field& field) {
  model::Price out;
  if (field.node.IsScalar()) {
    if (field.node.Scalar() != "list") {
      context.error(field.mark, field.path + " " + quote_for_message(field.node.Scalar()) +
                                    " is not a price (expected list, {unit_price: X} or {tiers: [...]})");
    }
    return out;
  }
  MapReader map(context, field, {"unit_price", "tiers"});
  if (!map.valid()) return out;
  auto unit_price = map.get("unit_price");
  auto tiers = map.get("tiers");
  if (unit_price && tiers) {
    context.error(tiers->mark, tiers->path + " cannot be given together with unit_price");
    return out;
  }
  if (unit_price) {
    out.model = model::PriceModel::unit_price;
    out.unit_price = read_unit_price(context, *unit_price).value_or(Decimal{});
    return out;
  }
  if (!tiers) {
    context.error(field.mark, field.path + " is an empty mapping; expected {unit_price: X} or {tiers: [...]}");
    return out;
  }
  out.model = model::PriceModel::tiers;
  const auto items = read_list(context, *tiers);
  if (tiers->node.IsSequence() && items.empty()) context.error(tiers->mark, tiers->path + " is empty");
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
        context.error(up_to->mark, up_to->path + " " + std::to_string(*tier.up_to) +
                                       " is on the last tier (the last tier has no up_to)");
      } else if (tier.up_to && previous && *tier.up_to <= *previous) {
        context.error(up_to->mark, up_to->path + " " + std::to_string(*tier.up_to) +
                                       " does not increase (previous up_to " + std::to_string(*previous) + ")");
      }
      if (tier.up_to) previous = tier.up_to;
    } else if (!last) {
      context.error(item.mark, item.path + " has no up_to but is not the last tier");
    }
    out.tiers.push_back(tier);
  }
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
    context.error(lower->mark, lower->path + " " + std::to_string(*out.lower_limit) + " is above upper_limit " +
                                   std::to_string(*out.upper_limit));
  }
  if (auto f = map.get("over_limit")) {
    if (!upper) context.error(f->mark, f->path + " is given but there is no upper_limit");
    if (f->node.IsScalar() && f->node.Scalar() == "flag") {
      out.over_limit = model::OverLimitMode::flag;
    } else if (f->node.IsMap()) {
      MapReader over(context, *f, {"unit_price"});
      if (auto g = over.need("unit_price")) {
        out.over_limit = model::OverLimitMode::price;
        out.over_limit_price = read_unit_price(context, *g).value_or(Decimal{});
      }
    } else {
      context.error(f->mark, f->path + " is " + describe(f->node) + "; expected flag or {unit_price: X}");
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

model::ExceptionKind kind_or(std::optional<model::ExceptionKind> kind) {
  return kind.value_or(model::ExceptionKind::sla_waiver);
}

}  // namespace

std::optional<ParsedAgreement> parse_agreement(FileContext& context, const YAML::Node& root,
                                               const model::Catalog* catalog,
                                               const std::vector<model::Agency>* agencies) {
  const std::size_t before = context.finding_count();
  MapReader top(context, Field{root, "", root.Mark()}, {"agreement", "services", "exceptions"});
  if (!top.valid()) return std::nullopt;
  ParsedAgreement parsed;
  model::Agreement& a = parsed.agreement;
  a.source_file = context.file();
  a.where = context.at(root.Mark());
  bool have_valid = false;

  if (auto f = top.need("agreement")) {
    MapReader map(context, *f, {"id", "version", "client", "valid", "signed", "billing"});
    if (map.valid()) {
      if (auto g = map.need("id")) a.id = read_id(context, *g, IdForm::agreement).value_or("");
      if (auto g = map.need("version")) {
        parsed.version_at = context.at(g->mark);
        a.version = static_cast<int>(read_integer(context, *g, 1, 9999).value_or(0));
      }
      if (auto g = map.need("client")) {
        parsed.client_at = context.at(g->mark);
        if (auto id = read_id(context, *g, IdForm::agency)) {
          a.client = *id;
          if (agencies != nullptr &&
              std::none_of(agencies->begin(), agencies->end(), [&](const model::Agency& x) { return x.id == *id; })) {
            context.error(g->mark, g->path + " " + quote_for_message(*id) + " is not an agency in agencies.yaml");
          }
        }
      }
      if (auto g = map.need("valid")) {
        if (auto range = read_range(context, *g)) {
          a.valid = *range;
          have_valid = true;
        }
      }
      if (auto g = map.get("signed")) a.signed_on = read_date(context, *g);
      if (auto g = map.need("billing")) {
        MapReader billing(context, *g, {"cycle", "payment_terms_days", "buyer_reference"});
        if (billing.valid()) {
          if (auto h = billing.get("cycle"))
            a.billing.cycle = read_enum<std::string>(context, *h, {{"monthly", "monthly"}}).value_or("monthly");
          if (auto h = billing.get("payment_terms_days"))
            a.billing.payment_terms_days = static_cast<int>(read_integer(context, *h, 0, 365).value_or(model::kDefaultPaymentTermsDays));
          if (auto h = billing.need("buyer_reference"))
            a.billing.buyer_reference = read_text(context, *h, kMaxCodeChars).value_or("");
        }
      }
    }
  }

  // Part 1 with parts 2-4 per service, and fixed fees.
  if (auto f = top.need("services")) {
    const auto items = read_list(context, *f);
    if (f->node.IsSequence() && items.empty())
      context.error(f->mark, "services is empty; expected at least one service");
    std::vector<std::pair<std::string, std::string>> seen;  // id -> path
    for (const auto& item : items) {
      if (!item.node.IsMap()) {
        context.error(item.mark, item.path + " is " + describe(item.node) + "; expected a mapping with service or fee");
        continue;
      }
      const bool is_fee = static_cast<bool>(item.node["fee"]);
      const bool is_service = static_cast<bool>(item.node["service"]);
      if (is_fee && is_service) {
        context.error(item.mark, item.path + " has both service and fee; write them as separate entries");
        continue;
      }
      if (is_fee) {
        MapReader map(context, item, {"fee", "amount", "per"});
        model::Fee fee;
        fee.where = context.at(item.mark);
        if (auto g = map.need("fee")) {
          fee.id = read_id(context, *g, IdForm::lower_name).value_or("");
          if (!fee.id.empty()) {
            auto first =
                std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == "fee:" + fee.id; });
            if (first != seen.end()) {
              context.error(g->mark, g->path + " " + fee.id + " is repeated (first at " + first->second + ")");
            } else {
              seen.emplace_back("fee:" + fee.id, item.path);
            }
          }
        }
        if (auto g = map.need("amount")) fee.amount = read_money(context, *g).value_or(Money{});
        if (auto g = map.need("per"))
          fee.per =
              read_enum<model::FeePer>(context, *g, {{"month", model::FeePer::month}, {"year", model::FeePer::year}})
                  .value_or(model::FeePer::month);
        a.fees.push_back(std::move(fee));
        continue;
      }
      MapReader map(context, item, {"service", "handoff", "price", "volume", "performance"});
      model::ServiceTerms terms;
      terms.where = context.at(item.mark);
      Location price_at = terms.where;
      if (auto g = map.need("service")) {
        if (auto id = read_id(context, *g, IdForm::service)) {
          terms.service = *id;
          auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == *id; });
          if (catalog != nullptr && catalog->find(*id) == nullptr) {
            context.error(g->mark, g->path + " " + quote_for_message(*id) + " is not a service in the catalog");
          } else if (first != seen.end()) {
            context.error(g->mark, g->path + " " + *id + " is repeated (first at " + first->second + ")");
          } else {
            seen.emplace_back(*id, item.path);
          }
        }
      }
      if (auto g = map.get("handoff")) terms.handoff = read_text(context, *g, kMaxTextChars).value_or("");
      if (auto g = map.need("price")) {
        price_at = context.at(g->mark);
        terms.price = read_price(context, *g);
      }
      if (auto g = map.get("volume")) terms.volume = read_volume(context, *g);
      if (auto g = map.get("performance")) terms.performance = read_performance(context, *g);
      a.services.push_back(std::move(terms));
      parsed.price_at.push_back(price_at);
    }
  }

  // Part 3: exceptions.
  if (auto f = top.get("exceptions")) {
    std::vector<std::pair<std::string, std::string>> ids;  // id -> path
    for (const auto& item : read_list(context, *f)) {
      MapReader map(
          context, item,
          {"id", "kind", "services", "tags", "period", "date", "unit_price", "amount", "reason", "description"});
      if (!map.valid()) continue;
      model::AgreementException ex;
      ex.where = context.at(item.mark);
      if (auto g = map.need("id")) {
        if (auto id = read_id(context, *g, IdForm::agreement)) {
          auto first = std::find_if(ids.begin(), ids.end(), [&](const auto& s) { return s.first == *id; });
          if (first != ids.end()) {
            context.error(g->mark, g->path + " " + *id + " is repeated (first at " + first->second + ")");
          } else {
            ids.emplace_back(*id, item.path);
          }
          ex.id = *id;
        }
      }
      auto kind_field = map.need("kind");
      if (!kind_field) continue;
      auto kind = read_enum<model::ExceptionKind>(context, *kind_field,
                                                  {{"sla_waiver", model::ExceptionKind::sla_waiver},
                                                   {"exclude", model::ExceptionKind::exclude},
                                                   {"price", model::ExceptionKind::price},
                                                   {"limits_suspended", model::ExceptionKind::limits_suspended},
                                                   {"charge", model::ExceptionKind::charge}});
      if (!kind) continue;
      ex.kind = kind_or(kind);
      const std::string kind_name = to_string(ex.kind);
      // What each kind uses: R required, O optional, absent: not allowed.
      struct Use {
        const char* key;
        char sla_waiver, exclude, price, limits_suspended, charge;
      };
      static constexpr Use kUses[] = {
          {"services", 'O', 'O', 'R', 'O', '-'},   {"tags", '-', 'R', '-', '-', '-'},
          {"period", 'R', 'O', 'R', 'R', '-'},     {"date", '-', '-', '-', '-', 'R'},
          {"unit_price", '-', '-', 'R', '-', '-'}, {"amount", '-', '-', '-', '-', 'R'},
          {"reason", 'R', 'R', 'R', 'R', '-'},     {"description", '-', '-', '-', '-', 'R'},
      };
      bool shape_ok = true;
      for (const auto& use : kUses) {
        const char rule = ex.kind == model::ExceptionKind::sla_waiver         ? use.sla_waiver
                          : ex.kind == model::ExceptionKind::exclude          ? use.exclude
                          : ex.kind == model::ExceptionKind::price            ? use.price
                          : ex.kind == model::ExceptionKind::limits_suspended ? use.limits_suspended
                                                                              : use.charge;
        auto g = map.get(use.key);
        if (rule == '-' && g) {
          context.error(g->mark, g->path + " is not used by kind " + kind_name);
          shape_ok = false;
        } else if (rule == 'R' && !g) {
          context.error(item.mark, child_path(item.path, use.key) + " is required for kind " + kind_name);
          shape_ok = false;
        }
      }
      if (!shape_ok) continue;
      if (auto g = map.get("services")) {
        const auto entries = read_list(context, *g);
        if (g->node.IsSequence() && entries.empty())
          context.error(g->mark, g->path + " is empty (leave it out to mean every service)");
        for (const auto& entry : entries) {
          auto id = read_id(context, entry, IdForm::service);
          if (!id) continue;
          const bool in_agreement = std::any_of(a.services.begin(), a.services.end(),
                                                [&](const model::ServiceTerms& t) { return t.service == *id; });
          if (!in_agreement) {
            context.error(entry.mark,
                          entry.path + " " + quote_for_message(*id) + " is not a service of this agreement");
            continue;
          }
          ex.services.push_back(*id);
        }
      }
      if (auto g = map.get("tags")) {
        const auto entries = read_list(context, *g);
        if (g->node.IsSequence() && entries.empty()) context.error(g->mark, g->path + " is empty");
        for (const auto& entry : entries) {
          if (auto tag = read_id(context, entry, IdForm::lower_name)) ex.tags.push_back(*tag);
        }
      }
      if (auto g = map.get("period")) {
        ex.period = read_range(context, *g);
        if (ex.period && have_valid && (ex.period->from < a.valid.from || ex.period->to > a.valid.to)) {
          context.error(g->mark, g->path + " " + range_text(*ex.period) + " is outside the agreement's valid range " +
                                     range_text(a.valid));
        }
      }
      if (auto g = map.get("date")) {
        ex.date = read_date(context, *g);
        if (ex.date && have_valid && !a.valid.contains(*ex.date)) {
          context.error(g->mark, g->path + " " + format_date(*ex.date) + " is outside the agreement's valid range " +
                                     range_text(a.valid));
        }
      }
      if (auto g = map.get("unit_price")) ex.unit_price = read_unit_price(context, *g);
      if (auto g = map.get("amount")) ex.amount = read_money(context, *g);
      if (auto g = map.get("reason")) ex.reason = read_text(context, *g, kMaxTextChars).value_or("");
      if (auto g = map.get("description")) ex.reason = read_text(context, *g, kMaxTextChars).value_or("");
      a.exceptions.push_back(std::move(ex));
    }
  }
  if (context.finding_count() != before) return std::nullopt;
  return parsed;
}

}  // namespace costcover::contracts::detail
