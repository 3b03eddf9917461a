//===- RoundingTest.cpp - float -> int rounding and saturation ------------===//

#include "qnt/Utils/Numerics.h"

#include "gtest/gtest.h"

using namespace mlir::qnt;

TEST(RoundingTest, HalfToEvenTies) {
  EXPECT_EQ(roundToInt(0.5, RoundingMode::HalfEven), 0);
  EXPECT_EQ(roundToInt(1.5, RoundingMode::HalfEven), 2);
  EXPECT_EQ(roundToInt(2.5, RoundingMode::HalfEven), 2);
  EXPECT_EQ(roundToInt(-0.5, RoundingMode::HalfEven), 0);
  EXPECT_EQ(roundToInt(-1.5, RoundingMode::HalfEven), -2);
  EXPECT_EQ(roundToInt(-2.5, RoundingMode::HalfEven), -2);
}
