#include "core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace costcover {
namespace {

std::string hex_byte(unsigned value) {
  constexpr char kDigits[] = "0123456789ABCDEF";
  return {kDigits[(value >> 4U) & 0xFU], kDigits[value & 0xFU]};
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, p + i, 8);
      if ((chunk & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i == n) break;
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + length > n) return false;
    if (p[i + 1] < low || p[i + 1] > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

bool is_text(std::string_view text) {
  return std::memchr(text.data(), '\0', text.size()) == nullptr && is_valid_utf8(text);
}

std::size_t utf8_sequence_length(std::string_view text) {
  for (std::size_t n = 1; n <= 4 && n <= text.size(); ++n) {
    if (is_valid_utf8(text.substr(0, n))) return n;
  }
  return 0;
}

std::string escape_invalid_utf8(std::string_view raw) {
  if (is_text(raw)) return std::string(raw);
  std::string out;
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t length = raw[i] == '\0' ? 0 : utf8_sequence_length(raw.substr(i));
    if (length == 0) {
      out += "\\x" + hex_byte(static_cast<unsigned char>(raw[i]));
      ++i;
    } else {
      out.append(raw.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string escape_for_message(std::string_view text, std::size_t max_chars, bool quoting) {
  std::string out;
  std::size_t i = 0;
  for (std::size_t chars = 0; i < text.size() && chars < max_chars; ++chars) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if (c == '\\' || (quoting && c == '"')) {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c < 0x20 || c == 0x7F) {
        out += "\\x" + hex_byte(c);
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    const std::size_t length = utf8_sequence_length(text.substr(i));
    if (length == 0) {
      out += "\\x" + hex_byte(c);
      ++i;
    } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out += "\\u00" + hex_byte(static_cast<unsigned char>(text[i + 1]));
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

std::string quote_for_message(std::string_view text) { return "\"" + escape_for_message(text, 80, true) + "\""; }

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++width;
  }
  return width;
}

}  // namespace costcover
