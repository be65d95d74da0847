// catalog.yaml, agencies.yaml and prices/YEAR.yaml.
#include <algorithm>

#include "contracts/business_id.hpp"
#include "contracts/parsers.hpp"
#include "core/language.hpp"
#include "core/utf8.hpp"

namespace costcover::contracts::detail {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string read_business_id(FileContext& context, const Field& field) {
  auto text = read_text(context, field, kMaxCodeChars);
  if (!text) return {};
  if (text->size() != 9 || (*text)[7] != '-' || !all_digits(text->substr(0, 7)) || !all_digits(text->substr(8))) {
    context.error(Rule::bad_business_id, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a Y-tunnus (expected NNNNNNN-C)");
    return {};
  }
  const auto check = business_id_check_digit(text->substr(0, 7));
  if (!check) {
    context.error(Rule::business_id_no_check_digit, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a valid Y-tunnus (no check digit exists for " +
                      text->substr(0, 7) + ")");
    return {};
  }
  if (!valid_business_id(*text)) {
    context.error(Rule::business_id_check_digit, field.mark,
                  field.path + " " + quote_for_message(*text) + " has a wrong check digit (expected " +
                      std::to_string(*check) + ")");
    return {};
  }
  return *text;
}

model::Address read_address(FileContext& context, const Field& field) {
  model::Address out;
  MapReader map(context, field, {"street", "postcode", "city", "country"});
  if (!map.valid()) return out;
  if (auto f = map.need("street")) out.street = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.need("postcode")) out.postcode = read_text(context, *f, kMaxCodeChars).value_or("");
  if (auto f = map.need("city")) out.city = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.need("country")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      if (text->size() != 2 || !std::all_of(text->begin(), text->end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        context.error(Rule::bad_country, f->mark,
                      f->path + " " + quote_for_message(*text) +
                          " is not a country code (expected two capital letters, like FI)");
      } else {
        out.country = *text;
      }
    }
  }
  return out;
}

model::EInvoiceAddress read_einvoice(FileContext& context, const Field& field) {
  model::EInvoiceAddress out;
  MapReader map(context, field, {"scheme", "id", "operator"});
  if (!map.valid()) return out;
  if (auto f = map.need("scheme")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      if (text->size() != 4 || !all_digits(*text)) {
        context.error(
            Rule::bad_scheme, f->mark,
            f->path + " " + quote_for_message(*text) + " is not an ISO 6523 scheme (expected 4 digits, like \"0216\")");
      } else if (*text == "0037") {
        context.error(Rule::scheme_not_address, f->mark,
                      f->path + R"( "0037" is not an address scheme (use "0216", OVT))");
      } else {
        out.scheme = *text;
      }
    }
  }
  if (auto f = map.need("id")) out.id = read_text(context, *f, kMaxCodeChars).value_or("");
  if (auto f = map.get("operator")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      const bool shape = text->size() >= 4 && text->size() <= 35 && std::all_of(text->begin(), text->end(), [](char c) {
                           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
                         });
      if (!shape) {
        context.error(Rule::bad_operator, f->mark,
                      f->path + " " + quote_for_message(*text) +
                          " is not an e-invoice operator id (4 to 35 digits or upper-case letters, like "
                          "\"003723327487\")");
      } else {
        out.operator_id = *text;
      }
    }
  }
  return out;
}

std::optional<model::Payment> read_payment(FileContext& context, const Field& field) {
  MapReader map(context, field, {"iban", "bic"});
  if (!map.valid()) return std::nullopt;
  model::Payment out;
  if (auto f = map.need("iban")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      if (!valid_iban(*text)) {
        context.error(Rule::bad_iban, f->mark,
                      f->path + " " + quote_for_message(*text) + " is not a valid IBAN (written without spaces)");
      } else {
        out.iban = *text;
      }
    }
  }
  if (auto f = map.need("bic")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      const bool alnum = std::all_of(text->begin(), text->end(),
                                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
      if ((text->size() != 8 && text->size() != 11) || !alnum) {
        context.error(Rule::bad_bic, f->mark,
                      f->path + " " + quote_for_message(*text) + " is not a BIC (8 or 11 capital letters and digits)");
      } else {
        out.bic = *text;
      }
    }
  }
  return out;
}

model::Vat read_vat(FileContext& context, const Field& field) {
  model::Vat out;
  MapReader map(context, field, {"category", "rate", "reason"});
  if (!map.valid()) return out;
  auto category_field = map.need("category");
  if (!category_field) return out;
  auto category = read_enum<model::VatCategory>(context, *category_field,
                                                {{"O", model::VatCategory::not_subject},
                                                 {"S", model::VatCategory::standard},
                                                 {"Z", model::VatCategory::zero_rated},
                                                 {"E", model::VatCategory::exempt},
                                                 {"AE", model::VatCategory::reverse_charge}});
  if (!category) return out;
  out.category = *category;
  const std::string code = vat_code(*category);
  auto rate = map.get("rate");
  auto reason = map.get("reason");
  if (*category == model::VatCategory::standard) {
    if (auto f = map.need("rate")) {
      auto value = read_decimal(context, *f, 2, Decimal{}, Decimal::from_integer(100));
      if (value && *value == Decimal{}) {
        context.error(Rule::standard_rate_zero, f->mark,
                      f->path + " 0 is not a standard rate (use category Z for zero-rated)");
      } else {
        out.rate = value;
      }
    }
  } else if (*category == model::VatCategory::zero_rated) {
    if (rate) {
      auto value = read_decimal(context, *rate, 2, Decimal{}, Decimal{});
      out.rate = value;
    } else {
      out.rate = Decimal{};
    }
  } else if (rate) {
    context.error(Rule::key_not_for_kind, rate->mark, rate->path + " is not used by category " + code);
  }
  if (*category == model::VatCategory::exempt) {
    if (auto f = map.need("reason")) out.exemption_reason = read_text(context, *f, kMaxTextChars).value_or("");
  } else if (reason) {
    context.error(Rule::key_not_for_kind, reason->mark, reason->path + " is only used by category E");
  }
  return out;
}

model::Service read_service(FileContext& context, const Field& field) {
  model::Service out;
  out.where = context.at(field.mark);
  MapReader map(context, field, {"id", "name", "unit", "area", "vat"});
  if (!map.valid()) return out;
  if (auto f = map.need("id")) out.id = read_id(context, *f, IdForm::service).value_or("");
  if (auto f = map.need("name")) {
    const auto names = read_free_map(context, *f);
    if (f->node.IsMap() && names.empty())
      context.error(Rule::empty_list, f->mark,
                    f->path + " is empty; expected at least one language, like {fi: ..., en: ...}");
    for (const auto& [language, text_field] : names) {
      const bool code = language.size() == 2 &&
                        std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      if (!code) {
        context.error(Rule::bad_language, text_field.mark,
                      text_field.path + " " + quote_for_message(language) +
                          " is not a language code (expected two lower-case letters, like fi)");
        continue;
      }
      if (auto text = read_text(context, text_field, kMaxNameChars)) out.name.emplace_back(language, *text);
    }
  }
  if (auto f = map.need("unit")) out.unit = read_text(context, *f, kMaxCodeChars).value_or("");
  if (auto f = map.need("area")) {
    out.area =
        read_enum<model::Area>(
            context, *f, {{"finance", model::Area::finance}, {"hr", model::Area::hr}, {"other", model::Area::other}})
            .value_or(model::Area::other);
  }
  if (auto f = map.need("vat")) out.vat = read_vat(context, *f);
  return out;
}

// provider.vat_id: FI and the digits of the business id.
std::string read_vat_id(FileContext& context, const Field& field, const std::string& business_id) {
  auto text = read_text(context, field, kMaxCodeChars);
  if (!text) return {};
  const bool finnish = text->size() == 10 && text->substr(0, 2) == "FI" && all_digits(text->substr(2));
  const std::string digits = business_id.size() == 9 ? business_id.substr(0, 7) + business_id.substr(8) : "";
  if (!finnish) {
    context.error(Rule::bad_vat_id, field.mark,
                  field.path + " " + quote_for_message(*text) + " is not a Finnish VAT id (expected FI and 8 digits)");
    return {};
  }
  if (!digits.empty() && text->substr(2) != digits) {
    context.error(Rule::vat_id_mismatch, field.mark,
                  field.path + " " + quote_for_message(*text) + " does not match business_id " + business_id +
                      " (expected FI" + digits + ")");
    return {};
  }
  return *text;
}

// The provider; has_vat_id tells whether the key is written (read or refused).
model::Provider read_provider(FileContext& context, const Field& field, bool& has_vat_id) {
  model::Provider p;
  MapReader map(context, field, {"id", "name", "business_id", "vat_id", "address", "einvoice", "payment"});
  if (!map.valid()) return p;
  if (auto f = map.need("id")) p.id = read_id(context, *f, IdForm::agency).value_or("");
  if (auto f = map.need("name")) p.name = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.need("business_id")) p.business_id = read_business_id(context, *f);
  if (auto f = map.get("vat_id")) {
    has_vat_id = true;
    p.vat_id = read_vat_id(context, *f, p.business_id);
  }
  if (auto f = map.need("address")) p.address = read_address(context, *f);
  if (auto f = map.need("einvoice")) p.einvoice = read_einvoice(context, *f);
  if (auto f = map.get("payment")) p.payment = read_payment(context, *f);
  return p;
}

// `services:` of the catalog, ids unique, at least one.
void read_catalog_services(FileContext& context, const Field& field, model::Catalog& out) {
  const auto items = read_list(context, field);
  if (field.node.IsSequence() && items.empty())
    context.error(Rule::empty_list, field.mark, "services is empty; expected at least one service");
  for (const auto& item : items) {
    model::Service service = read_service(context, item);
    if (!service.id.empty()) {
      if (const model::Service* first = out.find(service.id)) {
        context.error(
            Rule::repeated_id, service.where,
            item.path + ".id " + service.id + " is repeated (first at line " + std::to_string(first->where.line) + ")");
        continue;
      }
    }
    out.services.push_back(std::move(service));
  }
}

// One contact; nothing when the item is not a mapping.
std::optional<model::Contact> read_contact(FileContext& context, const Field& item) {
  MapReader map(context, item, {"role", "name", "email"});
  if (!map.valid()) return std::nullopt;
  model::Contact contact;
  if (auto f = map.need("role")) contact.role = read_text(context, *f, kMaxCodeChars).value_or("");
  if (auto f = map.need("name")) contact.name = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.get("email")) {
    if (auto text = read_text(context, *f, kMaxNameChars)) {
      const auto at = text->find('@');
      if (at == std::string::npos || at == 0 || at + 1 == text->size() || text->find(' ') != std::string::npos) {
        context.error(Rule::bad_email, f->mark, f->path + " " + quote_for_message(*text) + " is not an e-mail address");
      } else {
        contact.email = *text;
      }
    }
  }
  return contact;
}

std::vector<model::Contact> read_contacts(FileContext& context, const Field& field) {
  std::vector<model::Contact> out;
  for (const auto& item : read_list(context, field)) {
    if (auto contact = read_contact(context, item)) out.push_back(std::move(*contact));
  }
  return out;
}

// One agency; nothing when the item is not a mapping.
std::optional<model::Agency> read_agency(FileContext& context, const Field& item) {
  model::Agency agency;
  agency.where = context.at(item.mark);
  MapReader map(
      context, item,
      {"id", "name", "business_id", "branch", "address", "einvoice", "account_manager", "contacts", "language"});
  if (!map.valid()) return std::nullopt;
  if (auto f = map.need("id")) agency.id = read_id(context, *f, IdForm::agency).value_or("");
  if (auto f = map.need("name")) agency.name = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.need("business_id")) agency.business_id = read_business_id(context, *f);
  if (auto f = map.need("branch")) agency.branch = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.need("address")) agency.address = read_address(context, *f);
  if (auto f = map.need("einvoice")) agency.einvoice = read_einvoice(context, *f);
  if (auto f = map.get("account_manager")) agency.account_manager = read_text(context, *f, kMaxNameChars).value_or("");
  if (auto f = map.get("contacts")) agency.contacts = read_contacts(context, *f);
  if (auto f = map.get("language")) {
    if (auto text = read_text(context, *f, kMaxCodeChars)) {
      if (parse_language(*text)) {
        agency.language = *text;
      } else {
        context.error(Rule::agency_language, f->mark,
                      f->path + " " + quote_for_message(*text) + " is not one of fi, sv, en");
      }
    }
  }
  return agency;
}

}  // namespace

std::optional<model::Catalog> parse_catalog(FileContext& context, const YAML::Node& root) {
  const std::size_t before = context.finding_count();
  MapReader top(context, Field{root, "", root.Mark()}, {"provider", "services"});
  if (!top.valid()) return std::nullopt;
  model::Catalog out;
  bool has_vat_id = false;
  YAML::Mark provider_mark;
  if (auto f = top.need("provider")) {
    provider_mark = f->mark;
    out.provider = read_provider(context, *f, has_vat_id);
  }
  if (auto f = top.need("services")) read_catalog_services(context, *f, out);
  const bool needs_vat_id = std::any_of(out.services.begin(), out.services.end(), [](const model::Service& s) {
    return s.vat.category != model::VatCategory::not_subject;
  });
  if (needs_vat_id && top.has("provider") && !has_vat_id) {
    context.error(Rule::vat_id_required, provider_mark,
                  "provider.vat_id is required because some service is subject to VAT");
  }
  if (context.finding_count() != before) return std::nullopt;
  return out;
}

std::vector<model::Agency> parse_agencies(FileContext& context, const YAML::Node& root) {
  std::vector<model::Agency> out;
  MapReader top(context, Field{root, "", root.Mark()}, {"agencies"});
  if (!top.valid()) return out;
  auto list = top.need("agencies");
  if (!list) return out;
  for (const auto& item : read_list(context, *list)) {
    auto agency = read_agency(context, item);
    if (!agency || agency->id.empty()) continue;
    const auto first = std::find_if(out.begin(), out.end(), [&](const model::Agency& a) { return a.id == agency->id; });
    if (first != out.end()) {
      context.error(
          Rule::repeated_id, item.mark,
          item.path + ".id " + agency->id + " is repeated (first at line " + std::to_string(first->where.line) + ")");
      continue;
    }
    out.push_back(std::move(*agency));
  }
  return out;
}

std::optional<model::PriceList> parse_price_list(FileContext& context, const YAML::Node& root,
                                                 const model::Catalog* catalog) {
  const std::size_t before = context.finding_count();
  MapReader top(context, Field{root, "", root.Mark()}, {"price_list", "prices"});
  if (!top.valid()) return std::nullopt;
  model::PriceList out;
  out.source_file = context.file();
  if (auto f = top.need("price_list")) {
    MapReader map(context, *f, {"year", "basis"});
    if (map.valid()) {
      if (auto g = map.need("year")) out.year = static_cast<int>(read_integer(context, *g, 1900, 9999).value_or(0));
      if (auto g = map.get("basis")) out.basis = read_text(context, *g, kMaxTextChars).value_or("");
    }
  }
  if (auto f = top.need("prices")) {
    for (const auto& [service, price_field] : read_free_map(context, *f)) {
      if (!id_has_form(service, IdForm::service) || (catalog != nullptr && catalog->find(service) == nullptr)) {
        context.error(Rule::unknown_service, price_field.mark, price_field.path + " is not a service in the catalog");
        continue;
      }
      if (auto price = read_unit_price(context, price_field)) out.prices.emplace_back(service, *price);
    }
  }
  if (context.finding_count() != before) return std::nullopt;
  return out;
}

}  // namespace costcover::contracts::detail
