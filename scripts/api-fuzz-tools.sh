#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI property-based tester run by test/openapi-fuzz.e2e-spec.ts),
# pinned, into the git-ignored project venv. Prints nothing on success.
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.venv
if [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then exit 0; fi
[ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
echo "installing schemathesis==$SCHEMATHESIS_VERSION into $VENV" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
[ -x "$VENV/bin/schemathesis" ] || { echo "failed to install schemathesis into $VENV" >&2; exit 1; }
