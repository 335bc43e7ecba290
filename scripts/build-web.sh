#!/usr/bin/env bash
# Builds the web application (apps/web/dist) when it is missing or older than its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=apps/web/dist/index.html
if [ -f "$stamp" ] && [ -z "$(find apps/web/src apps/web/index.html apps/web/vite.config.ts package-lock.json -newer "$stamp" -print -quit)" ]; then
  echo "web application up to date (apps/web/dist)"
  exit 0
fi
echo "building the web application (apps/web/dist)"
npm run -s build:web
