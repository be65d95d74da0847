// 128-bit integers for exact intermediate products. GCC and Clang provide __int128 as an
// extension; naming it through __extension__ keeps -Wpedantic quiet wherever it is used.
#pragma once

#include <string>

namespace costcover {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// Decimal digits of a 128-bit integer ("-170141183460469231731687303715884105728").
[[nodiscard]] std::string to_string(Int128 value);

}  // namespace costcover
