#!/usr/bin/env bash
# The golden path for real (issue #13), through the portal, in a harness of its own:
#   1. `harness.sh up s3 mlflow git kube node argo kserve`: MinIO, MLflow, Gitea, the API server,
#      the real node (its cluster DNS answers the Minikube install's names of MLflow and MinIO),
#      Argo's controller and KServe's (with its model server images)
#   2. the app bundle (cached by content) and the portal's backend serving it (app-config.yaml +
#      this harness; S3's in-cluster endpoint is MinIO's in-cluster name), guest signed in (a
#      member of ml-team)
#   3. the ml-project template as a real task with its default MLflow and S3 URLs
#      (golden_path.py task): it completes and links the repository it published to Gitea and
#      the entity it registered (what each of its steps makes is checked in detail by
#      scripts/template/test-template.sh; here the next steps use it)
#   4. the published repository cloned, its data prepared and pushed with DVC to MinIO, dvc.lock
#      committed and pushed (what its README asks of its owner); then `harness.sh image NAME`:
#      the repository cloned from Gitea, its own Dockerfile built under the name its
#      WorkflowTemplate runs, imported into the node's containerd
#   5. the pipeline submitted from the Pipelines route and followed there (golden_path.py
#      pipeline): pull-data (`dvc pull` from MinIO, dvc.lock's hash), train (MLflow runs), select-and-register (a model version,
#      the champion alias), deploy (the InferenceService applied by the deployer's
#      ServiceAccount, done when KServe reports the model Loaded), each a real pod, each step's
#      logs read through the portal; then the Serving route shows the service, the lineage route
#      the version's whole story
#   6. a V2 inference request to the predictor (at its pod's address: no kube-proxy) classifies
#      an ordinary purchase as 0 and a blatant fraud as 1; then the pipeline again with a wrong
#      S3 key in the project's Secret (golden_path.py failing): pull-data Failed, its exit code,
#      DVC's error in its real log, nothing after it run; the Secret put back
#   7. a second version registered in MLflow and deployed from the Serving route as a 20 % canary
#      (golden_path.py canary): KServe runs it beside the first, Ready, Loaded; it answers too
#   8. the Pipelines and Serving pages in Chromium (playwright.golden.config.ts): the run
#      Succeeded with its four steps and the train step's real log, the failed run's pull-data
#      step with its exit code and DVC's error, the service Ready with the
#      canary's 20 % and "Canary ready"; screenshots in $OUT/screenshots
#   9. the canary promoted from the Serving route (golden_path.py promote): its version serves
#      all traffic, Ready, Loaded, and answers
#  10. `harness.sh down`
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
  # The Serving route may deploy into the project's namespace (the canary below).
  deploy:
    targets:
      - cluster: default
        namespaces: [$NS]
        modes: [Standard]
  s3:
    endpoint: \${MLSTACK_S3_ENDPOINT}
    # What the cluster's pods use: MinIO's in-cluster name, as on Minikube (the node's cluster
    # DNS answers it), for the storage initializer of what the portal deploys.
    clusterEndpoint: http://minio.minio.svc.cluster.local:9000
    accessKeyId: \${AWS_ACCESS_KEY_ID}
    secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
  git:
    allowedHosts: [localhost, 127.0.0.1]
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
CFG
# The app bundle first: the backend serves it only if it is there when it starts.
log "building the app bundle"
build_app_bundle "$OUT/app-build.log" || { tail -n 30 "$OUT/app-build.log" >&2; fail "the app build failed (log: $OUT/app-build.log)"; }
timed "the app bundle (built, or unchanged)"
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
# The pods' URLs of MLflow and MinIO are the template's own defaults (the Minikube install's
# in-cluster names, which the node's cluster DNS answers), read from the template.
values="$("$MLSTACK_TOOLS/venv/bin/python" - "$NAME" "$NS" <<'PY'
import json, sys, yaml
name, ns = sys.argv[1:]
template = yaml.safe_load(open("templates/ml-project/template.yaml"))
defaults = {k: v["default"] for page in template["spec"]["parameters"]
            for k, v in page.get("properties", {}).items() if "default" in v}
print(json.dumps({"name": name, "owner": "group:default/ml-team", "description": "The golden path test's project.",
  "framework": "sklearn", "mlflowInstance": "default",
  "mlflowTrackingUri": defaults["mlflowTrackingUri"],
  "mlflowArtifactsDestination": "s3://mlflow-artifacts", "bucket": "dvc",
  "s3Endpoint": defaults["s3Endpoint"], "cluster": "default",
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

# ---------------------------------------------------------------- 3b. its data, versioned with DVC
# What the project's README asks of its owner before the pipeline pulls real data: the published
# repository cloned, its `prepare` stage run with DVC, the data pushed to the DVC remote (MinIO,
# at this machine's address in the git-ignored .dvc/config.local; credentials from the
# environment), dvc.lock committed and pushed to Gitea. The image built next carries it, so the
# pipeline's pull-data runs `dvc pull`.
checkout="$dir/checkout"
(GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: token $MLSTACK_GIT_TOKEN" \
  git clone -q "$MLSTACK_GIT_URL/$MLSTACK_GIT_ORG/$NAME.git" "$checkout") >"$OUT/data.log" 2>&1 \
  || fail "cloning the published repository failed: $(tail -n 3 "$OUT/data.log")"
venv="$(bash scripts/template/project-venv.sh "$checkout/requirements.txt" "$OUT/pip.log")" \
  || fail "the project's Python environment (log: $OUT/pip.log)"
(
  set -euo pipefail
  cd "$checkout"
  export PATH="$venv/bin:$PATH" PYTHONPATH=src
  dvc remote modify --local minio endpointurl "$MLSTACK_S3_ENDPOINT"
  dvc repro prepare
  dvc push
  git add dvc.lock data/.gitignore
  git -c user.name="golden path" -c user.email=golden-path@localhost commit -qm "Version the prepared data with DVC"
  GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: token $MLSTACK_GIT_TOKEN" \
    git push -q origin HEAD
) >>"$OUT/data.log" 2>&1 || { tail -n 20 "$OUT/data.log" >&2; fail "versioning the project's data with DVC failed (log: $OUT/data.log)"; }
data_hash="$("$venv/bin/python" -c 'import sys, yaml
lock = yaml.safe_load(open(sys.argv[1]))
print(next(o["md5"] for o in lock["stages"]["prepare"]["outs"] if o["path"] == "data/prepared"))' "$checkout/dvc.lock")" \
  || fail "dvc.lock records no md5 for data/prepared"
echo "data/prepared pushed with DVC: $data_hash"
timed "the project's data versioned with DVC (prepare, push, dvc.lock committed)"

# ---------------------------------------------------------------- 4. the project's image
[ "$(cat "$OUT/repository-url")" = "$MLSTACK_GIT_URL/$MLSTACK_GIT_ORG/$NAME" ] \
  || fail "the task published $(cat "$OUT/repository-url"), not $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG/$NAME"
# What a user of scripts/start.sh --node runs: the published repository cloned from Gitea, its
# own Dockerfile built under the name its WorkflowTemplate runs, imported into the node.
"${harness[@]}" image "$NAME" >"$OUT/image.log" 2>&1 || { tail -n 30 "$OUT/image.log" >&2; fail "harness.sh image $NAME failed"; }
timed "the project's image built from its repository and imported"

# ---------------------------------------------------------------- 5. the pipeline, through the portal
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py pipeline --base "$BASE" \
  --entity "component:default/$NAME" --data-hash "$data_hash" --out "$OUT" || fail "the pipeline through the portal (above)"
timed "pipeline submitted, run, deployed (through the portal)"

# ---------------------------------------------------------------- 6. a prediction
# predict DEPLOYMENT LABEL — a V2 request to a Ready pod of the predictor Deployment DEPLOYMENT
# (at its pod's address: no kube-proxy), for the model the server reports, must classify the
# template's features (prepare.py's FEATURES) of a card-present daytime purchase as 0 and of a
# large foreign online one at 3 a.m. from a risky merchant far away as 1.
predict() {
  local deployment="$1" label="$2" pods pod pod_ip model answer
  pods="$("${kc[@]}" -n "$NS" get pods -l "serving.kserve.io/inferenceservice=$NAME" \
    -o jsonpath='{range .items[*]}{.metadata.name} {.status.podIP} {.status.conditions[?(@.type=="Ready")].status} {.metadata.deletionTimestamp}{"\n"}{end}' 2>&1)" \
    || fail "listing the predictor pods of $NAME failed: $pods"
  pod="" pod_ip=""
  read -r pod pod_ip < <(awk -v d="$deployment-" 'index($1, d) == 1 && $3 == "True" && $4 == "" {print $1, $2; exit}' <<<"$pods") || true
  [ -n "${pod:-}" ] || fail "no Ready pod of the Deployment $deployment: $pods"
  model="$(curl -sS --max-time 20 "http://$pod_ip:8080/v1/models" | python3 -c 'import json,sys; print(json.load(sys.stdin)["models"][0])')" \
    || fail "$pod ($pod_ip) does not list its model at /v1/models"
  local request='{"inputs":[{"name":"input-0","shape":[2,8],"datatype":"FP64","data":[[25.0,14,0.05,2.0,1,2000,0,0],[4000.0,3,0.9,800.0,15,3,1,1]]}]}'
  answer="$(curl -sS --max-time 20 -H 'content-type: application/json' "http://$pod_ip:8080/v2/models/$model/infer" -d "$request")" \
    || fail "the V2 inference request to $pod ($pod_ip) failed"
  PREDICT_POD="$pod"
  # What the pod serves: the storage initializer's source (KServe's pod mutator sets it).
  PREDICT_URI="$("${kc[@]}" -n "$NS" get pod "$pod" -o jsonpath='{.spec.initContainers[?(@.name=="storage-initializer")].args[0]}' 2>&1)" \
    || fail "reading $pod's storage initializer failed: $PREDICT_URI"
  echo "$answer" >"$OUT/v2-infer-$label.json"
  echo "V2 infer on $pod ($pod_ip), model $model: $answer"
  python3 - "$answer" "$model" <<'PY' || fail "the $label's V2 answer does not classify the purchase 0 and the fraud 1: $answer"
import json, sys
answer, model = json.loads(sys.argv[1]), sys.argv[2]
assert answer["model_name"] == model, answer
assert answer["outputs"][0]["data"] == [0, 1], answer
PY
}
predict "$NAME-predictor" stable
stable_pod="$PREDICT_POD"
stable_generation="$("${kc[@]}" -n "$NS" get deployment "$NAME-predictor" -o jsonpath='{.metadata.generation}')"
timed "a V2 prediction from the served model"

# ---------------------------------------------------------------- 6b. a step that fails
# The project's S3 Secret given a wrong secret key (as a botched rotation would), the pipeline
# submitted again from the Pipelines route: pull-data must fail with DVC's own reason in its log
# and nothing after it run. The Secret is put back before anything else reads it.
secret="$NAME-s3"
good_key="$("${kc[@]}" -n "$NS" get secret "$secret" -o jsonpath='{.data.AWS_SECRET_ACCESS_KEY}')" \
  || fail "reading the Secret $secret failed"
[ -n "$good_key" ] || fail "the Secret $secret has no AWS_SECRET_ACCESS_KEY"
# (the key through a file only this user reads, never in arguments other processes can read)
restore_secret() {
  (umask 077; printf '{"data":{"AWS_SECRET_ACCESS_KEY":"%s"}}' "$good_key" >"$dir/secret-restore.json")
  "${kc[@]}" -n "$NS" patch secret "$secret" --type merge --patch-file "$dir/secret-restore.json" >/dev/null
  rm -f "$dir/secret-restore.json"
}
"${kc[@]}" -n "$NS" patch secret "$secret" --type merge \
  -p "{\"data\":{\"AWS_SECRET_ACCESS_KEY\":\"$(printf 'not-the-key' | base64)\"}}" >/dev/null || fail "breaking the Secret $secret failed"
rc=0
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py failing --base "$BASE" \
  --entity "component:default/$NAME" --out "$OUT" || rc=$?
restore_secret || fail "putting the Secret $secret back failed"
[ "$rc" -eq 0 ] || fail "the failing run through the portal (above)"
timed "a run whose data step fails (wrong S3 key): Failed, its exit code and DVC's error shown"

# ---------------------------------------------------------------- 7. a canary, then promoted
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py canary --base "$BASE" \
  --entity "component:default/$NAME" --namespace "$NS" --out "$OUT" || fail "the canary through the portal (above)"
predict "$NAME-$(cat "$OUT/canary-name")-predictor" canary
canary_uri="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["canaryModel"]["storageUri"])' "$OUT/service-canary.json")"
[ "$PREDICT_URI" = "$canary_uri" ] || fail "the canary's pod serves $PREDICT_URI, not version 2's $canary_uri"
# Starting the canary left the stable predictor alone: its Deployment's pod template unchanged
# (the portal's record annotations are kept off the pods: kserve_config.py; the template's
# service carries the portal's marks) and its pod serving.
[ "$("${kc[@]}" -n "$NS" get deployment "$NAME-predictor" -o jsonpath='{.metadata.generation}')" = "$stable_generation" ] \
  || fail "starting the canary changed the stable predictor's Deployment (generation $stable_generation before), which restarts its pods"
[ "$("${kc[@]}" -n "$NS" get pod "$stable_pod" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}{.metadata.deletionTimestamp}' 2>&1)" = True ] \
  || fail "starting the canary restarted the stable predictor (its pod $stable_pod is gone or not Ready)"
echo "the stable predictor's pod $stable_pod kept serving beside the canary (Deployment generation $stable_generation)"
timed "a second version deployed as a 20 % canary from the Serving route, Ready, answering"

# ---------------------------------------------------------------- 8. the pages, in a browser
run_name="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$OUT/workflow.json")"
PORTAL_URL="$BASE" E2E_ARTIFACTS="$OUT" GOLDEN_PROJECT="$NAME" GOLDEN_RUN="$run_name" GOLDEN_FAILED_RUN="$(cat "$OUT/failed-run")" \
  GOLDEN_CANARY_VERSION="$(cat "$OUT/canary-version")" \
  yarn playwright test --config playwright.golden.config.ts >"$OUT/browser.log" 2>&1 \
  || { tail -n 60 "$OUT/browser.log" >&2; fail "the golden path's pages in the browser (report: $OUT/report)"; }
grep -E "passed|failed" "$OUT/browser.log" | tail -n 2
timed "the Pipelines and Serving pages in Chromium (screenshots in $OUT/screenshots)"

"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/node/golden_path.py promote --base "$BASE" \
  --entity "component:default/$NAME" --out "$OUT" || fail "promoting the canary through the portal (above)"
# KServe keeps the promoted canary's Deployment (the predictor now carries the canary's name)
# and removes the old stable one.
promoted_deployment="$NAME-$(cat "$OUT/canary-name")-predictor"
deployments=""
for _ in $(seq 1 120); do
  deployments="$("${kc[@]}" -n "$NS" get deployments -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.readyReplicas}{"\n"}{end}' 2>&1)" || true
  [ "$deployments" = "$promoted_deployment 1" ] && break
  sleep 1
done
"${kc[@]}" -n "$NS" rollout status "deployment/$promoted_deployment" --timeout=300s >"$OUT/rollout.log" 2>&1 \
  || fail "the promoted Deployment $promoted_deployment did not roll out: $(tail -n 3 "$OUT/rollout.log")"
"${kc[@]}" -n "$NS" get deployments,pods -o wide >"$OUT/after-promote.txt" 2>&1 || true
[ "$deployments" = "$promoted_deployment 1" ] \
  || fail "after the promotion the namespace should run only $promoted_deployment (ready), not: $deployments"
predict "$promoted_deployment" promoted
[ "$PREDICT_URI" = "$canary_uri" ] || fail "the promoted predictor serves $PREDICT_URI, not version 2's $canary_uri"
timed "the canary promoted from the Serving route: its version serves all traffic and answers"

printf '%s\n' "${TIMES[@]}"
