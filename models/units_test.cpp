#include "models/units.h"

#include <gtest/gtest.h>

namespace prepsim {
namespace {

TEST(Units, Sizes) {
  EXPECT_DOUBLE_EQ(parse_quantity("8KiB", Dim::Size), 8192.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1.5 GB", Dim::Size), 1.5e9);
  EXPECT_DOUBLE_EQ(parse_quantity("3.84TB", Dim::Size), 3.84e12);
  EXPECT_DOUBLE_EQ(parse_quantity("4 GiB", Dim::Size), 4.0 * 1073741824.0);
}

TEST(Units, RatesInBitsAndBytes) {
  EXPECT_DOUBLE_EQ(parse_quantity("10Gbps", Dim::Rate), 1.25e9);
  EXPECT_DOUBLE_EQ(parse_quantity("3.2 GB/s", Dim::Rate), 3.2e9);
  EXPECT_DOUBLE_EQ(parse_quantity("3GBps", Dim::Rate), 3e9);
  EXPECT_DOUBLE_EQ(parse_quantity("1 GiB/s", Dim::Rate), 1073741824.0);
}

TEST(Units, TimesFromNanosecondsToYears) {
  EXPECT_DOUBLE_EQ(parse_quantity("500ms", Dim::Time), 0.5);
  EXPECT_DOUBLE_EQ(parse_quantity("2ns", Dim::Time), 2e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("3y", Dim::Time), 3 * 365 * 86400.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1.5 h", Dim::Time), 5400.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2min", Dim::Time), 120.0);
}

TEST(Units, PowerEnergyMoney) {
  EXPECT_DOUBLE_EQ(parse_quantity("25W", Dim::Power), 25.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1.1kW", Dim::Power), 1100.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1kWh", Dim::Energy), 3.6e6);
  EXPECT_DOUBLE_EQ(parse_quantity("$9,000", Dim::Money), 9000.0);
  EXPECT_DOUBLE_EQ(parse_quantity("$1.2K", Dim::Money), 1200.0);
  EXPECT_DOUBLE_EQ(parse_quantity("$3.6/h", Dim::MoneyRate), 0.001);
  EXPECT_DOUBLE_EQ(parse_quantity("$0.0733/kWh", Dim::EnergyPrice), 0.0733 / 3.6e6);
}

TEST(Units, CountsAndRatios) {
  EXPECT_DOUBLE_EQ(parse_quantity("100M", Dim::Count), 1e8);
  EXPECT_DOUBLE_EQ(parse_quantity("8192", Dim::Count), 8192.0);
  EXPECT_DOUBLE_EQ(parse_quantity("500K", Dim::Count), 5e5);
  EXPECT_DOUBLE_EQ(parse_quantity("0.25", Dim::Ratio), 0.25);
  EXPECT_DOUBLE_EQ(parse_quantity("1e-3", Dim::Ratio), 1e-3);
  EXPECT_DOUBLE_EQ(parse_quantity("223MHz", Dim::Frequency), 223e6);
}

TEST(Units, BareNumberWhereAUnitIsExpectedIsRefused) {
  EXPECT_THROW(parse_quantity("10", Dim::Rate), UnitError);
  EXPECT_THROW(parse_quantity("25", Dim::Power), UnitError);
  EXPECT_THROW(parse_quantity("0.0733", Dim::EnergyPrice), UnitError);
  try {
    parse_quantity("10", Dim::Time);
    FAIL();
  } catch (const UnitError& e) {
    EXPECT_NE(std::string(e.what()).find("ns, us, ms"), std::string::npos) << e.what();
  }
}

TEST(Units, WrongDimensionOrGarbageIsRefused) {
  EXPECT_THROW(parse_quantity("10GB", Dim::Rate), UnitError);
  EXPECT_THROW(parse_quantity("10W", Dim::Energy), UnitError);
  EXPECT_THROW(parse_quantity("fast", Dim::Rate), UnitError);
  EXPECT_THROW(parse_quantity("", Dim::Size), UnitError);
  EXPECT_THROW(parse_quantity("$5/kWh", Dim::MoneyRate), UnitError);
  EXPECT_THROW(parse_quantity("$5/h", Dim::Money), UnitError);
  EXPECT_THROW(parse_quantity("5$", Dim::Money), UnitError);
  EXPECT_THROW(parse_quantity("1.2.3s", Dim::Time), UnitError);
  EXPECT_THROW(parse_quantity("5%", Dim::Ratio), UnitError);
}

TEST(Units, ValuesPastInfinityOrAnyRealInputAreRefused) {
  // A finite number whose unit carries it to infinity, and finite values beyond every real machine or price.
  EXPECT_THROW(parse_quantity("1e308T", Dim::Count), UnitError);
  EXPECT_THROW(parse_quantity("1e308y", Dim::Time), UnitError);
  EXPECT_THROW(parse_quantity("$1e308T", Dim::Money), UnitError);
  EXPECT_THROW(parse_quantity("1e25", Dim::Count), UnitError);
  EXPECT_THROW(parse_quantity("-1e19", Dim::Ratio), UnitError);
  EXPECT_THROW(parse_quantity("$2T", Dim::Money), UnitError);
  EXPECT_THROW(parse_quantity("1e400", Dim::Ratio), UnitError);
  EXPECT_THROW(parse_quantity("nan", Dim::Ratio), UnitError);
  EXPECT_THROW(parse_quantity("inf s", Dim::Time), UnitError);
  try {
    parse_quantity("2000y", Dim::Time);
    FAIL();
  } catch (const UnitError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 1000y"), std::string::npos) << e.what();
  }
  // The limits themselves are accepted.
  EXPECT_DOUBLE_EQ(parse_quantity("1000y", Dim::Time), max_magnitude(Dim::Time));
  EXPECT_DOUBLE_EQ(parse_quantity("$1T", Dim::Money), 1e12);
  EXPECT_DOUBLE_EQ(parse_quantity("1e18", Dim::Count), 1e18);
}

TEST(Units, FormatPicksAReadableUnit) {
  EXPECT_EQ(format_quantity(1.25e9, Dim::Rate), "1.25 GB/s");
  EXPECT_EQ(format_quantity(0.5, Dim::Time), "500 ms");
  EXPECT_EQ(format_quantity(3200, Dim::Power), "3.2 kW");
  EXPECT_EQ(format_quantity(1234.5, Dim::Money), "$1234.50");
}

}  // namespace
}  // namespace prepsim
