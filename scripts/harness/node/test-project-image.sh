#!/usr/bin/env bash
# The generated ML project's image, built from its own Dockerfile, runs in a pod on the
# harness's real node (issue #13), in a harness directory of its own:
#   1. the real scaffolder renders templates/ml-project (scikit-learn, local Git) as
#      scripts/template/test-template.sh does: `harness.sh up s3 mlflow kube` (the dry-run paths
#      of the mlops actions use them), the portal's backend answers POST
#      /api/scaffolder/v2/dry-run (scripts/template/dry-run.mjs), then `harness.sh down`; or
#      MLSTACK_PROJECT_DIR names a rendered project to use instead
#   2. build-image.sh builds the project's Dockerfile (FROM python:3.11-slim: the Debian-built
#      stand-in images.sh makes under that name) under the name its pipeline's manifests use
#      (argo/workflow-template.yaml's `image` parameter), then again: the second is the cache's
#   3. `harness.sh up kube node`
#   4. `ctr -n k8s.io images import` into the node's containerd
#   5. a pod (the pipeline's security context: non-root, uid 1000) runs that image:
#      `python -c "import mlflow, dvc, sklearn ..."` and `dvc version`; it must end Succeeded,
#      and its logs must give the versions requirements.txt pins, uid 1000 and DVC's no-SCM repo
#   6. `harness.sh down`
# Needs root (the node, buildah's chroot). Only one node runs on a machine (its bridge is
# shared): the node is brought up only after the build, and if another harness's node is up
# then, the test waits for it up to MLSTACK_NODE_WAIT seconds (default 900), then gives up.
# Prints each step's time. Keeps the built image archive in .tools/node-images/ (the next run's
# build is the cached one; MLSTACK_IMAGE_COLD=1 rebuilds it).
source "$(dirname "$0")/../../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
cd "$MLSTACK_ROOT"
[ "$(id -u)" -eq 0 ] || die "the project image test needs root"

dir="$(mktemp -d /tmp/mlstack-image-test.XXXXXX)"
export MLSTACK_HARNESS_DIR="$dir/harness"
harness=(bash scripts/harness/harness.sh)
kc=("$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$MLSTACK_HARNESS_DIR/kubeconfig")
TIMES=()
t_step=$(date +%s.%N)
timed() { # NAME — the time since the last call, recorded under NAME
  local now secs
  now=$(date +%s.%N)
  secs="$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t_step" "$now")"
  TIMES+=("$(printf '%-44s %7s s' "$1" "$secs")")
  log "image test: $1 in $secs s"
  t_step=$now
}
fail() { echo "PROJECT IMAGE TEST FAILED: $*" >&2; exit 1; }
cleanup() {
  local rc=$?
  stop_test_backend
  "${harness[@]}" down >"$dir/down.log" 2>&1 || { cat "$dir/down.log" >&2; rc=1; }
  [ "$rc" -eq 0 ] || tail -n 20 "$MLSTACK_HARNESS_DIR/logs/kubelet.log" 2>/dev/null >&2 || true
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. the project
NAME=image-probe NS=ml-projects
if [ -n "${MLSTACK_PROJECT_DIR:-}" ]; then
  PROJECT="$(cd "$MLSTACK_PROJECT_DIR" && pwd)" || fail "no directory $MLSTACK_PROJECT_DIR"
  log "using the rendered project $PROJECT"
else
  "${harness[@]}" up s3 mlflow kube >"$dir/up-render.log" 2>&1 || { cat "$dir/up-render.log" >&2; fail "harness.sh up s3 mlflow kube failed"; }
  timed "harness up s3 mlflow kube (for the scaffolder)"
  use_project_node
  set -a
  source "$MLSTACK_HARNESS_DIR/harness.env"
  set +a
  # A fixed Git root (the dry-run pushes nothing): the rendered tree, and so the build's cache
  # key, is then the same from run to run.
  git_root="$MLSTACK_TOOLS/project-image-test/git"
  mkdir -p "$git_root" "$dir/render"
  # The mlops actions' dry-run paths run against this harness; credentials by reference.
  cat >"$dir/render/app-config.yaml" <<CFG
mlops:
  mlflow:
    instances:
      - name: default
        baseUrl: \${MLSTACK_MLFLOW_URL}
  s3:
    endpoint: \${MLSTACK_S3_ENDPOINT}
    accessKeyId: \${AWS_ACCESS_KEY_ID}
    secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
  git:
    allowedRoots: [$git_root]
    allowedHosts: [localhost, 127.0.0.1]
  ownership:
    namespaces:
      - owner: group:default/ml-team
        namespaces: [$NS]
CFG
  port="$(free_port)"
  start_test_backend "$port" "$dir/render" "$dir/render/app-config.yaml"
  base="http://127.0.0.1:$port"
  # The form's owner must be one of the signed-in user's: wait until the catalog holds the
  # examples' org (app-config.yaml's locations), so guest's sign-in carries group:default/ml-team.
  member=0
  for _ in $(seq 1 90); do
    if curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh" 2>/dev/null |
      python3 -c 'import json,sys; sys.exit("group:default/ml-team" not in json.load(sys.stdin)["backstageIdentity"]["identity"]["ownershipEntityRefs"])'; then
      member=1; break
    fi
    sleep 1
  done
  [ "$member" = 1 ] || fail "guest's sign-in never carried group:default/ml-team (is examples/org.yaml in the catalog?)"
  timed "backend ready, the catalog's org loaded"
  values="$(python3 - "$NAME" "$NS" "$git_root/$NAME.git" <<'PY'
import json, sys
name, ns, remote = sys.argv[1:]
print(json.dumps({"name": name, "owner": "group:default/ml-team", "description": "The project image test.",
  "framework": "sklearn", "mlflowInstance": "default",
  "mlflowTrackingUri": "http://mlflow.mlflow.svc.cluster.local:5000",
  "mlflowArtifactsDestination": "s3://mlflow-artifacts", "bucket": "dvc",
  "s3Endpoint": "http://minio.minio.svc.cluster.local:9000", "cluster": "default",
  "namespace": ns, "deploymentMode": "Standard", "cpuRequest": "100m", "cpuLimit": "1",
  "memoryRequest": "256Mi", "memoryLimit": "1Gi", "minReplicas": 1, "maxReplicas": 2,
  "repoTarget": "local", "remoteUrl": remote}))
PY
)"
  PROJECT="$dir/render/rendered/$NAME"
  node scripts/template/dry-run.mjs "$base" templates/ml-project "$values" "$PROJECT" >"$dir/render/dry-run.json" \
    || { cat "$dir/render/dry-run.json" >&2; fail "the scaffolder's dry-run of templates/ml-project failed"; }
  stop_test_backend
  timed "template rendered (scaffolder dry-run)"
  "${harness[@]}" down >"$dir/down-render.log" 2>&1 || { cat "$dir/down-render.log" >&2; fail "harness.sh down failed"; }
  timed "harness down (s3 mlflow kube)"
fi
[ -f "$PROJECT/Dockerfile" ] && [ -f "$PROJECT/requirements.txt" ] || fail "no Dockerfile and requirements.txt in $PROJECT"
# The name the pipeline runs it under.
IMAGE="$("$MLSTACK_TOOLS/venv/bin/python" - "$PROJECT/argo/workflow-template.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
print(next(p["value"] for p in doc["spec"]["arguments"]["parameters"] if p["name"] == "image"))
PY
)" || fail "cannot read the image parameter of $PROJECT/argo/workflow-template.yaml"
pin() { sed -n "s/^$1==//p" "$PROJECT/requirements.txt"; }
want_mlflow="$(pin mlflow)" want_dvc="$(pin dvc)" want_sklearn="$(pin scikit-learn)"
[ -n "$want_mlflow" ] && [ -n "$want_dvc" ] && [ -n "$want_sklearn" ] || fail "requirements.txt does not pin mlflow, dvc and scikit-learn"
log "image $IMAGE; requirements pin mlflow $want_mlflow, dvc $want_dvc, scikit-learn $want_sklearn"

# ---------------------------------------------------------------- 2. build, then the cached build
sanitised="$(printf '%s' "$IMAGE" | tr -c 'A-Za-z0-9._-' '_')"
[ "${MLSTACK_IMAGE_COLD:-}" = 1 ] && rm -f "$MLSTACK_TOOLS/node-images/.$sanitised.stamp"
how=cold
bash scripts/harness/node/build-image.sh "$PROJECT" "$IMAGE" >"$dir/build.out" 2>"$dir/build.err" \
  || { cat "$dir/build.err" >&2; fail "build-image.sh failed"; }
grep -q 'is up to date' "$dir/build.err" && how="cached (an archive of the same inputs was kept)"
ARCHIVE="$(tail -n 1 "$dir/build.out")"
sed -n 's/^.*\(buildah bud took .*\|built .* in .*\)$/  \1/p' "$dir/build.err" >&2
timed "build-image.sh, $how"
bash scripts/harness/node/build-image.sh "$PROJECT" "$IMAGE" >"$dir/build2.out" 2>"$dir/build2.err" \
  || { cat "$dir/build2.err" >&2; fail "build-image.sh failed the second time"; }
grep -q 'is up to date' "$dir/build2.err" || fail "the second build of the same context was not the cached one"
timed "build-image.sh again (warm: cached)"
log "archive $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"

# ---------------------------------------------------------------- 3. the node
# Another harness's node: its bridge, or an owner (node.sh's /run/mlstack-node.owner) with state.
other_node() {
  local owner
  ip link show mlstack-cni0 >/dev/null 2>&1 && return 0
  owner="$(cat /run/mlstack-node.owner 2>/dev/null || true)"
  [ -n "$owner" ] && [ "$owner" != "$MLSTACK_HARNESS_DIR" ] && [ -d "$owner/node/host-before" ]
}
waited=0
while other_node; do
  [ "$waited" -ge "${MLSTACK_NODE_WAIT:-900}" ] \
    && fail "another harness's node is still up after ${waited} s (the bridge mlstack-cni0 or /run/mlstack-node.owner; only one node runs on a machine)"
  [ "$waited" = 0 ] && log "another harness's node is up (the bridge mlstack-cni0 or /run/mlstack-node.owner): waiting for it to go down"
  sleep 10
  waited=$((waited + 10))
done
[ "$waited" = 0 ] || timed "waited for another harness's node to go down"
"${harness[@]}" up kube node >"$dir/up.log" 2>&1 || { cat "$dir/up.log" >&2; fail "harness.sh up kube node failed"; }
[ "$("${kc[@]}" get node mlstack-node -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
  || fail "the node is not Ready"
timed "harness up kube node"

# ---------------------------------------------------------------- 4. import
ctr --address "$MLSTACK_HARNESS_DIR/node/containerd/containerd.sock" -n k8s.io images import "$ARCHIVE" >"$dir/import.log" 2>&1 \
  || { cat "$dir/import.log" >&2; fail "ctr images import failed"; }
full="$(python3 -c 'import json,sys,tarfile; t=tarfile.open(sys.argv[1]); print(json.load(t.extractfile("index.json"))["manifests"][0]["annotations"]["io.containerd.image.name"])' "$ARCHIVE")"
listed="$(ctr --address "$MLSTACK_HARNESS_DIR/node/containerd/containerd.sock" -n k8s.io images ls -q)"
grep -qxF "$full" <<<"$listed" || fail "containerd does not list $full after the import"
timed "ctr images import ($full)"

# ---------------------------------------------------------------- 5. the pod
"${kc[@]}" create namespace "$NS" >/dev/null
for _ in $(seq 1 30); do "${kc[@]}" -n "$NS" get serviceaccount default >/dev/null 2>&1 && break; sleep 1; done
cat <<YAML | "${kc[@]}" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: { name: project-image, namespace: $NS }
spec:
  restartPolicy: Never
  # The pipeline's own (argo/workflow-template.yaml)
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    runAsGroup: 1000
    fsGroup: 1000
    seccompProfile: { type: RuntimeDefault }
  containers:
    - name: main
      image: $IMAGE
      imagePullPolicy: IfNotPresent
      resources: { limits: { memory: 1Gi, cpu: "1" } }
      command: [sh, -c]
      args:
        - |
          set -e
          echo "uid \$(id -u) gid \$(id -g) in \$(pwd)"
          python -c 'import json, platform, mlflow, dvc, sklearn; print("versions " + json.dumps({"python": platform.python_version(), "mlflow": mlflow.__version__, "dvc": dvc.__version__, "sklearn": sklearn.__version__}, sort_keys=True))'
          dvc version
YAML
phase=""
for _ in $(seq 1 180); do
  phase="$("${kc[@]}" -n "$NS" get pod project-image -o jsonpath='{.status.phase}')"
  [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
  sleep 1
done
logs="$("${kc[@]}" -n "$NS" logs project-image 2>&1 || true)"
echo "$logs" | sed 's/^/  pod: /' >&2
if [ "$phase" != Succeeded ]; then
  "${kc[@]}" -n "$NS" describe pod project-image >&2 || true
  grep -q 'getpwuid(): uid not found: 1000' <<<"$logs" \
    && fail "the pod ended ${phase:-nowhere}: DVC asks for the user's name (getpass.getuser()) and the image has no passwd entry for uid 1000 (its Dockerfile's USER 1000:1000 names no user)"
  fail "the pod ended ${phase:-nowhere}"
fi
timed "pod ran to Succeeded"
versions="$(sed -n 's/^versions //p' <<<"$logs")"
[ -n "$versions" ] || fail "the pod printed no versions"
python3 - "$versions" "$want_mlflow" "$want_dvc" "$want_sklearn" <<'PY' || fail "the image's versions are not the pinned ones"
import json, sys
got = json.loads(sys.argv[1])
want = {"mlflow": sys.argv[2], "dvc": sys.argv[3], "sklearn": sys.argv[4]}
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
if bad or not got["python"].startswith("3.11."):
    sys.exit(f"got {got}, want {want} on Python 3.11")
PY
grep -q '^uid 1000 gid 1000 in /app$' <<<"$logs" || fail "the pod did not run as uid/gid 1000 in /app"
grep -q "^DVC version: $want_dvc" <<<"$logs" || fail "dvc version did not report $want_dvc"
grep -q '^Repo: dvc (no_scm)' <<<"$logs" || fail "dvc does not see the image's /app as a no-SCM DVC repository"
grep -A4 '^Supports:' <<<"$logs" | grep -q 's3 (' || fail "dvc version does not list s3 support (dvc-s3)"

# ---------------------------------------------------------------- 6. down
"${harness[@]}" down >"$dir/down.log" 2>&1 || { cat "$dir/down.log" >&2; fail "harness.sh down failed"; }
timed "harness down"
ip link show mlstack-cni0 >/dev/null 2>&1 && fail "the bridge mlstack-cni0 is still there after down"
log "image test: passed"
printf '  %s\n' "${TIMES[@]}" >&2
