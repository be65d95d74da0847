// invoices.csv (docs/formats.md): one row per invoice line of a month's invoices, in export
// order (invoice/printed.hpp). Pure: the same values give the same bytes.
#pragma once

#include <string>
#include <vector>

#include "invoice/printed.hpp"

namespace costcover::render {

// The whole file: the header row and one row per line, each ending in "\n".
[[nodiscard]] std::string invoices_csv(const std::vector<invoice::PrintedInvoice>& invoices);

}  // namespace costcover::render
