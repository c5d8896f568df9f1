#!/usr/bin/env bash
# The browser test: builds the app, serves it from the backend on a free loopback port with
# the embedded defaults, and drives it with playwright-core in Debian's Chromium.
# Screenshots and the report go to artifacts/ (git-ignored).
source "$(dirname "$0")/lib.sh"
use_project_node
cd "$MLSTACK_ROOT"
need chromium "Debian package chromium (scripts/bootstrap/debian.sh)"

port="${MLSTACK_E2E_PORT:-$(free_port)}"
port_taken "$port" && die "port $port (MLSTACK_E2E_PORT) is already in use"
out="$MLSTACK_ROOT/artifacts/e2e"
mkdir -p "$out"
cfg="$out/app-config.e2e.yaml"
cat >"$cfg" <<CFG
app:
  baseUrl: http://127.0.0.1:$port
backend:
  baseUrl: http://127.0.0.1:$port
  listen: { port: $port, host: 127.0.0.1 }
  cors: { origin: http://127.0.0.1:$port }
CFG

log "building the app bundle"
yarn workspace app build --config ../../app-config.yaml --config "$cfg" >"$out/app-build.log" 2>&1 \
  || { tail -n 30 "$out/app-build.log" >&2; die "the app build failed (log: $out/app-build.log)"; }

log "starting the backend on 127.0.0.1:$port"
(cd packages/backend && setsid yarn start --config ../../app-config.yaml --config "$cfg" \
  >"$out/backend.log" 2>&1 </dev/null) &
backend_pid=$!
stop_backend() { kill -TERM -- "-$backend_pid" 2>/dev/null || kill -TERM "$backend_pid" 2>/dev/null || true; wait "$backend_pid" 2>/dev/null || true; }
trap stop_backend EXIT
if ! wait_for backend "http://127.0.0.1:$port/.backstage/health/v1/readiness" 180 "$backend_pid"; then
  tail -n 40 "$out/backend.log" >&2
  die "the backend did not become ready on port $port (log: $out/backend.log)"
fi

PORTAL_URL="http://127.0.0.1:$port" E2E_ARTIFACTS="$out" yarn playwright test
