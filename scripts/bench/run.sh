#!/usr/bin/env bash
# yarn bench: latency and upstream-call counts of the backend's routes against seeded real
# services, as ratios to calling the upstream directly. Not a test: it reports figures.
#   MLflow: one experiment of BENCH_RUNS runs x BENCH_METRICS metrics (default 10,000 x 20).
# Results: artifacts/bench/results.json and a table on stdout.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
out="$MLSTACK_ROOT/artifacts/bench"
mkdir -p "$out"

bash scripts/harness/harness.sh up s3 mlflow >/dev/null
set -a; source "${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}/harness.env"; set +a

runs="${BENCH_RUNS:-10000}"
metrics="${BENCH_METRICS:-20}"
log "seeding MLflow: $runs runs x $metrics metrics (skipped when already there)"
experiment_id="$("$MLSTACK_TOOLS/venv/bin/python" scripts/bench/seed_bench_runs.py 2>"$out/seed.log" \
  --tracking-uri "$MLFLOW_TRACKING_URI" --runs "$runs" --metrics "$metrics")"

# The backend reaches MLflow through a counting proxy, so the bench can report how many
# upstream calls each page load costs; the direct calls go through the same proxy.
proxy_port="$(free_port)"
port="$(free_port)"
cat >"$out/app-config.bench.yaml" <<CFG
mlops:
  mlflow:
    instances:
      - name: bench
        baseUrl: http://127.0.0.1:$proxy_port
catalog:
  locations:
    - type: file
      target: $out/catalog-bench.yaml
CFG
cat >"$out/catalog-bench.yaml" <<CFG
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-project
  annotations:
    mlflow.org/experiment-name: bench-10k
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG

node scripts/bench/counting-proxy.mjs "$proxy_port" "$MLFLOW_TRACKING_URI" "$out/proxy-stats.json" &
proxy_pid=$!
cleanup() { stop_test_backend; kill "$proxy_pid" 2>/dev/null || true; }
trap cleanup EXIT
start_test_backend "$port" "$out" "$out/app-config.bench.yaml"

node scripts/bench/mlflow-runs.mjs \
  --backend "http://127.0.0.1:$port" --proxy "http://127.0.0.1:$proxy_port" \
  --experiment-id "$experiment_id" --runs "$runs" --out "$out/results.json"
