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
  if (field.node.IsMap() && entries.empty()) context.error(Rule::empty_list, field.mark, field.path + " is empty");
  bool all_read = !entries.empty();
  Decimal sum;
  for (const auto& [name, value_field] : entries) {
    if (!id_has_form(name, form)) {
      context.error(Rule::bad_id, value_field.mark, value_field.path + " is not a valid id");
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
    context.error(Rule::shares_sum, field.mark, field.path + " sum to " + sum.to_string() + ", not 1");
  }
  return out;
}

// A name met in the model that must be defined elsewhere in it (or in the catalog).
struct Reference {
  std::string id;
  YAML::Mark mark;
  std::string path;
};

// The references of a cost model, checked after every section is read.
struct References {
  std::vector<Reference> centres;   // shares targets, driver entries, asset centres
  std::vector<Reference> drivers;   // allocate.driver
  std::vector<Reference> services;  // production centres' services
};

void read_header(FileContext& context, const Field& field, model::CostModel& out) {
  MapReader map(context, field, {"year", "method"});
  if (!map.valid()) return;
  if (auto f = map.need("year")) out.year = static_cast<int>(read_integer(context, *f, 1900, 9999).value_or(0));
  if (auto f = map.need("method"))
    out.method = read_enum<model::AllocationMethod>(context, *f,
                                                    {{"direct", model::AllocationMethod::direct},
                                                     {"step_down", model::AllocationMethod::step_down},
                                                     {"reciprocal", model::AllocationMethod::reciprocal}})
                     .value_or(model::AllocationMethod::direct);
}

// A support centre's `allocate`: a driver or shares to other centres, not both.
void read_allocation(FileContext& context, const Field& field, model::CostCentre& centre, References& refs) {
  MapReader alloc(context, field, {"driver", "shares"});
  auto driver = alloc.get("driver");
  auto shares = alloc.get("shares");
  if (alloc.valid() && driver && shares) {
    context.error(Rule::exclusive_keys, shares->mark, shares->path + " cannot be given together with driver");
  } else if (alloc.valid() && !driver && !shares) {
    context.error(Rule::needs_one_of, field.mark, field.path + " needs a driver or shares");
  } else if (driver) {
    if (auto name = read_id(context, *driver, IdForm::lower_name)) {
      centre.driver = *name;
      refs.drivers.push_back({*name, driver->mark, driver->path});
    }
  } else if (shares) {
    for (const auto& share : read_shares(context, *shares, IdForm::agency)) {
      centre.shares.emplace_back(share.name, share.value);
      if (share.name == centre.id) {
        context.error(Rule::allocates_to_itself, share.mark, share.path + ": a centre cannot allocate to itself");
      } else {
        refs.centres.push_back({share.name, share.mark, share.path});
      }
    }
  }
}

void read_centre_kind_keys(FileContext& context, MapReader& map, model::CostCentre& centre, References& refs) {
  if (centre.kind == model::CentreKind::support) {
    if (auto f = map.get("services"))
      context.error(Rule::key_not_for_kind, f->mark, f->path + " is only for production centres");
    if (auto f = map.need("allocate")) read_allocation(context, *f, centre, refs);
    return;
  }
  if (auto f = map.get("allocate"))
    context.error(Rule::key_not_for_kind, f->mark, f->path + " is only for support centres");
  if (auto f = map.need("services")) {
    for (const auto& share : read_shares(context, *f, IdForm::service)) {
      centre.services.emplace_back(share.name, share.value);
      refs.services.push_back({share.name, share.mark, share.path});
    }
  }
}

std::optional<model::CostCentre> read_centre(FileContext& context, const Field& item,
                                             const std::vector<model::CostCentre>& earlier, References& refs) {
  MapReader map(context, item, {"id", "kind", "allocate", "services"});
  if (!map.valid()) return std::nullopt;
  model::CostCentre centre;
  centre.where = context.at(item.mark);
  if (auto f = map.need("id")) {
    if (auto id = read_id(context, *f, IdForm::agency)) {
      const bool repeated =
          std::any_of(earlier.begin(), earlier.end(), [&](const model::CostCentre& c) { return c.id == *id; });
      if (repeated) context.error(Rule::repeated_id, f->mark, f->path + " " + *id + " is repeated");
      centre.id = *id;
    }
  }
  auto kind_field = map.need("kind");
  if (!kind_field) return std::nullopt;
  auto kind = read_enum<model::CentreKind>(
      context, *kind_field, {{"support", model::CentreKind::support}, {"production", model::CentreKind::production}});
  if (!kind) return std::nullopt;
  centre.kind = *kind;
  read_centre_kind_keys(context, map, centre, refs);
  return centre;
}

void read_centres(FileContext& context, const Field& field, model::CostModel& out, References& refs) {
  const auto items = read_list(context, field);
  if (field.node.IsSequence() && items.empty()) context.error(Rule::empty_list, field.mark, "cost_centres is empty");
  for (const auto& item : items) {
    if (auto centre = read_centre(context, item, out.centres, refs)) out.centres.push_back(std::move(*centre));
  }
  const bool production = std::any_of(out.centres.begin(), out.centres.end(), [](const model::CostCentre& c) {
    return c.kind == model::CentreKind::production;
  });
  if (!out.centres.empty() && !production)
    context.error(Rule::no_production_centre, field.mark, "cost_centres has no production centre");
}

void read_drivers(FileContext& context, const Field& field, model::CostModel& out, References& refs) {
  for (const auto& [name, values_field] : read_free_map(context, field)) {
    if (!id_has_form(name, IdForm::lower_name)) {
      context.error(Rule::bad_id, values_field.mark, values_field.path + " is not a valid driver name");
      continue;
    }
    std::vector<std::pair<std::string, Decimal>> values;
    for (const auto& [centre, value_field] : read_free_map(context, values_field)) {
      auto value = read_decimal(context, value_field, 4, Decimal{}, kMaxDriver);
      if (!value) continue;
      refs.centres.push_back({centre, value_field.mark, value_field.path});
      values.emplace_back(centre, *value);
    }
    out.drivers.emplace_back(name, std::move(values));
  }
}

std::optional<model::Asset> read_asset(FileContext& context, const Field& item,
                                       const std::vector<model::Asset>& earlier, References& refs) {
  MapReader map(context, item, {"id", "cost_centre", "book_value"});
  if (!map.valid()) return std::nullopt;
  model::Asset asset;
  if (auto f = map.need("id")) {
    asset.id = read_id(context, *f, IdForm::lower_name).value_or("");
    const bool repeated = !asset.id.empty() && std::any_of(earlier.begin(), earlier.end(),
                                                           [&](const model::Asset& x) { return x.id == asset.id; });
    if (repeated) context.error(Rule::repeated_id, f->mark, f->path + " " + asset.id + " is repeated");
  }
  if (auto f = map.need("cost_centre")) {
    if (auto id = read_id(context, *f, IdForm::agency)) {
      asset.cost_centre = *id;
      refs.centres.push_back({*id, f->mark, f->path});
    }
  }
  if (auto f = map.need("book_value")) asset.book_value = read_money(context, *f).value_or(Money{});
  return asset;
}

void read_capital_costs(FileContext& context, const Field& field, model::CostModel& out, References& refs) {
  MapReader map(context, field, {"imputed_interest_rate", "assets"});
  if (!map.valid()) return;
  if (auto f = map.need("imputed_interest_rate"))
    out.imputed_interest_rate = read_decimal(context, *f, 6, Decimal{}, Decimal::from_integer(1)).value_or(Decimal{});
  if (auto f = map.get("assets")) {
    for (const auto& item : read_list(context, *f)) {
      if (auto asset = read_asset(context, item, out.assets, refs)) out.assets.push_back(std::move(*asset));
    }
  }
}

// One cost type's account prefixes; each prefix once over all types (seen).
std::vector<std::string> read_prefixes(FileContext& context, const Field& field,
                                       std::vector<std::pair<std::string, std::string>>& seen) {
  std::vector<std::string> prefixes;
  for (const auto& entry : read_list(context, field)) {
    if (!entry.node.IsScalar()) {
      context.error(Rule::wrong_type, entry.mark,
                    entry.path + " is " + describe(entry.node) + "; expected an account prefix");
      continue;
    }
    const std::string prefix = entry.node.Scalar();
    if (!check_text(context, entry, prefix, kMaxCodeChars)) continue;
    auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == prefix; });
    if (first != seen.end()) {
      context.error(Rule::repeated_id, entry.mark,
                    entry.path + " " + quote_for_message(prefix) + " is repeated (first at " + first->second + ")");
      continue;
    }
    seen.emplace_back(prefix, entry.path);
    prefixes.push_back(prefix);
  }
  return prefixes;
}

void read_cost_types(FileContext& context, const Field& field, model::CostModel& out) {
  std::vector<std::pair<std::string, std::string>> seen;  // prefix -> path
  for (const auto& [type, list_field] : read_free_map(context, field)) {
    if (std::find(std::begin(kCostTypes), std::end(kCostTypes), type) == std::end(kCostTypes)) {
      context.error(Rule::unknown_cost_type, list_field.mark,
                    list_field.path +
                        " is not a cost type (expected materials, personnel, rents, "
                        "purchased_services, depreciation or other)");
      continue;
    }
    out.cost_types.emplace_back(type, read_prefixes(context, list_field, seen));
  }
  const bool catch_all = std::any_of(seen.begin(), seen.end(), [](const auto& p) { return p.first.empty(); });
  if (field.node.IsMap() && !catch_all)
    context.error(Rule::no_catch_all, field.mark, "cost_types has no entry \"\" that catches every other account");
}

// The services with an entry, read or refused.
std::vector<std::string> read_forecast_volumes(FileContext& context, const Field& field, const model::Catalog* catalog,
                                               model::CostModel& out) {
  std::vector<std::string> named;
  for (const auto& [service, value_field] : read_free_map(context, field)) {
    named.push_back(service);
    if (!id_has_form(service, IdForm::service) || (catalog != nullptr && catalog->find(service) == nullptr)) {
      context.error(Rule::unknown_service, value_field.mark, value_field.path + " is not a service in the catalog");
      continue;
    }
    if (auto volume = read_volume(context, value_field, 0)) out.forecast_volumes.emplace_back(service, *volume);
  }
  return named;
}

void read_settlement(FileContext& context, const Field& field, model::CostModel& out) {
  MapReader map(context, field, {"mode", "threshold_percent"});
  if (!map.valid()) return;
  if (auto f = map.need("mode"))
    out.settlement_mode = read_enum<model::SettlementMode>(context, *f,
                                                           {{"settle", model::SettlementMode::settle},
                                                            {"carry_forward", model::SettlementMode::carry_forward}})
                              .value_or(model::SettlementMode::carry_forward);
  if (auto f = map.get("threshold_percent"))
    out.threshold_percent = read_decimal(context, *f, 4, Decimal{}, Decimal::from_integer(100)).value_or(Decimal{});
}

// References inside the model: centres and drivers defined, services in the catalog and,
// when the model has forecast_volumes, with an entry there.
void check_references(FileContext& context, const model::CostModel& out, const References& refs,
                      const model::Catalog* catalog, const std::optional<std::vector<std::string>>& forecast_named) {
  auto is_centre = [&](const std::string& id) {
    return std::any_of(out.centres.begin(), out.centres.end(), [&](const model::CostCentre& c) { return c.id == id; });
  };
  for (const auto& ref : refs.centres) {
    if (!is_centre(ref.id)) context.error(Rule::unknown_centre, ref.mark, ref.path + " is not a cost centre");
  }
  for (const auto& ref : refs.drivers) {
    const bool known =
        std::any_of(out.drivers.begin(), out.drivers.end(), [&](const auto& d) { return d.first == ref.id; });
    if (!known)
      context.error(Rule::unknown_driver, ref.mark,
                    ref.path + " " + quote_for_message(ref.id) + " is not a driver under drivers");
  }
  for (const auto& ref : refs.services) {
    if (catalog != nullptr && catalog->find(ref.id) == nullptr) {
      context.error(Rule::unknown_service, ref.mark, ref.path + " is not a service in the catalog");
      continue;
    }
    if (forecast_named && std::find(forecast_named->begin(), forecast_named->end(), ref.id) == forecast_named->end())
      context.error(Rule::no_forecast, ref.mark, ref.path + ": service " + ref.id + " has no forecast_volumes entry");
  }
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
  References refs;
  std::optional<std::vector<std::string>> forecast_named;  // when the key is there
  if (auto f = top.need("cost_model")) read_header(context, *f, out);
  if (auto f = top.need("cost_centres")) read_centres(context, *f, out, refs);
  if (auto f = top.get("drivers")) read_drivers(context, *f, out, refs);
  if (auto f = top.get("capital_costs")) read_capital_costs(context, *f, out, refs);
  if (auto f = top.need("cost_types")) read_cost_types(context, *f, out);
  if (auto f = top.need("forecast_volumes")) forecast_named = read_forecast_volumes(context, *f, catalog, out);
  if (auto f = top.get("settlement")) read_settlement(context, *f, out);
  check_references(context, out, refs, catalog, forecast_named);
  if (context.finding_count() != before) return std::nullopt;
  return out;
}

}  // namespace costcover::contracts::detail
