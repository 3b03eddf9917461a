//===- JitRunnerTest.cpp - JIT execution through the library API ----------===//

#include "quant-mlir/InitAll.h"
#include "quant-mlir/Runtime/JitRunner.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// @model doubles its input and reports 7 to an external C function, as an
/// observer runtime would.
constexpr llvm::StringLiteral kModule = R"mlir(
func.func private @test_report(i64)
func.func @model(%x: tensor<2xf32>) -> tensor<2xf32> {
  %seven = arith.constant 7 : i64
  func.call @test_report(%seven) : (i64) -> ()
  %twice = tosa.add %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %twice : tensor<2xf32>
}
)mlir";

int64_t reported = 0;
void testReport(int64_t value) { reported += value; }

class JitRunnerTest : public ::testing::Test {
protected:
  JitRunnerTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerQntDialects(registry);
    context.appendDialectRegistry(registry);
  }

  OwningOpRef<ModuleOp> parse() {
    return parseSourceString<ModuleOp>(kModule, &context);
  }

  MLIRContext context;
};

/// Registered symbols resolve the module's external calls, run after run.
TEST_F(JitRunnerTest, CallsRegisteredSymbols) {
  OwningOpRef<ModuleOp> module = parse();
  ASSERT_TRUE(module);
  JitOptions options;
  options.symbols["test_report"] = reinterpret_cast<void *>(&testReport);
  llvm::Expected<std::unique_ptr<JitRunner>> runner =
      JitRunner::create(*module, options);
  ASSERT_TRUE(static_cast<bool>(runner))
      << llvm::toString(runner.takeError());
  ASSERT_EQ((*runner)->getInputs().size(), 1u);
  EXPECT_EQ((*runner)->getResults().front().str(), "2xf32");

  Tensor input(DType::F32, {2});
  input.getDataAs<float>()[0] = 1.5f;
  input.getDataAs<float>()[1] = -4.0f;
  reported = 0;
  for (int i = 0; i < 3; ++i) {
    llvm::Expected<RunResult> outcome = (*runner)->run(input);
    ASSERT_TRUE(static_cast<bool>(outcome))
        << llvm::toString(outcome.takeError());
    EXPECT_EQ(outcome->results.front().getDataAs<float>()[0], 3.0f);
    EXPECT_EQ(outcome->results.front().getDataAs<float>()[1], -8.0f);
  }
  EXPECT_EQ(reported, 21);
  // Arguments are read-only to the compiled code.
  EXPECT_EQ(input.getDataAs<float>()[0], 1.5f);

  llvm::Expected<RunResult> wrong =
      (*runner)->run(Tensor(DType::F32, {3}));
  ASSERT_FALSE(static_cast<bool>(wrong));
  EXPECT_EQ(llvm::toString(wrong.takeError()),
            "argument #0 of @model is 2xf32, but the data is 3xf32");
}

TEST_F(JitRunnerTest, ReportsAMissingEntry) {
  OwningOpRef<ModuleOp> module = parse();
  ASSERT_TRUE(module);
  JitOptions options;
  options.entry = "forward";
  llvm::Expected<std::unique_ptr<JitRunner>> runner =
      JitRunner::create(*module, options);
  ASSERT_FALSE(static_cast<bool>(runner));
  EXPECT_EQ(llvm::toString(runner.takeError()),
            "no function @forward in the module; it defines @model");
}

} // namespace
