#!/usr/bin/env bash
# `make demo` with Node.js: the CMS (runserver), its webhook worker and the reference
# frontend (next start), together in one terminal; Ctrl-C stops all three. The frontend must
# be built first (make frontend-build); the Makefile does that.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
FRONTEND_PORT=${FRONTEND_PORT:-3000}
CMS="http://$HOST:$PORT"
SITE="http://$HOST:$FRONTEND_PORT"

# The CMS: "View live" and previews open the frontend; webhooks may go to this machine.
export FRONTEND_URL="$SITE"
export WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=true

pids=()
stop() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

.venv/bin/python manage.py run_worker \
  > >(sed -u 's/^/[webhooks] /') 2>&1 &
pids+=($!)

(
  cd frontend
  export CMS_URL="$CMS" PUBLIC_CMS_URL="$CMS" SITE_URL="$SITE"
  export CMS_WEBHOOK_SECRET="${DEMO_WEBHOOK_SECRET:?}"
  exec ./node_modules/.bin/next start -H "$HOST" -p "$FRONTEND_PORT"
) > >(sed -u 's/^/[frontend] /') 2>&1 &
pids+=($!)

echo "Admin: $CMS/admin/   GraphQL: $CMS/graphql/   Site: $SITE/"
.venv/bin/python manage.py runserver "$HOST:$PORT"
