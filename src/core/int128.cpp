#include "core/int128.hpp"

namespace costcover {

std::string to_string(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  UInt128 magnitude = negative ? UInt128{0} - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  return negative ? "-" + digits : digits;
}

}  // namespace costcover
