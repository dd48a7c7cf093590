#!/usr/bin/env bash
# `npm test`: every check and every test, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh
echo "== build (tsc)";          npm run --silent build
echo "== typecheck (tests too)"; npm run --silent typecheck
echo "== lint (eslint)";        npm run --silent lint
echo "== import rules";         npm run --silent check:imports
echo "== tests (vitest)";       npx vitest run "$@"
