#include "core/text.hpp"

namespace costcover {

namespace {

// & < > " as entities, and ' as `apostrophe`.
std::string escape(std::string_view text, std::string_view apostrophe) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += apostrophe;
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) { return escape(text, "&#39;"); }

std::string xml_escape(std::string_view text) { return escape(text, "&apos;"); }

}  // namespace costcover
