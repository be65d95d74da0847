// UTF-8, once for the whole program: the validator, what a database text value can hold,
// and the escapes that show bytes that may not be text (in a reject table, in a message).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace costcover {

// Well-formed UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// What a PostgreSQL text value can hold: valid UTF-8 without a NUL byte. Every text the
// program stores from an input file is checked with this.
[[nodiscard]] bool is_text(std::string_view text);

// The length of the UTF-8 sequence that starts `text` (1 to 4), or 0 when none does.
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view text);

// Bytes kept as sent where they are text; invalid UTF-8 and NUL bytes as "\xNN". For raw
// lines in reject tables and file names in the database.
[[nodiscard]] std::string escape_invalid_utf8(std::string_view raw);

// Text as one line of a message may show it: control characters as \n, \r, \t or \xNN
// (C1 ones as \u0080..\u009F), bytes that are not UTF-8 as \xNN, the backslash as \\ (and
// '"' as \" when `quoting`), cut after max_chars characters ("..." then). Nothing in it
// can break or forge a line.
[[nodiscard]] std::string escape_for_message(std::string_view text, std::size_t max_chars = std::string_view::npos,
                                             bool quoting = false);

// "\"text\"" for a message: escape_for_message, quoted, cut after 80 characters.
[[nodiscard]] std::string quote_for_message(std::string_view text);

// The number of characters (code points) of UTF-8 text, for columns that line up.
[[nodiscard]] std::size_t display_width(std::string_view text);

}  // namespace costcover
