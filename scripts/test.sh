#!/usr/bin/env bash
# Installs what is missing, builds from scratch (or incrementally), and runs
# every suite: the lit tests (dialect, passes, execution, plugin, install)
# and the gtest unit tests. Ends with "N passed, M failed".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

"$ROOT/scripts/bootstrap.sh" || exit 1
start=$(date +%s)
"$ROOT/scripts/build.sh" all mlir-doc || { echo "0 passed, 1 failed (build)"; exit 1; }
echo "build: $(( $(date +%s) - start )) s"

start=$(date +%s)
results="$BUILD_DIR/test-results.json"
/usr/lib/llvm-22/bin/lit -sv --time-tests \
  --output "$results" \
  "$BUILD_DIR/test" "$BUILD_DIR/test/Unit"
lit_status=$?
echo "tests: $(( $(date +%s) - start )) s"

# lit's JSON report lists one entry per test (and per gtest case).
/usr/bin/python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
good = {"PASS", "XFAIL"}
skipped = {"UNSUPPORTED", "SKIPPED"}
passed = sum(t["code"] in good for t in tests)
skip = sum(t["code"] in skipped for t in tests)
failed = len(tests) - passed - skip
print("%d passed, %d failed, %d skipped" % (passed, failed, skip))
PY
exit $lit_status
