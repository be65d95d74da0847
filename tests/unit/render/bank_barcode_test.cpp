// The virtual bank barcode against the published examples of the barcode guide, and the
// Code 128 set C drawing's structure.
#include "render/bank_barcode.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/errors.hpp"

namespace costcover::render {
namespace {

Date day(int y, int m, int d) {
  return Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
}

TEST(BankBarcode, PublishedVersion4Example) {
  EXPECT_EQ(bank_barcode_v4("FI37 1590 3000 0007 76", Money::from_cents(1225), "11112", day(2016, 12, 21)),
            "437159030000007760000122500000000000000000011112161221");
}

TEST(BankBarcode, PublishedVersion5Example) {
  EXPECT_EQ(bank_barcode_v5("FI37 1590 3000 0007 76", Money::from_cents(110), "RF9811112", day(2017, 1, 1)),
            "537159030000007760000011098000000000000000011112170101");
}

TEST(BankBarcode, FiftyFourDigitsAndLimits) {
  const auto code = bank_barcode_v4("FI2112345600000785", Money::from_cents(100'000'000), "20270001233", std::nullopt);
  EXPECT_EQ(code.size(), 54u);
  EXPECT_EQ(code.substr(17, 8), "00000000");  // a million euros or more: the payer types it
  EXPECT_EQ(code.substr(48), "000000");       // no due date
  EXPECT_THROW((void)bank_barcode_v4("FI21123456000007", Money::from_cents(1), "11112", std::nullopt), InputError);
  EXPECT_THROW((void)bank_barcode_v4("FI2112345600000785", Money::from_cents(-1), "11112", std::nullopt), InputError);
  EXPECT_THROW((void)bank_barcode_v4("FI2112345600000785", Money::from_cents(1), "11113", std::nullopt), InputError);
  EXPECT_THROW((void)bank_barcode_v5("FI2112345600000785", Money::from_cents(1), "RF9911112", std::nullopt),
               InputError);
}

TEST(BankBarcode, Code128SetCDrawing) {
  const std::string svg = code128c_svg("437159030000007760000122500000000000000000011112161221");
  // start + 27 pairs + check + stop: 29 symbols of 3 bars and the stop's 4.
  std::size_t bars = 0;
  for (std::size_t at = svg.find("<rect x="); at != std::string::npos; at = svg.find("<rect x=", at + 1)) ++bars;
  EXPECT_EQ(bars, 29u * 3 + 4);
  // 11 modules a symbol, 13 the stop, 10 quiet modules each side.
  EXPECT_NE(svg.find("width=\"352\""), std::string::npos) << svg.substr(0, 200);
  EXPECT_THROW((void)code128c_svg("123"), InputError);
  EXPECT_THROW((void)code128c_svg("1a"), InputError);
}

}  // namespace
}  // namespace costcover::render
