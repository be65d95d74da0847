// The agreement model: plain values for the catalog, agencies, price lists, service
// agreements (the four parts: service definition, performance, boundary conditions with
// exceptions, price) and the yearly cost model. The YAML loader fills these; rating,
// costing and the database adapters read them. No behaviour beyond small queries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/dates.hpp"
#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "core/money.hpp"

namespace costcover::model {

struct Address {
  std::string street;
  std::string postcode;
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2
};

struct EInvoiceAddress {
  std::string scheme;  // ISO 6523 ICD, e.g. "0216" (OVT)
  std::string id;
  std::string operator_id;  // the e-invoice operator's id (Finvoice's intermediator), optional
};

struct Payment {
  std::string iban;
  std::string bic;
};

enum class Area { finance, hr, other };

// EN 16931 VAT category codes.
enum class VatCategory { standard /*S*/, zero_rated /*Z*/, exempt /*E*/, reverse_charge /*AE*/, not_subject /*O*/ };
[[nodiscard]] std::string vat_code(VatCategory category);  // "S", "Z", "E", "AE", "O"

struct Vat {
  VatCategory category = VatCategory::not_subject;
  std::optional<Decimal> rate;   // percent, e.g. 25.5; only for S (and Z as 0)
  std::string exemption_reason;  // for E
};
// The same category, rate and exemption reason.
[[nodiscard]] bool same_vat(const Vat& a, const Vat& b);

struct Service {
  std::string id;                                         // [a-z0-9-]+
  std::vector<std::pair<std::string, std::string>> name;  // language -> name, as written
  std::string unit;
  Area area = Area::other;
  Vat vat;
  Location where;
  // The name in a language, falling back to the first one written.
  [[nodiscard]] std::string name_in(const std::string& language) const;
};

struct Provider {
  std::string id;
  std::string name;
  std::string business_id;  // Y-tunnus "NNNNNNN-C"
  std::string vat_id;       // optional
  Address address;
  EInvoiceAddress einvoice;
  std::optional<Payment> payment;
};

struct Catalog {
  Provider provider;
  std::vector<Service> services;  // catalog order is invoice line order
  [[nodiscard]] const Service* find(const std::string& service_id) const;
  [[nodiscard]] int order_of(const std::string& service_id) const;  // -1 if unknown
};

struct Contact {
  std::string role;
  std::string name;
  std::string email;
};

struct Agency {
  std::string id;  // [A-Z0-9]+
  std::string name;
  std::string business_id;
  std::string branch;  // administrative branch (hallinnonala)
  Address address;
  EInvoiceAddress einvoice;
  std::string account_manager;
  std::vector<Contact> contacts;
  std::string language = "fi";  // fi | sv | en: what the agency's documents are printed in
  Location where;
};

// The language of the agency's documents: its language, fi for an agency not listed.
[[nodiscard]] std::string language_of(const std::vector<Agency>& agencies, const std::string& agency);

struct PriceList {
  int year = 0;
  std::string basis;
  std::vector<std::pair<std::string, Decimal>> prices;  // service -> euros per unit, as written
  std::string source_file;
  [[nodiscard]] std::optional<Decimal> price_of(const std::string& service_id) const;
};

// The price of a service in the lists of `year`, trying each such list in order.
[[nodiscard]] std::optional<Decimal> list_price(std::span<const PriceList> lists, int year,
                                                const std::string& service_id);

// Part 4: price.
enum class PriceModel { list, unit_price, tiers };

struct Tier {
  std::optional<std::int64_t> up_to;  // cumulative units in the window; none for the last tier
  Decimal unit_price;
};

struct Price {
  PriceModel model = PriceModel::list;
  Decimal unit_price;       // for unit_price
  std::vector<Tier> tiers;  // for tiers (graduated)
};

// Part 3: boundary conditions.
enum class Window { month, year };
enum class OverLimitMode { flag, price };

struct Volume {
  Window per = Window::month;
  std::optional<std::int64_t> forecast;
  std::optional<std::int64_t> lower_limit;
  std::optional<std::int64_t> upper_limit;
  OverLimitMode over_limit = OverLimitMode::flag;  // flag when upper_limit has no over_limit
  Decimal over_limit_price;                        // for OverLimitMode::price
};

// Part 2: performance.
enum class Metric { processing_time };

struct PerformanceTarget {
  Metric metric = Metric::processing_time;
  int max_business_days = 0;
  Decimal target_share;                   // 0..1, e.g. 0.95
  std::optional<Decimal> credit_percent;  // e.g. 5 (percent)
};

// Part 1 (with parts 2-4 for this service).
struct ServiceTerms {
  std::string service;
  std::string handoff;
  Price price;
  Volume volume;
  std::vector<PerformanceTarget> performance;
  Location where;
};

enum class FeePer { month, year };

struct Fee {
  std::string id;
  std::string service;  // the catalog service it pays for (its revenue in the matching)
  Money amount;
  FeePer per = FeePer::month;
  Location where;
};

enum class ExceptionKind { sla_waiver, exclude, price, limits_suspended, charge };
[[nodiscard]] std::string to_string(ExceptionKind kind);

struct AgreementException {
  std::string id;
  ExceptionKind kind = ExceptionKind::sla_waiver;
  std::vector<std::string> services;  // empty: every service of the agreement
  std::vector<std::string> tags;      // exclude, sla_waiver: transactions carrying any of these
  std::optional<DateRange> period;    // empty: the whole agreement (sla_waiver: needs period or tags)
  std::optional<Date> date;           // for charge
  std::optional<Decimal> unit_price;  // for price
  std::optional<Money> amount;        // for charge
  std::string service;                // for charge: the catalog service it pays for
  std::string reason;                 // or description for a charge
  Location where;
  [[nodiscard]] bool applies_to_service(const std::string& service_id) const;
  [[nodiscard]] bool applies_on(Date day) const;  // true when no period
  // The period alone (true when none), whatever `date` says: for the kinds that have no date.
  [[nodiscard]] bool in_period(Date day) const;
};

// The formats' default for billing.payment_terms_days.
inline constexpr int kDefaultPaymentTermsDays = 21;

struct Billing {
  std::string cycle = "monthly";
  int payment_terms_days = kDefaultPaymentTermsDays;
  std::string buyer_reference;
};

struct Agreement {
  std::string id;
  int version = 0;
  std::string client;  // agency id
  DateRange valid;
  std::optional<Date> signed_on;
  Billing billing;
  std::vector<ServiceTerms> services;
  std::vector<Fee> fees;
  std::vector<AgreementException> exceptions;
  std::string source_file;   // path as given to the loader
  std::string content_hash;  // SHA-256 hex of the file's bytes
  Location where;
  [[nodiscard]] const ServiceTerms* terms_for(const std::string& service_id) const;
  // The first exception of `kind` (in listed order) for service on day. Only `period`
  // decides the day (`date` belongs to charges, which this is never asked for).
  [[nodiscard]] const AgreementException* first_exception(ExceptionKind kind, const std::string& service_id,
                                                          Date day) const;
  // The first exclude exception that takes a row of service with these tags out of billing
  // on day: one naming any of the tags, or one without tags.
  [[nodiscard]] const AgreementException* exclusion_for(const std::string& service_id, Date day,
                                                        std::span<const std::string> tags) const;
  // The first sla_waiver that takes a row of service with these tags out of the measurement
  // on day: one in whose period the day lies (no period: every day) and, when it names tags,
  // that names one of the row's.
  [[nodiscard]] const AgreementException* waiver_for(const std::string& service_id, Date day,
                                                     std::span<const std::string> tags) const;
};

// The version of an agreement in force on a day: the highest version whose valid range
// contains it. `versions` are all versions of one agreement id, in any order.
[[nodiscard]] const Agreement* version_in_force(const std::vector<Agreement>& versions, Date day);
// The same over pointers to the versions. Not an overload of version_in_force, so that
// version_in_force({}, day) stays unambiguous.
[[nodiscard]] const Agreement* version_in_force_among(std::span<const Agreement* const> versions, Date day);

// Cost model (contracts/costs/YEAR.yaml).
enum class AllocationMethod { direct, step_down, reciprocal };
enum class CentreKind { support, production };
enum class SettlementMode { settle, carry_forward };

struct CostCentre {
  std::string id;
  CentreKind kind = CentreKind::production;
  std::string driver;                                     // support: allocate by driver
  std::vector<std::pair<std::string, Decimal>> shares;    // support: or by fixed shares
  std::vector<std::pair<std::string, Decimal>> services;  // production: working-time shares
  Location where;
};

struct Asset {
  std::string id;
  std::string cost_centre;
  Money book_value;
};

struct CostModel {
  int year = 0;
  AllocationMethod method = AllocationMethod::direct;
  std::vector<CostCentre> centres;  // listed order (step_down order)
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, Decimal>>>> drivers;
  Decimal imputed_interest_rate;
  std::vector<Asset> assets;
  // cost type -> account prefixes; the longest matching prefix wins; "" catches all.
  std::vector<std::pair<std::string, std::vector<std::string>>> cost_types;
  std::vector<std::pair<std::string, std::int64_t>> forecast_volumes;
  SettlementMode settlement_mode = SettlementMode::carry_forward;
  Decimal threshold_percent;
  std::string source_file;
  // The cost type of a ledger account by longest prefix ("4100 Salaries" -> "personnel");
  // ties: the type listed first. find_cost_type gives nothing when no prefix matches,
  // cost_type_of gives "" then.
  [[nodiscard]] std::optional<std::string> find_cost_type(const std::string& account) const;
  [[nodiscard]] std::string cost_type_of(const std::string& account) const;
};

// Everything under contracts/.
struct ContractSet {
  Catalog catalog;
  std::vector<Agency> agencies;
  std::vector<PriceList> price_lists;
  std::vector<Agreement> agreements;  // every version of every agreement
  std::vector<CostModel> cost_models;
  [[nodiscard]] const Agency* agency(const std::string& id) const;
  [[nodiscard]] const PriceList* price_list(int year) const;
  [[nodiscard]] const CostModel* cost_model(int year) const;
};

}  // namespace costcover::model
