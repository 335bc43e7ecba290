#!/usr/bin/env bash
# `make start`: Temporal dev server (unless TEMPORAL_ADDRESS names one), Postgres migrated and
# seeded, then worker and API. Ctrl-C stops everything this script started, cleanly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p .data/logs
export API_PORT="${API_PORT:-3000}"
export LOG_FORMAT="${LOG_FORMAT:-text}"
pids=()

stopping=0
stop() {
  stopping=1
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped."
}
trap stop INT TERM EXIT

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  export TEMPORAL_ADDRESS="127.0.0.1:${TEMPORAL_PORT:-7233}"
  if port_open 127.0.0.1 "${TEMPORAL_PORT:-7233}"; then
    echo "Temporal already listening on $TEMPORAL_ADDRESS: using it"
  else
    echo "starting Temporal dev server (log: .data/logs/temporal.log)"
    bash scripts/dev-server.sh > .data/logs/temporal.log 2>&1 &
    pids+=($!)
    for _ in $(seq 1 120); do port_open 127.0.0.1 "${TEMPORAL_PORT:-7233}" && break; sleep 0.5; done
    port_open 127.0.0.1 "${TEMPORAL_PORT:-7233}" || { echo "Temporal did not start; see .data/logs/temporal.log"; exit 1; }
  fi
  temporal_ui="http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}"
else
  echo "using Temporal at $TEMPORAL_ADDRESS"
  temporal_ui="(your cluster's UI)"
fi

# Local mail catcher (maildev, from npm): CTAP's e-mails land in its web inbox, never in real mailboxes.
# SMTP_URL set by the caller (a real relay) wins, and then no catcher is started.
if [ -z "${SMTP_URL:-}" ]; then
  smtp_port="${MAILDEV_SMTP_PORT:-1025}"
  web_port="${MAILDEV_WEB_PORT:-1080}"
  if port_open 127.0.0.1 "$smtp_port"; then
    echo "SMTP already listening on 127.0.0.1:$smtp_port: using it"
  else
    echo "starting maildev (SMTP :$smtp_port, inbox :$web_port; log: .data/logs/maildev.log)"
    node_modules/.bin/maildev --smtp "$smtp_port" --web "$web_port" --ip 127.0.0.1 --web-ip 127.0.0.1 \
      > .data/logs/maildev.log 2>&1 &
    pids+=($!)
    for _ in $(seq 1 60); do port_open 127.0.0.1 "$smtp_port" && break; sleep 0.5; done
  fi
  export SMTP_URL="smtp://127.0.0.1:$smtp_port"
  mail_inbox="http://127.0.0.1:$web_port"
else
  mail_inbox="(your SMTP relay: $SMTP_URL)"
fi
export MAIL_FROM="${MAIL_FROM:-CTAP <no-reply@ctap.local>}"
# Development: webhooks may target a receiver on this machine. Production leaves this unset
# (false): webhooks then reach public addresses only (docs/OPERATIONS.md).
export WEBHOOK_ALLOW_PRIVATE_TARGETS="${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}"

npm run -s db:migrate
npm run -s db:seed
bash scripts/build-web.sh

echo "starting worker (log: .data/logs/worker.log) and API (log: .data/logs/api.log)"
node -r ./scripts/register.js apps/worker/src/main.ts > .data/logs/worker.log 2>&1 &
pids+=($!)
node -r ./scripts/register.js apps/api/src/main.ts > .data/logs/api.log 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health" || true)
  [ "$code" = 200 ] && break
  sleep 0.5
done

if [ "$code" = 200 ] && [ "${CTAP_SKIP_DEMO:-0}" != 1 ]; then
  # First start on an empty database: fill it with the demo, through the real API and workflows.
  npm run -s demo -- --if-empty || echo "demo failed; see above (the system itself is running)"
fi

cat <<MSG

CTAP is running.
  Application  http://127.0.0.1:$API_PORT/
  API          http://127.0.0.1:$API_PORT/api/v1
  OpenAPI      http://127.0.0.1:$API_PORT/api/openapi.json
  API docs     http://127.0.0.1:$API_PORT/api/docs
  Health       http://127.0.0.1:$API_PORT/health   (HTTP $code)
  Temporal UI  $temporal_ui
  Mail inbox   $mail_inbox
Logs in .data/logs/. Press Ctrl-C to stop.
MSG

# Stay up while the children run; if one dies, stop the rest.
wait -n "${pids[@]}" || true
# On Ctrl-C the terminal signals the children too, and one may exit before this shell runs its
# trap: a moment's grace lets the trap say "stopping..." instead of blaming a component.
sleep 0.5
[ "$stopping" = 1 ] || echo "a component exited; see .data/logs/"
