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
ready=0
for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/.backstage/health/v1/readiness" 2>/dev/null; then
    ready=1; break
  fi
  # The dev backend keeps its process alive after a failed start: read its verdict instead.
  if ! kill -0 "$backend_pid" 2>/dev/null || grep -q 'Backend startup failed' "$out/backend.log"; then break; fi
  sleep 1
done
if [ "$ready" != 1 ]; then
  grep -v 'health/v1/readiness' "$out/backend.log" | tail -n 40 >&2
  die "the backend did not become ready on port $port (log: $out/backend.log)"
fi

PORTAL_URL="http://127.0.0.1:$port" E2E_ARTIFACTS="$out" yarn playwright test
