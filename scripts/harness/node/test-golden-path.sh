#!/usr/bin/env bash
# The golden path for real (issue #13), through the portal, in a harness of its own:
#   1. `harness.sh up s3 mlflow git kube node argo kserve`: MinIO, MLflow, Gitea, the API server,
#      the real node, Argo's controller and KServe's (with its model server images)
#   2. the portal's backend (app-config.yaml + this harness; S3's in-cluster endpoint is the
#      pods' address of MinIO), guest signed in (a member of ml-team)
#   3. the ml-project template as a real task (golden_path.py task): it completes and links the
#      repository it published to Gitea and the entity it registered (what each of its steps
#      makes is checked in detail by scripts/template/test-template.sh; here the next steps use it)
#   4. the published repository cloned from Gitea and its own Dockerfile built (build-image.sh)
#      under the name its WorkflowTemplate runs, imported into the node's containerd
#   5. the pipeline submitted from the Pipelines route and followed there (golden_path.py
#      pipeline): pull-data (DVC), train (MLflow runs, through the MLflow forwarder), select-and-
#      register (a model version, the champion alias), deploy (the InferenceService applied by
#      the deployer's ServiceAccount, done when KServe reports the model Loaded), each a real
#      pod, each step's logs read through the portal; then the Serving route shows the service
#   6. a V2 inference request to the predictor (at its pod's address: no kube-proxy) classifies
#      an ordinary purchase as 0 and a blatant fraud as 1
#   7. `harness.sh down`
# Needs root. Prints each step's time. Only one node runs on a machine: waits for another
# harness's node up to MLSTACK_NODE_WAIT seconds (node.sh).
source "$(dirname "$0")/../../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
cd "$MLSTACK_ROOT"
[ "$(id -u)" -eq 0 ] || die "the golden path test needs root"

dir="$(mktemp -d /tmp/mlstack-golden-path.XXXXXX)"
# Gitea runs as its own user (harness.sh), which must reach its folder under the harness's.
chmod 755 "$dir"
export MLSTACK_HARNESS_DIR="$dir/harness"
harness=(bash scripts/harness/harness.sh)
kc=("$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$MLSTACK_HARNESS_DIR/kubeconfig")
OUT="${MLSTACK_GOLDEN_OUT:-$MLSTACK_ROOT/artifacts/golden-path}"
rm -rf "$OUT"
mkdir -p "$OUT"
TIMES=()
t_step=$(date +%s.%N)
timed() { # NAME — the time since the last call, recorded under NAME
  local now secs
  now=$(date +%s.%N)
  secs="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t_step" "$now")"
  TIMES+=("$(printf '%-52s %7s s' "$1" "$secs")")
  log "golden path: $1 in $secs s"
  t_step=$now
}
fail() { echo "GOLDEN PATH TEST FAILED: $*" >&2; exit 1; }
cleanup() {
  local rc=$? down_ok=1
  stop_test_backend
  if [ "$rc" -ne 0 ]; then
    cp "$dir/portal/backend.log" "$OUT/" 2>/dev/null || true
    if [ -s "$MLSTACK_HARNESS_DIR/kubeconfig" ]; then
      "${kc[@]}" get pods -A -o wide >"$OUT/pods.txt" 2>&1 || true
      "${kc[@]}" get inferenceservices -A -o yaml >"$OUT/inferenceservices.yaml" 2>&1 || true
    fi
    cp "$MLSTACK_HARNESS_DIR"/logs/*.log "$OUT/" 2>/dev/null || true
  fi
  "${harness[@]}" down >"$dir/down.log" 2>&1 || { cat "$dir/down.log" >&2; rc=1; down_ok=0; }
  # (not across a mount `down` could not undo; after a failed `down` the folder stays, named)
  if [ "$down_ok" = 1 ]; then rm -rf --one-file-system "$dir"; else echo "golden path: kept $dir (down failed)" >&2; fi
  [ "$rc" -eq 0 ] || echo "golden path: logs and objects in $OUT" >&2
  exit "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. the stack
"${harness[@]}" up s3 mlflow git kube node argo kserve >"$OUT/up.log" 2>&1 || { tail -n 30 "$OUT/up.log" >&2; fail "harness.sh up failed"; }
timed "harness up s3 mlflow git kube node argo kserve"
use_project_node
set -a
source "$MLSTACK_HARNESS_DIR/harness.env"
set +a
node_ip="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["node"]["ip"])' "$MLSTACK_HARNESS_DIR/harness.json")"
s3_port="${MLSTACK_S3_ENDPOINT##*:}"
mlflow_port="${MLSTACK_MLFLOW_URL##*:}"

# ---------------------------------------------------------------- 2. the portal
NAME=golden-fraud NS=ml-golden
cat >"$dir/app-config.golden.yaml" <<CFG
integrations:
  gitea:
    - host: $MLSTACK_GIT_HOST
      baseUrl: $MLSTACK_GIT_URL
      password: \${MLSTACK_GIT_TOKEN}
mlops:
  mlflow:
    instances:
      - name: default
        baseUrl: \${MLSTACK_MLFLOW_URL}
        artifactsDestination: s3://mlflow-artifacts
  s3:
    endpoint: \${MLSTACK_S3_ENDPOINT}
    # What the cluster's pods use: the storage initializer's and Argo's S3 endpoint.
    clusterEndpoint: http://$node_ip:$s3_port
    accessKeyId: \${AWS_ACCESS_KEY_ID}
    secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
  git:
    allowedHosts: [localhost, 127.0.0.1]
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
CFG
port="$(free_port)"
start_test_backend "$port" "$dir/portal" "$dir/app-config.golden.yaml"
BASE="http://127.0.0.1:$port"
token=""
for _ in $(seq 1 90); do
  token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh" 2>/dev/null |
    python3 -c 'import json,sys; i=json.load(sys.stdin)["backstageIdentity"]; sys.exit(1) if "group:default/ml-team" not in i["identity"]["ownershipEntityRefs"] else print(i["token"])' 2>/dev/null)" && break
  token=""
  sleep 1
done
[ -n "$token" ] || fail "guest's sign-in never carried group:default/ml-team (is examples/org.yaml in the catalog?)"
timed "portal up, guest signed in"

# ---------------------------------------------------------------- 3. the template, as a real task
values="$(python3 - "$NAME" "$NS" "$node_ip" "$mlflow_port" "$s3_port" <<'PY'
import json, sys
name, ns, ip, mlflow_port, s3_port = sys.argv[1:]
print(json.dumps({"name": name, "owner": "group:default/ml-team", "description": "The golden path test's project.",
  "framework": "sklearn", "mlflowInstance": "default",
  "mlflowTrackingUri": f"http://{ip}:{mlflow_port}",
  "mlflowArtifactsDestination": "s3://mlflow-artifacts", "bucket": "dvc",
  "s3Endpoint": f"http://{ip}:{s3_port}", "cluster": "default",
  "namespace": ns, "deploymentMode": "Standard", "cpuRequest": "100m", "cpuLimit": "1",
  "memoryRequest": "256Mi", "memoryLimit": "1Gi", "minReplicas": 1, "maxReplicas": 1,
  "repoTarget": "gitea"}))
PY
)"
# (the portal token and the Git token by environment, never in arguments other processes can read)
export MLSTACK_PORTAL_TOKEN="$token"
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py task --base "$BASE" --values "$values" --out "$OUT" \
  || fail "the template's real task (above)"
timed "template task (publish, buckets, MLflow, apply, register)"

# ---------------------------------------------------------------- 4. the project's image
project="$dir/project"
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: token $MLSTACK_GIT_TOKEN" \
  git clone -q "$(cat "$OUT/repository-url").git" "$project" 2>"$OUT/clone.log" \
  || { cat "$OUT/clone.log" >&2; fail "cloning the published repository $(cat "$OUT/repository-url").git failed"; }
image="$("$MLSTACK_TOOLS/venv/bin/python" -c 'import sys, yaml; d=yaml.safe_load(open(sys.argv[1])); print(next(p["value"] for p in d["spec"]["arguments"]["parameters"] if p["name"] == "image"))' "$project/argo/workflow-template.yaml")"
archive="$(bash scripts/harness/node/build-image.sh "$project" "$image" --build-arg "GIT_COMMIT=$(git -C "$project" rev-parse HEAD)")" \
  || fail "building the project's image failed"
ctr --address "$MLSTACK_HARNESS_DIR/node/containerd/containerd.sock" -n k8s.io images import "$archive" >"$OUT/import.log" 2>&1 \
  || { cat "$OUT/import.log" >&2; fail "importing the project's image failed"; }
timed "the project's image built from its repository and imported"

# ---------------------------------------------------------------- 5. the pipeline, through the portal
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py pipeline --base "$BASE" \
  --entity "component:default/$NAME" --out "$OUT" || fail "the pipeline through the portal (above)"
timed "pipeline submitted, run, deployed (through the portal)"

# ---------------------------------------------------------------- 6. a prediction
pod="$("${kc[@]}" -n "$NS" get pods -l "serving.kserve.io/inferenceservice=$NAME" -o jsonpath='{.items[*].metadata.name}' | awk '{print $1}')"
[ -n "$pod" ] || fail "no predictor pod for the InferenceService $NAME"
pod_ip="$("${kc[@]}" -n "$NS" get pod "$pod" -o jsonpath='{.status.podIP}')"
# The template's features (prepare.py's FEATURES): a card-present daytime purchase, and a large
# foreign online one at 3 a.m. from a risky merchant far away.
request='{"inputs":[{"name":"input-0","shape":[2,8],"datatype":"FP64","data":[[25.0,14,0.05,2.0,1,2000,0,0],[4000.0,3,0.9,800.0,15,3,1,1]]}]}'
answer="$(curl -sS --max-time 20 -H 'content-type: application/json' "http://$pod_ip:8080/v2/models/$NAME/infer" -d "$request")" \
  || fail "the V2 inference request to $pod_ip failed"
echo "$answer" >"$OUT/v2-infer.json"
echo "V2 infer on $pod ($pod_ip): $answer"
python3 - "$answer" "$NAME" <<'PY' || fail "the V2 answer does not classify the purchase 0 and the fraud 1: $answer"
import json, sys
answer, name = json.loads(sys.argv[1]), sys.argv[2]
assert answer["model_name"] == name, answer
assert answer["outputs"][0]["data"] == [0, 1], answer
PY
timed "a V2 prediction from the served model"

printf '%s\n' "${TIMES[@]}"
