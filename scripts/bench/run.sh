#!/usr/bin/env bash
# yarn bench [mlflow] [argo] [deploy] [lineage] [catalog-models]: latency and upstream-call
# counts of the backend's routes against seeded real services, as ratios to calling the
# upstream directly. Not a test: it reports figures. Without arguments, mlflow, argo and deploy.
#   mlflow: one experiment of BENCH_RUNS runs x BENCH_METRICS metrics (default 10,000 x 20).
#   argo:   BENCH_WORKFLOWS Argo Workflows in one namespace of the real API server (default 2,000).
#   deploy: the deploy dialog's preview (resolve version, flavor, dry run) of a seeded model
#           version, with MLflow and the API server each behind a counting proxy.
#   lineage: the lineage of a model of BENCH_LINEAGE_VERSIONS versions (default 200) served by
#           20 InferenceServices, with MLflow and the API server each behind a counting proxy.
#   catalog-models: the catalog's model provider's full pass over BENCH_CATALOG_MODELS registered
#           models (default 1,000), each claimed by one of as many Components (20 of them with
#           an InferenceService), run BENCH_CATALOG_PASSES times (default 5) by the provider's
#           own code against the bench backend's catalog, MLflow and the API server each behind
#           a counting proxy; exits 1 when a pass exceeds the schedule timeout of app-config.yaml.
# Results: artifacts/bench/{mlflow,argo,deploy,lineage,catalog-models}-results.json and a table
# per bench on stdout.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
# The benches and their seeders are TypeScript (packages/harness/src/bench), run by Backstage's
# on-the-fly transpiler.
ts_node=(node --require @backstage/cli/config/nodeTransform.cjs)
bench_src=packages/harness/src/bench
out="$MLSTACK_ROOT/artifacts/bench"
mkdir -p "$out"
benches=("$@")
[[ ${#benches[@]} -gt 0 ]] || benches=(mlflow argo deploy)
for b in "${benches[@]}"; do
  [[ $b == mlflow || $b == argo || $b == deploy || $b == lineage || $b == catalog-models ]] ||
    die "unknown bench '$b' (known: mlflow, argo, deploy, lineage, catalog-models)"
done

bash scripts/harness/harness.sh up s3 mlflow kube >/dev/null
harness_dir="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
set -a; source "$harness_dir/harness.env"; set +a

# Config and catalog of the bench backend; each bench adds its part (its mlops lists to these
# variables, written as one mlops block once every bench is prepared). The org (users, groups)
# is loaded as in app-config.yaml, so the guest signs in as user:default/guest of ml-team.
bench_config="$out/app-config.bench.yaml"
bench_catalog="$out/catalog-bench.yaml"
cat >"$bench_config" <<CFG
catalog:
  locations:
    - type: file
      target: $bench_catalog
    - type: file
      target: $MLSTACK_ROOT/examples/org.yaml
      rules: [{ allow: [User, Group] }]
CFG
: >"$bench_catalog"
mlflow_instances='' kube_clusters='' deploy_targets='' extra_config=''
MLSTACK_BENCH_KUBE_TOKEN="$(node -e 'console.log(require(process.argv[1]).kube.adminToken)' "$harness_dir/harness.json")"
export MLSTACK_BENCH_KUBE_TOKEN
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
  "${ts_node[@]}" "$bench_src/countingProxy.ts" "$mlflow_proxy_port" "$MLFLOW_TRACKING_URI" \
    "$out/proxy-stats.json" &
  pids+=($!)
  mlflow_instances+="      - { name: bench, baseUrl: 'http://127.0.0.1:$mlflow_proxy_port' }"$'\n'
  cat >>"$bench_catalog" <<CFG
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-project
  annotations:
    mlflow.org/experiment-name: bench-10k
    mlflow.org/instance: bench
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG
}

argo_selector=app.kubernetes.io/part-of=bench-project
prepare_argo() {
  local workflows="${BENCH_WORKFLOWS:-2000}"
  log "seeding the API server: $workflows Argo Workflows (skipped when already there)"
  "${ts_node[@]}" "$bench_src/seedArgoWorkflows.ts" --kubeconfig "$KUBECONFIG" \
    --namespace bench-argo --count "$workflows" --label "$argo_selector" >"$out/seed-argo.log"
  # The backend serves an entity only the namespaces its owner owns.
  "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$KUBECONFIG" annotate --overwrite namespace bench-argo \
    mlstack.io/owner=group:default/ml-team >/dev/null
  kube_clusters+="      - { name: bench, url: '$MLSTACK_KUBE_SERVER', serviceAccountToken: '\${MLSTACK_BENCH_KUBE_TOKEN}', caData: $(base64 -w0 "$harness_dir/pki/ca.crt") }"$'\n'
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

deploy_ns=bench-deploy
deploy_model=bench-deploy-fraud-detector
prepare_deploy() {
  log "seeding MLflow: model $deploy_model v1..3 (skipped when already there)"
  "$MLSTACK_TOOLS/venv/bin/python" scripts/harness/seed_mlflow.py --tracking-uri "$MLFLOW_TRACKING_URI" \
    --prefix bench-deploy- --if-missing >"$out/seed-deploy.json" 2>"$out/seed-deploy.log"
  "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$KUBECONFIG" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: { name: $deploy_ns, annotations: { mlstack.io/owner: group:default/ml-team } }
YAML
  # MLflow and the API server (plain HTTP in front of its TLS) each behind a counting proxy of
  # their own; the direct calls go through the same proxies.
  deploy_mlflow_port="$(free_port)" deploy_kube_port="$(free_port)"
  "${ts_node[@]}" "$bench_src/countingProxy.ts" "$deploy_mlflow_port" "$MLFLOW_TRACKING_URI" &
  pids+=($!)
  NODE_EXTRA_CA_CERTS="$harness_dir/pki/ca.crt" \
    "${ts_node[@]}" "$bench_src/countingProxy.ts" "$deploy_kube_port" "$MLSTACK_KUBE_SERVER" &
  pids+=($!)
  mlflow_instances+="      - { name: bench-deploy, baseUrl: 'http://127.0.0.1:$deploy_mlflow_port', artifactsDestination: 's3://mlflow-artifacts' }"$'\n'
  kube_clusters+="      - { name: bench-deploy, url: 'http://127.0.0.1:$deploy_kube_port', skipTLSVerify: true, serviceAccountToken: '\${MLSTACK_BENCH_KUBE_TOKEN}' }"$'\n'
  deploy_targets+="      - { cluster: bench-deploy, namespaces: [$deploy_ns], modes: [Standard] }"$'\n'
  cat >>"$bench_catalog" <<CFG
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-deploy-project
  annotations:
    backstage.io/kubernetes-namespace: $deploy_ns
    mlstack.io/kubernetes-cluster: bench-deploy
    mlflow.org/instance: bench-deploy
    mlflow.org/experiment-name: $deploy_model
    mlflow.org/registered-model-name: $deploy_model
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG
}

lineage_ns=bench-lineage
lineage_model=bench-lineage
lineage_selector=app.kubernetes.io/part-of=bench-lineage-project
prepare_lineage() {
  local versions="${BENCH_LINEAGE_VERSIONS:-200}" seeded
  log "seeding MLflow: model $lineage_model of $versions versions, each with a run (skipped when already there)"
  seeded="$("$MLSTACK_TOOLS/venv/bin/python" scripts/bench/seed_lineage.py 2>"$out/seed-lineage.log" \
    --tracking-uri "$MLFLOW_TRACKING_URI" --name "$lineage_model" --versions "$versions")"
  lineage_experiment_id="$(node -e 'console.log(JSON.parse(process.argv[1]).experimentId)' "$seeded")"
  log "applying the lineage's namespace, workflows and 20 InferenceServices"
  "${ts_node[@]}" "$bench_src/lineageObjects.ts" --namespace "$lineage_ns" --label "$lineage_selector" \
    --instance bench-lineage --model "$lineage_model" --versions "$versions" \
    --workflows "$(node -e 'console.log(JSON.stringify(JSON.parse(process.argv[1]).workflows))' "$seeded")" |
    "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$KUBECONFIG" apply -f - >"$out/seed-lineage-kube.log"
  lineage_mlflow_port="$(free_port)" lineage_kube_port="$(free_port)"
  "${ts_node[@]}" "$bench_src/countingProxy.ts" "$lineage_mlflow_port" "$MLFLOW_TRACKING_URI" &
  pids+=($!)
  NODE_EXTRA_CA_CERTS="$harness_dir/pki/ca.crt" \
    "${ts_node[@]}" "$bench_src/countingProxy.ts" "$lineage_kube_port" "$MLSTACK_KUBE_SERVER" &
  pids+=($!)
  mlflow_instances+="      - { name: bench-lineage, baseUrl: 'http://127.0.0.1:$lineage_mlflow_port' }"$'\n'
  kube_clusters+="      - { name: bench-lineage, url: 'http://127.0.0.1:$lineage_kube_port', skipTLSVerify: true, serviceAccountToken: '\${MLSTACK_BENCH_KUBE_TOKEN}' }"$'\n'
  cat >>"$bench_catalog" <<CFG
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bench-lineage-project
  annotations:
    backstage.io/kubernetes-namespace: $lineage_ns
    mlstack.io/kubernetes-cluster: bench-lineage
    argoworkflows.argoproj.io/workflow-selector: $lineage_selector
    mlstack.io/kserve-selector: $lineage_selector
    mlflow.org/instance: bench-lineage
    mlflow.org/experiment-name: $lineage_model
    mlflow.org/registered-model-name: $lineage_model
spec: { type: ml-project, lifecycle: experimental, owner: group:default/ml-team }
CFG
}

catalog_models_ns=bench-catalog-models
catalog_models_instance=bench-models
catalog_models_services=20
prepare_catalog-models() {
  local models="${BENCH_CATALOG_MODELS:-1000}"
  log "seeding MLflow: $models registered models tagged for ml-team (skipped when already there)"
  "$MLSTACK_TOOLS/venv/bin/python" scripts/bench/seed_catalog_models.py 2>"$out/seed-catalog-models.log" \
    --tracking-uri "$MLFLOW_TRACKING_URI" --prefix bench-model- --count "$models" \
    >"$out/seed-catalog-models.json"
  log "applying the namespace and $catalog_models_services InferenceServices of $models claiming Components"
  # Those of an earlier run with another BENCH_CATALOG_MODELS may serve other claimers: replaced.
  "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$KUBECONFIG" delete inferenceservices --all \
    --namespace "$catalog_models_ns" --ignore-not-found >/dev/null
  "${ts_node[@]}" "$bench_src/catalogModelsObjects.ts" --what kube --claimers "$models" \
    --services "$catalog_models_services" \
    --namespace "$catalog_models_ns" --instance "$catalog_models_instance" |
    "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$KUBECONFIG" apply -f - >"$out/seed-catalog-models-kube.log"
  "${ts_node[@]}" "$bench_src/catalogModelsObjects.ts" --what catalog --claimers "$models" \
    --namespace "$catalog_models_ns" --instance "$catalog_models_instance" \
    --cluster "$catalog_models_instance" >>"$bench_catalog"
  catalog_models_mlflow_port="$(free_port)" catalog_models_kube_port="$(free_port)"
  "${ts_node[@]}" "$bench_src/countingProxy.ts" "$catalog_models_mlflow_port" "$MLFLOW_TRACKING_URI" &
  pids+=($!)
  NODE_EXTRA_CA_CERTS="$harness_dir/pki/ca.crt" \
    "${ts_node[@]}" "$bench_src/countingProxy.ts" "$catalog_models_kube_port" "$MLSTACK_KUBE_SERVER" &
  pids+=($!)
  # The bench runs the provider's passes itself; the backend's own provider (app-config.yaml
  # runs it every minute) would read the same MLflow and API server meanwhile. The bench
  # reads the catalog as a service, with a static token of this run.
  MLSTACK_BENCH_CATALOG_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  export MLSTACK_BENCH_CATALOG_TOKEN
  extra_config+=$'backend:\n  auth:\n    externalAccess:\n'
  extra_config+=$'      - { type: static, options: { token: \'${MLSTACK_BENCH_CATALOG_TOKEN}\', subject: bench-catalog-models } }\n'
  extra_config+=$'catalog:\n  providers:\n    mlstackModels: { enabled: false }\n'
}

for b in "${benches[@]}"; do "prepare_$b"; done
{
  echo 'mlops:'
  [[ -z $mlflow_instances ]] || printf '  mlflow:\n    instances:\n%s' "$mlflow_instances"
  [[ -z $kube_clusters ]] || printf '  kubernetes:\n    clusters:\n%s' "$kube_clusters"
  [[ -z $deploy_targets ]] || printf '  deploy:\n    targets:\n%s' "$deploy_targets"
} >>"$bench_config"
configs=("$bench_config")
if [[ -n $extra_config ]]; then
  printf '%s' "$extra_config" >"$out/app-config.bench-extra.yaml"
  configs+=("$out/app-config.bench-extra.yaml")
fi
port="$(free_port)"
start_test_backend "$port" "$out" "${configs[@]}"

for b in "${benches[@]}"; do
  case "$b" in
    mlflow)
      "${ts_node[@]}" "$bench_src/mlflowRuns.ts" \
        --backend "http://127.0.0.1:$port" --proxy "http://127.0.0.1:$mlflow_proxy_port" \
        --experiment-id "$mlflow_experiment_id" --runs "${BENCH_RUNS:-10000}" \
        --out "$out/mlflow-results.json"
      ;;
    argo)
      "${ts_node[@]}" "$bench_src/argoWorkflows.ts" \
        --backend "http://127.0.0.1:$port" --server "$MLSTACK_KUBE_SERVER" \
        --token "$MLSTACK_BENCH_KUBE_TOKEN" --ca "$harness_dir/pki/ca.crt" \
        --namespace bench-argo --selector "$argo_selector" \
        --workflows "${BENCH_WORKFLOWS:-2000}" --out "$out/argo-results.json"
      ;;
    deploy)
      "${ts_node[@]}" "$bench_src/deployPreview.ts" \
        --backend "http://127.0.0.1:$port" --mlflow "http://127.0.0.1:$deploy_mlflow_port" \
        --kube "http://127.0.0.1:$deploy_kube_port" --token "$MLSTACK_BENCH_KUBE_TOKEN" \
        --cluster bench-deploy --namespace "$deploy_ns" --model "$deploy_model" \
        --out "$out/deploy-results.json"
      ;;
    lineage)
      "${ts_node[@]}" "$bench_src/lineage.ts" \
        --backend "http://127.0.0.1:$port" --mlflow "http://127.0.0.1:$lineage_mlflow_port" \
        --kube "http://127.0.0.1:$lineage_kube_port" --token "$MLSTACK_BENCH_KUBE_TOKEN" \
        --namespace "$lineage_ns" --selector "$lineage_selector" --model "$lineage_model" \
        --experiment-id "$lineage_experiment_id" --out "$out/lineage-results.json"
      ;;
    catalog-models)
      "${ts_node[@]}" --expose-gc "$bench_src/catalogModels.ts" \
        --backend "http://127.0.0.1:$port" --catalog-token "$MLSTACK_BENCH_CATALOG_TOKEN" \
        --mlflow "http://127.0.0.1:$catalog_models_mlflow_port" \
        --kube "http://127.0.0.1:$catalog_models_kube_port" --kube-token "$MLSTACK_BENCH_KUBE_TOKEN" \
        --instance "$catalog_models_instance" --cluster "$catalog_models_instance" \
        --claimers "${BENCH_CATALOG_MODELS:-1000}" --services "$catalog_models_services" \
        --passes "${BENCH_CATALOG_PASSES:-5}" \
        --app-config app-config.yaml --out "$out/catalog-models-results.json"
      ;;
  esac
done
