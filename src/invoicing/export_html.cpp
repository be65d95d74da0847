#include <stdexcept>

#include "invoicing/export.hpp"

namespace costcover::invoicing {

ExportResult export_html(soci::session&, Month, const std::string&) { throw std::runtime_error("html: not yet"); }

}  // namespace costcover::invoicing
