#!/usr/bin/env bash
# Prints the path of the Temporal CLI (`cli`) or the time-skipping test server (`test-server`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-cli}" in
  cli)
    if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then echo "$TEMPORAL_CLI_PATH"
    elif [ -x "$root/.venv/bin/temporal" ]; then echo "$root/.venv/bin/temporal"
    else command -v temporal; fi ;;
  test-server)
    if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then echo "$TEMPORAL_TEST_SERVER_PATH"
    else echo "$root/.venv/bin/temporal-test-server"; fi ;;
esac
