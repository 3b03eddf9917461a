#!/usr/bin/env bash
# Regenerates the dialect and pass references from ODS (mlir-tblgen
# -gen-dialect-doc / -gen-pass-doc) and copies them into docs/. The lit
# test test/docs/generated-docs.test fails while they are stale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/build.sh" mlir-doc
cp "$BUILD_DIR/docs/Dialects/QntDialect.md" "$ROOT/docs/Dialects/QntDialect.md"
cp "$BUILD_DIR/docs/Passes/QntPasses.md" "$ROOT/docs/Passes/QntPasses.md"
echo "docs/Dialects/QntDialect.md and docs/Passes/QntPasses.md updated"
