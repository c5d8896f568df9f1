# Starting the portal's backend for tests and benchmarks. Source after lib.sh.

# start_test_backend PORT OUT_DIR [EXTRA_CONFIG...] — serve the backend (and the built app, if
# any) on 127.0.0.1:PORT with the embedded defaults plus the given config files; sets
# BACKEND_PID and waits until readiness answers 200. Logs to OUT_DIR/backend.log.
start_test_backend() {
  local port="$1" out="$2"
  shift 2
  local cfg="$out/app-config.port.yaml" args=(--config ../../app-config.yaml)
  mkdir -p "$out"
  cat >"$cfg" <<CFG
app:
  baseUrl: http://127.0.0.1:$port
backend:
  baseUrl: http://127.0.0.1:$port
  listen: { port: $port, host: 127.0.0.1 }
  cors: { origin: http://127.0.0.1:$port }
CFG
  args+=(--config "$cfg")
  for extra in "$@"; do args+=(--config "$extra"); done
  # exec, so setsid runs in the background job's own process and makes it the leader of a new
  # process group whose id is BACKEND_PID: stop_test_backend then stops yarn and its children.
  (cd "$MLSTACK_ROOT/packages/backend" && exec setsid yarn start "${args[@]}" \
    >"$out/backend.log" 2>&1 </dev/null) &
  BACKEND_PID=$!
  local ready=0
  for _ in $(seq 1 180); do
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/.backstage/health/v1/readiness" 2>/dev/null; then
      ready=1; break
    fi
    # The dev backend keeps its process alive after a failed start: read its verdict instead.
    if ! kill -0 "$BACKEND_PID" 2>/dev/null || grep -q 'Backend startup failed' "$out/backend.log"; then break; fi
    sleep 1
  done
  if [ "$ready" != 1 ]; then
    grep -v 'health/v1/readiness' "$out/backend.log" | tail -n 40 >&2
    stop_test_backend
    die "the backend did not become ready on port $port (log: $out/backend.log)"
  fi
}

stop_test_backend() {
  [ -n "${BACKEND_PID:-}" ] || return 0
  kill -TERM -- "-$BACKEND_PID" 2>/dev/null || kill -TERM "$BACKEND_PID" 2>/dev/null || true
  wait "$BACKEND_PID" 2>/dev/null || true
  BACKEND_PID=
}

# build_app_bundle LOG — packages/app/dist (what start_test_backend serves), built with
# app-config.yaml unless what it is built from is unchanged since the last build (the app's and
# its plugins' files, the root config, yarn.lock; the runtime config is injected when served).
build_app_bundle() {
  local logf="$1" sum stamp="$MLSTACK_ROOT/packages/app/dist/.mlstack-build.sha256"
  local files
  # (no Git checkout, or git refusing it: no cache, always built)
  files="$(cd "$MLSTACK_ROOT" && git ls-files --cached --others --exclude-standard -- \
    packages/app plugins/mlops plugins/mlops-common app-config.yaml yarn.lock package.json \
    tsconfig.json backstage.json .yarnrc.yml 2>/dev/null | grep -vE '^packages/app/e2e-' | sort -u)" || files=""
  sum=""
  if [ -n "$files" ]; then
    sum="$(cd "$MLSTACK_ROOT" && xargs -r -d '\n' sha256sum <<<"$files" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  fi
  if [ -n "$sum" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    log "the app bundle is up to date (packages/app/dist)"
    return 0
  fi
  rm -f "$stamp"
  (cd "$MLSTACK_ROOT" && yarn workspace app build --config ../../app-config.yaml) >"$logf" 2>&1 || return 1
  [ -z "$sum" ] || printf '%s' "$sum" >"$stamp"
}
