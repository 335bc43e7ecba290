#!/usr/bin/env bash
# Runs the Temporal dev server in the foreground with a persistent SQLite store in WAL mode
# (a restart keeps running workflows; WAL avoids an fsync per write) and CTAP's search attributes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$("$root/scripts/temporal-path.sh" cli)"
data="${TEMPORAL_DATA_DIR:-$root/.data/temporal}"
mkdir -p "$data"
port="${TEMPORAL_PORT:-7233}"
ui_port="${TEMPORAL_UI_PORT:-8233}"
exec "$cli" server start-dev \
  --ip 127.0.0.1 --port "$port" --ui-port "$ui_port" \
  --db-filename "$data/dev.sqlite" \
  --sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=NORMAL \
  --namespace "${TEMPORAL_NAMESPACE:-default}" \
  --search-attribute CtapStage=Keyword \
  --search-attribute CtapMemberState=Keyword \
  --search-attribute CtapRegion=Keyword \
  --search-attribute CtapThematicAreas=KeywordList \
  --search-attribute CtapOverdue=Bool \
  --log-level warn
