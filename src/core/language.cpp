#include "core/language.hpp"

namespace costcover {

std::optional<Language> parse_language(std::string_view text) {
  if (text == "fi") return Language::fi;
  if (text == "sv") return Language::sv;
  if (text == "en") return Language::en;
  return std::nullopt;
}

std::string to_string(Language language) {
  switch (language) {
    case Language::fi:
      return "fi";
    case Language::sv:
      return "sv";
    case Language::en:
      return "en";
  }
  return "fi";
}

Language language_or_default(std::string_view code) { return parse_language(code).value_or(Language::fi); }

}  // namespace costcover
