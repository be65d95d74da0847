// costs/YEAR.yaml: the cost model (loaded and validated here; computed by costing/).
#include <algorithm>

#include "contracts/parsers.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

namespace {

constexpr std::string_view kCostTypes[] = {"materials",          "personnel",    "rents",
                                           "purchased_services", "depreciation", "other"};

struct Share {
  std::string name;
  Decimal value;
  YAML::Mark mark;
  std::string path;
};

// A map name -> share with shares summing to 1 within 0.0001.
std::vector<Share> read_shares(FileContext& context, const Field& field, IdForm form) {
  std::vector<Share> out;
  const auto entries = read_free_map(context, field);
  if (field.node.IsMap() && entries.empty()) context.error(field.mark, field.path + " is empty");
  bool all_read = !entries.empty();
  Decimal sum;
  for (const auto& [name, value_field] : entries) {
    if (!id_has_form(name, form)) {
      context.error(value_field.mark, value_field.path + " is not a valid id");
      all_read = false;
      continue;
    }
    auto share = read_decimal(context, value_field, 6, Decimal{}, Decimal::from_integer(1));
    if (!share) {
      all_read = false;
      continue;
    }
    sum = sum + *share;
    out.push_back(Share{name, *share, value_field.mark, value_field.path});
  }
  const Decimal tolerance = Decimal::from_units(100);  // 0.0001
  const Decimal one = Decimal::from_integer(1);
  if (all_read && (sum < one - tolerance || sum > one + tolerance)) {
    context.error(field.mark, field.path + " sum to " + sum.to_string() + ", not 1");
  }
  return out;
}

}  // namespace

std::optional<model::CostModel> parse_cost_model(FileContext& context, const YAML::Node& root,
                                                 const model::Catalog* catalog) {
  const std::size_t before = context.finding_count();
  MapReader top(
      context, Field{root, "", root.Mark()},
      {"cost_model", "cost_centres", "drivers", "capital_costs", "cost_types", "forecast_volumes", "settlement"});
  if (!top.valid()) return std::nullopt;
  model::CostModel out;
  out.source_file = context.file();
  if (auto f = top.need("cost_model")) {
    MapReader map(context, *f, {"year", "method"});
    if (map.valid()) {
      if (auto g = map.need("year")) out.year = static_cast<int>(read_integer(context, *g, 1900, 9999).value_or(0));
      if (auto g = map.need("method"))
        out.method = read_enum<model::AllocationMethod>(context, *g,
                                                        {{"direct", model::AllocationMethod::direct},
                                                         {"step_down", model::AllocationMethod::step_down},
                                                         {"reciprocal", model::AllocationMethod::reciprocal}})
                         .value_or(model::AllocationMethod::direct);
    }
  }

  // Centres first (ids), references checked after all are known.
  struct Reference {
    std::string id;
    YAML::Mark mark;
    std::string path;
  };
  std::vector<Reference> centre_refs;  // shares targets, driver entries, asset centres
  std::vector<Reference> driver_refs;
  std::vector<Reference> service_refs;
  if (auto f = top.need("cost_centres")) {
    const auto items = read_list(context, *f);
    if (f->node.IsSequence() && items.empty()) context.error(f->mark, "cost_centres is empty");
    for (const auto& item : items) {
      MapReader map(context, item, {"id", "kind", "allocate", "services"});
      if (!map.valid()) continue;
      model::CostCentre centre;
      centre.where = context.at(item.mark);
      if (auto g = map.need("id")) {
        if (auto id = read_id(context, *g, IdForm::agency)) {
          const bool repeated = std::any_of(out.centres.begin(), out.centres.end(),
                                            [&](const model::CostCentre& c) { return c.id == *id; });
          if (repeated) context.error(g->mark, g->path + " " + *id + " is repeated");
          centre.id = *id;
        }
      }
      auto kind_field = map.need("kind");
      if (!kind_field) continue;
      auto kind = read_enum<model::CentreKind>(
          context, *kind_field,
          {{"support", model::CentreKind::support}, {"production", model::CentreKind::production}});
      if (!kind) continue;
      centre.kind = *kind;
      if (centre.kind == model::CentreKind::support) {
        if (auto g = map.get("services")) context.error(g->mark, g->path + " is only for production centres");
        if (auto g = map.need("allocate")) {
          MapReader alloc(context, *g, {"driver", "shares"});
          auto driver = alloc.get("driver");
          auto shares = alloc.get("shares");
          if (alloc.valid() && driver && shares) {
            context.error(shares->mark, shares->path + " cannot be given together with driver");
          } else if (alloc.valid() && !driver && !shares) {
            context.error(g->mark, g->path + " needs a driver or shares");
          } else if (driver) {
            if (auto name = read_id(context, *driver, IdForm::lower_name)) {
              centre.driver = *name;
              driver_refs.push_back({*name, driver->mark, driver->path});
            }
          } else if (shares) {
            for (const auto& share : read_shares(context, *shares, IdForm::agency)) {
              centre.shares.emplace_back(share.name, share.value);
              if (share.name == centre.id) {
                context.error(share.mark, share.path + ": a centre cannot allocate to itself");
              } else {
                centre_refs.push_back({share.name, share.mark, share.path});
              }
            }
          }
        }
      } else {
        if (auto g = map.get("allocate")) context.error(g->mark, g->path + " is only for support centres");
        if (auto g = map.need("services")) {
          for (const auto& share : read_shares(context, *g, IdForm::service)) {
            centre.services.emplace_back(share.name, share.value);
            service_refs.push_back({share.name, share.mark, share.path});
          }
        }
      }
      out.centres.push_back(std::move(centre));
    }
    if (!out.centres.empty() && std::none_of(out.centres.begin(), out.centres.end(), [](const model::CostCentre& c) {
          return c.kind == model::CentreKind::production;
        })) {
      context.error(f->mark, "cost_centres has no production centre");
    }
  }

  if (auto f = top.get("drivers")) {
    for (const auto& [name, values_field] : read_free_map(context, *f)) {
      if (!id_has_form(name, IdForm::lower_name)) {
        context.error(values_field.mark, values_field.path + " is not a valid driver name");
        continue;
      }
      std::vector<std::pair<std::string, Decimal>> values;
      for (const auto& [centre, value_field] : read_free_map(context, values_field)) {
        auto value = read_decimal(context, value_field, 4, Decimal{}, kMaxDriver);
        if (!value) continue;
        centre_refs.push_back({centre, value_field.mark, value_field.path});
        values.emplace_back(centre, *value);
      }
      out.drivers.emplace_back(name, std::move(values));
    }
  }

  if (auto f = top.get("capital_costs")) {
    MapReader map(context, *f, {"imputed_interest_rate", "assets"});
    if (map.valid()) {
      if (auto g = map.need("imputed_interest_rate"))
        out.imputed_interest_rate =
            read_decimal(context, *g, 6, Decimal{}, Decimal::from_integer(1)).value_or(Decimal{});
      if (auto g = map.get("assets")) {
        for (const auto& item : read_list(context, *g)) {
          MapReader asset_map(context, item, {"id", "cost_centre", "book_value"});
          if (!asset_map.valid()) continue;
          model::Asset asset;
          if (auto h = asset_map.need("id")) {
            asset.id = read_id(context, *h, IdForm::lower_name).value_or("");
            const bool repeated =
                !asset.id.empty() && std::any_of(out.assets.begin(), out.assets.end(),
                                                 [&](const model::Asset& x) { return x.id == asset.id; });
            if (repeated) context.error(h->mark, h->path + " " + asset.id + " is repeated");
          }
          if (auto h = asset_map.need("cost_centre")) {
            if (auto id = read_id(context, *h, IdForm::agency)) {
              asset.cost_centre = *id;
              centre_refs.push_back({*id, h->mark, h->path});
            }
          }
          if (auto h = asset_map.need("book_value")) asset.book_value = read_money(context, *h).value_or(Money{});
          out.assets.push_back(std::move(asset));
        }
      }
    }
  }

  if (auto f = top.need("cost_types")) {
    bool catch_all = false;
    std::vector<std::pair<std::string, std::string>> prefixes_seen;  // prefix -> path
    for (const auto& [type, list_field] : read_free_map(context, *f)) {
      if (std::find(std::begin(kCostTypes), std::end(kCostTypes), type) == std::end(kCostTypes)) {
        context.error(list_field.mark, list_field.path +
                                           " is not a cost type (expected materials, personnel, rents, "
                                           "purchased_services, depreciation or other)");
        continue;
      }
      std::vector<std::string> prefixes;
      for (const auto& entry : read_list(context, list_field)) {
        if (!entry.node.IsScalar()) {
          context.error(entry.mark, entry.path + " is " + describe(entry.node) + "; expected an account prefix");
          continue;
        }
        const std::string prefix = entry.node.Scalar();
        if (!check_text(context, entry, prefix, kMaxCodeChars)) continue;
        auto first =
            std::find_if(prefixes_seen.begin(), prefixes_seen.end(), [&](const auto& p) { return p.first == prefix; });
        if (first != prefixes_seen.end()) {
          context.error(entry.mark,
                        entry.path + " " + quote_for_message(prefix) + " is repeated (first at " + first->second + ")");
          continue;
        }
        prefixes_seen.emplace_back(prefix, entry.path);
        if (prefix.empty()) catch_all = true;
        prefixes.push_back(prefix);
      }
      out.cost_types.emplace_back(type, std::move(prefixes));
    }
    if (f->node.IsMap() && !catch_all)
      context.error(f->mark, "cost_types has no entry \"\" that catches every other account");
  }

  std::vector<std::string> forecast_named;  // services with an entry, read or refused
  if (auto f = top.need("forecast_volumes")) {
    for (const auto& [service, value_field] : read_free_map(context, *f)) {
      forecast_named.push_back(service);
      if (!id_has_form(service, IdForm::service) || (catalog != nullptr && catalog->find(service) == nullptr)) {
        context.error(value_field.mark, value_field.path + " is not a service in the catalog");
        continue;
      }
      if (auto volume = read_volume(context, value_field, 0)) out.forecast_volumes.emplace_back(service, *volume);
    }
  }

  if (auto f = top.get("settlement")) {
    MapReader map(context, *f, {"mode", "threshold_percent"});
    if (map.valid()) {
      if (auto g = map.need("mode"))
        out.settlement_mode =
            read_enum<model::SettlementMode>(
                context, *g,
                {{"settle", model::SettlementMode::settle}, {"carry_forward", model::SettlementMode::carry_forward}})
                .value_or(model::SettlementMode::carry_forward);
      if (auto g = map.get("threshold_percent"))
        out.threshold_percent = read_decimal(context, *g, 4, Decimal{}, Decimal::from_integer(100)).value_or(Decimal{});
    }
  }

  // References inside the model.
  auto is_centre = [&](const std::string& id) {
    return std::any_of(out.centres.begin(), out.centres.end(), [&](const model::CostCentre& c) { return c.id == id; });
  };
  for (const auto& ref : centre_refs) {
    if (!is_centre(ref.id)) context.error(ref.mark, ref.path + " is not a cost centre");
  }
  for (const auto& ref : driver_refs) {
    const bool known =
        std::any_of(out.drivers.begin(), out.drivers.end(), [&](const auto& d) { return d.first == ref.id; });
    if (!known) context.error(ref.mark, ref.path + " " + quote_for_message(ref.id) + " is not a driver under drivers");
  }
  for (const auto& ref : service_refs) {
    if (catalog != nullptr && catalog->find(ref.id) == nullptr) {
      context.error(ref.mark, ref.path + " is not a service in the catalog");
      continue;
    }
    const bool forecast = std::find(forecast_named.begin(), forecast_named.end(), ref.id) != forecast_named.end();
    if (!forecast && top.has("forecast_volumes"))
      context.error(ref.mark, ref.path + ": service " + ref.id + " has no forecast_volumes entry");
  }
  if (context.finding_count() != before) return std::nullopt;
  return out;
}

}  // namespace costcover::contracts::detail
