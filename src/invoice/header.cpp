#include "invoice/header.hpp"

#include <map>
#include <vector>

namespace costcover::invoice {

const model::Agreement* header_agreement(std::span<const model::Agreement> versions, DateRange period) {
  // By agreement id (in id order, so that the lowest id wins a tie).
  std::map<std::string, std::vector<const model::Agreement*>> by_id;
  for (const auto& version : versions) by_id[version.id].push_back(&version);
  for (Date day = period.to; day >= period.from; day -= boost::gregorian::days(1)) {
    for (const auto& [id, same] : by_id) {
      if (const auto* in_force = model::version_in_force_among(same, day)) return in_force;
    }
  }
  const model::Agreement* best = nullptr;
  for (const auto& version : versions) {
    if (version.valid.to >= period.from) continue;
    if (best == nullptr || version.valid.to > best->valid.to ||
        (version.valid.to == best->valid.to && version.version > best->version)) {
      best = &version;
    }
  }
  return best;
}

InvoiceHeader header_for(const std::string& agency, Month period, std::span<const model::Agreement> versions,
                         DateRange covered) {
  InvoiceHeader header;
  header.agency = agency;
  header.period = period;
  if (const auto* agreement = header_agreement(versions, covered)) {
    header.agreement_id = agreement->id;
    header.agreement_version = agreement->version;
    header.payment_terms_days = agreement->billing.payment_terms_days;
    header.buyer_reference = agreement->billing.buyer_reference;
  }
  return header;
}

}  // namespace costcover::invoice
