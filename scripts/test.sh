#!/usr/bin/env bash
# Installs everything the tests need, then runs the whole test suite:
#   - Debian's chromium (for Playwright; `playwright install` cannot download here)
#   - nbdemo in editable mode with its test extras (pytest, playwright, jupyterlab, notebook, ...)
#   - the npm packages of js/, then rebuilds the JS bundle into nbdemo/static/
# In CI (CI=true) a bundle that differs from the committed one fails the run.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k server`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "== installing Debian's chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== installing nbdemo and the test dependencies"
python3 -m pip install -q --disable-pip-version-check -e ".[test]"

echo "== building the JS bundle"
(cd js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
if ! git diff --quiet -- nbdemo/static 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "The committed bundle in nbdemo/static/ is stale: run 'cd js && npm run build' and commit it." >&2
    git diff --stat -- nbdemo/static >&2
    exit 1
  fi
  echo "note: js/ was rebuilt and nbdemo/static/ changed; commit the new bundle."
fi

echo "== JS unit tests"
(cd js && npm test --silent)

echo "== lint"
python3 -m ruff check nbdemo tests benchmarks

echo "== tests"
python3 -m pytest "$@"
