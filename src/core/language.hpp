// The languages documents for people are written in: an agency's `language`
// (agencies.yaml), a report's --language. One list of codes for the whole program: the
// contracts parser accepts these, the phrase table (core/phrases.hpp) and the printed texts
// (render/labels.hpp) have each text in each of them. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace costcover {

enum class Language { fi, sv, en };

// "fi", "sv", "en"; nothing for any other text.
[[nodiscard]] std::optional<Language> parse_language(std::string_view text);
[[nodiscard]] std::string to_string(Language language);

// The language a document is written in for a stored code: fi, the default, for an empty
// or unknown one (docs/invoicing.md, "The agency's language").
[[nodiscard]] Language language_or_default(std::string_view code);

}  // namespace costcover
