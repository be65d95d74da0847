// Small text helpers every renderer needs.
#pragma once

#include <string>
#include <string_view>

namespace costcover {

// Text for HTML content and attribute values: & < > " ' as entities.
[[nodiscard]] std::string html_escape(std::string_view text);

// Text for XML content and attribute values (the e-invoices): & < > " ' as the five
// predefined entities.
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace costcover
