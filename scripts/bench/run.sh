#!/usr/bin/env bash
# yarn bench [mlflow] [argo]: latency and upstream-call counts of the backend's routes against
# seeded real services, as ratios to calling the upstream directly. Not a test: it reports
# figures. Without arguments, both.
#   mlflow: one experiment of BENCH_RUNS runs x BENCH_METRICS metrics (default 10,000 x 20).
#   argo:   BENCH_WORKFLOWS Argo Workflows in one namespace of the real API server (default 2,000).
# Results: artifacts/bench/{mlflow,argo}-results.json and a table per bench on stdout.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
out="$MLSTACK_ROOT/artifacts/bench"
mkdir -p "$out"
benches=("$@")
[[ ${#benches[@]} -gt 0 ]] || benches=(mlflow argo)
for b in "${benches[@]}"; do
  [[ $b == mlflow || $b == argo ]] || die "unknown bench '$b' (known: mlflow, argo)"
done

bash scripts/harness/harness.sh up s3 mlflow kube >/dev/null
harness_dir="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
set -a; source "$harness_dir/harness.env"; set +a

# Config and catalog of the bench backend; each bench adds its part.
bench_config="$out/app-config.bench.yaml"
bench_catalog="$out/catalog-bench.yaml"
cat >"$bench_config" <<CFG
catalog:
  locations:
    - type: file
      target: $bench_catalog
CFG
: >"$bench_catalog"
pids=()
cleanup() {
  stop_test_backend
  [[ ${#pids[@]} -eq 0 ]] || kill "${pids[@]}" 2>/dev/null || true
}
trap cleanup EXIT

prepare_mlflow() {
  local runs="${BENCH_RUNS:-10000}" metrics="${BENCH_METRICS:-20}"
  log "seeding MLflow: $runs runs x $metrics metrics (skipped when already there)"
  mlflow_experiment_id="$("$MLSTACK_TOOLS/venv/bin/python" scripts/bench/seed_bench_runs.py \
    2>"$out/seed-mlflow.log" --tracking-uri "$MLFLOW_TRACKING_URI" --runs "$runs" --metrics "$metrics")"
  # The backend reaches MLflow through a counting proxy, so the bench can report how many
  # upstream calls each page load costs; the direct calls go through the same proxy.
  mlflow_proxy_port="$(free_port)"
  node scripts/bench/counting-proxy.mjs "$mlflow_proxy_port" "$MLFLOW_TRACKING_URI" \
    "$out/proxy-stats.json" &
  pids+=($!)
  cat >>"$bench_config" <<CFG
mlops:
  mlflow:
    instances:
      - name: bench
        baseUrl: http://127.0.0.1:$mlflow_proxy_port
CFG
  cat >>"$bench_catalog" <<CFG
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-project
  annotations:
    mlflow.org/experiment-name: bench-10k
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG
}

argo_selector=app.kubernetes.io/part-of=bench-project
prepare_argo() {
  local workflows="${BENCH_WORKFLOWS:-2000}"
  log "seeding the API server: $workflows Argo Workflows (skipped when already there)"
  node scripts/bench/seed_argo_workflows.mjs --kubeconfig "$KUBECONFIG" \
    --namespace bench-argo --count "$workflows" --label "$argo_selector" >"$out/seed-argo.log"
  # mlops.kubernetes is one block; a bench run with mlflow adds it under the same mlops key.
  grep -q '^mlops:' "$bench_config" || echo 'mlops:' >>"$bench_config"
  cat >>"$bench_config" <<CFG
  kubernetes:
    clusters:
      - name: bench
        url: $MLSTACK_KUBE_SERVER
        serviceAccountToken: \${MLSTACK_BENCH_KUBE_TOKEN}
        caData: $(base64 -w0 "$harness_dir/pki/ca.crt")
CFG
  MLSTACK_BENCH_KUBE_TOKEN="$(node -e 'console.log(require(process.argv[1]).kube.adminToken)' "$harness_dir/harness.json")"
  export MLSTACK_BENCH_KUBE_TOKEN
  cat >>"$bench_catalog" <<CFG
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-argo-project
  annotations:
    argoworkflows.argoproj.io/workflow-selector: $argo_selector
    backstage.io/kubernetes-namespace: bench-argo
    mlstack.io/kubernetes-cluster: bench
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG
}

for b in "${benches[@]}"; do "prepare_$b"; done
port="$(free_port)"
start_test_backend "$port" "$out" "$bench_config"

for b in "${benches[@]}"; do
  case "$b" in
    mlflow)
      node scripts/bench/mlflow-runs.mjs \
        --backend "http://127.0.0.1:$port" --proxy "http://127.0.0.1:$mlflow_proxy_port" \
        --experiment-id "$mlflow_experiment_id" --runs "${BENCH_RUNS:-10000}" \
        --out "$out/mlflow-results.json"
      ;;
    argo)
      node scripts/bench/argo-workflows.mjs \
        --backend "http://127.0.0.1:$port" --server "$MLSTACK_KUBE_SERVER" \
        --token "$MLSTACK_BENCH_KUBE_TOKEN" --ca "$harness_dir/pki/ca.crt" \
        --namespace bench-argo --selector "$argo_selector" \
        --workflows "${BENCH_WORKFLOWS:-2000}" --out "$out/argo-results.json"
      ;;
  esac
done
