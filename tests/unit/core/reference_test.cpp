// Payment references against published examples (Finance Finland's reference-number
// guide, ISO 11649, the pankkiviivakoodi examples' references) and their properties.
#include "core/reference.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"

namespace costcover {
namespace {

TEST(Reference, PublishedNationalExamples) {
  EXPECT_EQ(make_reference("123456"), "1234561");  // the guide's "12 34561"
  EXPECT_EQ(make_reference("1111"), "11112");      // the barcode guide's reference
  EXPECT_EQ(make_reference("123"), "1232");
  EXPECT_EQ(make_reference("1234567"), "12345672");
  EXPECT_TRUE(valid_reference("1234561"));
  EXPECT_TRUE(valid_reference("00000000000001234561"));  // machine form with leading zeros
}

TEST(Reference, PublishedRfExamples) {
  EXPECT_EQ(make_rf_reference("539007547034"), "RF18539007547034");  // ISO 11649's example
  EXPECT_EQ(make_rf_reference("11112"), "RF9811112");                // the barcode guide's
  EXPECT_TRUE(valid_rf_reference("RF18539007547034"));
  EXPECT_TRUE(valid_rf_reference("RF9811112"));
  EXPECT_EQ(make_rf_reference("abc1"), make_rf_reference("ABC1"));
  EXPECT_TRUE(valid_rf_reference(make_rf_reference("ABC1")));
}

TEST(Reference, InvoiceNumbers) {
  // 2027000123 from the right: 3*7 + 2*3 + 1*1 + 0 + 0 + 0 + 7*7 + 2*3 + 0*1 + 2*7 = 97 -> 3
  EXPECT_EQ(invoice_reference("2027-000123"), "20270001233");
  EXPECT_EQ(make_rf_reference("20270001233"), "RF3720270001233");
  EXPECT_TRUE(valid_reference(invoice_reference("2027-000123")));
  EXPECT_TRUE(valid_rf_reference(make_rf_reference(invoice_reference("2027-000123"))));
  EXPECT_THROW((void)invoice_reference("A-1"), InputError);
  EXPECT_THROW((void)invoice_reference(""), InputError);
}

TEST(Reference, RefusesBadShapes) {
  EXPECT_THROW((void)make_reference("12"), InputError);
  EXPECT_THROW((void)make_reference("12a4"), InputError);
  EXPECT_THROW((void)make_reference(std::string(20, '1')), InputError);
  EXPECT_NO_THROW((void)make_reference(std::string(19, '1')));
  EXPECT_FALSE(valid_reference("123"));
  EXPECT_FALSE(valid_reference(std::string(21, '0')));
  EXPECT_FALSE(valid_reference("1234 561"));
  EXPECT_THROW((void)make_rf_reference(""), InputError);
  EXPECT_THROW((void)make_rf_reference(std::string(22, '1')), InputError);
  EXPECT_THROW((void)make_rf_reference("12-3"), InputError);
  EXPECT_FALSE(valid_rf_reference("RF18 5390 0754 7034"));
  EXPECT_FALSE(valid_rf_reference("XX18539007547034"));
  EXPECT_FALSE(valid_rf_reference("RF1"));
}

TEST(Reference, EveryCheckDigitVerifiesAndAChangedDigitFails) {
  for (int n = 100; n < 20000; n += 7) {
    const std::string base = "2027" + std::to_string(n);
    const std::string national = make_reference(base);
    ASSERT_TRUE(valid_reference(national)) << national;
    const std::string rf = make_rf_reference(national);
    ASSERT_TRUE(valid_rf_reference(rf)) << rf;
    for (std::size_t i = 0; i < national.size(); ++i) {
      std::string changed = national;
      changed[i] = static_cast<char>('0' + (changed[i] - '0' + 1) % 10);
      // 7-3-1 catches every single changed digit (weights are prime to 10).
      EXPECT_FALSE(valid_reference(changed)) << changed;
      std::string changed_rf = rf;
      changed_rf[i + 4] = changed[i];
      EXPECT_FALSE(valid_rf_reference(changed_rf)) << changed_rf;
    }
  }
}

TEST(Reference, PrintGroupings) {
  EXPECT_EQ(group_reference("1234561"), "12 34561");
  EXPECT_EQ(group_reference("00000000000001234561"), "12 34561");
  EXPECT_EQ(group_reference("20270001233"), "2 02700 01233");
  EXPECT_EQ(group_reference("11112"), "11112");
  EXPECT_EQ(group_rf_reference("RF18539007547034"), "RF18 5390 0754 7034");
  EXPECT_EQ(group_rf_reference("RF9811112"), "RF98 1111 2");
}

}  // namespace
}  // namespace costcover
