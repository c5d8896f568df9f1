#!/usr/bin/env bash
# End-to-end test of the software template templates/ml-project:
#   1. the real scaffolder renders it: the portal's backend (embedded defaults + the harness's
#      MinIO, MLflow and kube-apiserver as its mlops config) answers POST
#      /api/scaffolder/v2/dry-run for two forms (scikit-learn + local Git; PyTorch + GitHub,
#      Knative, another namespace), and refuses a bad name;
#   2. the rendered trees are checked (scripts/template/check_project.py rendered) and their
#      Kubernetes objects validated by the API server against the real Argo and KServe CRDs
#      (kubectl apply --server-side --dry-run=server);
#   3. a real task through the portal (scripts/template/real_task.py): POST
#      /api/scaffolder/v2/tasks with local Git, a namespace of its own and a new bucket; what it
#      made is checked in MinIO, MLflow (the experiment, the registered model tagged with its
#      owner), the API server (objects, and the pipeline identities' rights with kubectl auth
#      can-i) and the bare repository; the same values run again
#      change nothing; no credential in any task's events or output;
#   3b. a real task to the portal's Git server (scripts/template/gitea_task.py): the harness
#      Gitea's organisation, registered in the catalog: the entity read back through the catalog
#      API with its annotations and Gitea location, the repository through the Gitea API and
#      through the catalog's URL reader; the same name again is refused at publish-gitea with
#      nothing pushed; no credential (the Gitea token among them) in its events or output;
#   4. the scikit-learn project runs for real against the harness: pip install, git init,
#      dvc repro (prepare -> train -> evaluate -> register, tracked in MLflow, into the
#      experiment and registered model the real task claimed), the lineage tags, the champion
#      alias and the model's owner tag checked with the MLflow client, `register` run twice
#      without a duplicate version, dvc push checked in the bucket, each run's MLflow dataset
#      input (REST runs/get: digest = the DVC data hash tag, source = that hash's object on the
#      DVC remote, which is then read from MinIO), pytest;
#   5. the PyTorch project: compiled, and its tests run (those that need torch are skipped:
#      PyPI's torch is a 539 MB wheel plus CUDA libraries, too heavy for every CI run).
#
#   scripts/template/test-template.sh
#
# Env: MLSTACK_HARNESS_DIR (the harness; started if not up, left running), MLSTACK_TEMPLATE_OUT
# (default artifacts/template), MLSTACK_TEMPLATE_BACKEND_URL (use a running backend configured
# like $OUT/app-config.template-test.yaml instead of starting one), PIP_CACHE_DIR (default
# .tools/pip-cache). Exits non-zero and lists what failed.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
need git "Debian package git"

OUT="${MLSTACK_TEMPLATE_OUT:-$MLSTACK_ROOT/artifacts/template}"
HDIR="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
TEMPLATE_DIR="$MLSTACK_ROOT/templates/ml-project"
CHECK="$MLSTACK_ROOT/scripts/template/check_project.py"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$MLSTACK_TOOLS/pip-cache}"
FAILURES=()
SUMMARY=()
fail() { FAILURES+=("$1"); printf '\033[31mFAIL\033[0m %s\n' "$1" >&2; }
ok() { printf 'ok   %s\n' "$1"; }
note() { SUMMARY+=("$1"); log "$1"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

rm -rf "$OUT"
mkdir -p "$OUT/git"

# ---------------------------------------------------------------- harness
log "harness: MinIO, MLflow, kube-apiserver, Gitea (reused when up)"
bash scripts/harness/harness.sh up s3 mlflow kube git >/dev/null
set -a
source "$HDIR/harness.env"
set +a
KUBECTL=("$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$HDIR/kubeconfig")
ADMIN_TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kube"]["adminToken"])' "$HDIR/harness.json")"

# Unique names: the harness's MLflow keeps the models of earlier runs.
suffix="$(date +%s | tail -c 6)"
SK_NAME="fraud-scorer-$suffix" SK_NS=ml-projects
PT_NAME="churn-net-$suffix" PT_NS=team-a-models
# an https S3 endpoint without a port: the artifact repository's endpoint is its host, not insecure
PT_S3=https://s3.team-a.example.com

# ---------------------------------------------------------------- backend
# The mlops actions run their dry-run paths against the harness: credentials by reference to
# the environment, never written here. The Gitea integration as scripts/start.sh configures it.
cat >"$OUT/app-config.template-test.yaml" <<CFG
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
  s3:
    endpoint: \${MLSTACK_S3_ENDPOINT}
    accessKeyId: \${AWS_ACCESS_KEY_ID}
    secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
  git:
    allowedRoots: [$OUT/git]
    allowedHosts: [localhost, 127.0.0.1]
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
  # The namespaces the dry-runs use exist without an owner annotation once
  # server_validate (below) has made them: whose they are, as app-config.yaml says of ml-projects.
  ownership:
    namespaces:
      - owner: group:default/ml-team
        namespaces: [$SK_NS, $PT_NS]
CFG

trap stop_test_backend EXIT

if [ -n "${MLSTACK_TEMPLATE_BACKEND_URL:-}" ]; then
  BASE="$MLSTACK_TEMPLATE_BACKEND_URL"
  log "using the backend at $BASE"
else
  port="$(free_port)"
  log "starting the backend on 127.0.0.1:$port (cluster: KUBECONFIG=$KUBECONFIG)"
  t0="$(now)"
  start_test_backend "$port" "$OUT" "$OUT/app-config.template-test.yaml"
  note "backend ready in $(since "$t0") s"
  BASE="http://127.0.0.1:$port"
fi

# The catalog serves the template (app-config.yaml's location and rules).
token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["backstageIdentity"]["token"])')"
found=0
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null -H "Authorization: Bearer $token" \
    "$BASE/api/catalog/entities/by-name/template/default/ml-project"; then found=1; break; fi
  sleep 1
done
[ "$found" = 1 ] && ok "the catalog serves template:default/ml-project" ||
  fail "the catalog does not serve template:default/ml-project (app-config.yaml catalog.locations)"
# Signed in again now that the catalog holds examples/org.yaml: a token issued before carries
# only user:default/guest, not its groups (ml-team), and the tasks' claims for ml-team would fail.
token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["backstageIdentity"]["token"])')"

# ---------------------------------------------------------------- dry-runs
values() { # NAME FRAMEWORK NAMESPACE MODE REPO-JSON-FRAGMENT [SYSTEM]
  python3 - "$@" <<'PY'
import json, sys
name, framework, ns, mode, repo = sys.argv[1:6]
v = {"name": name, "owner": "group:default/ml-team", "description": f"Test project {name}.",
     "framework": framework, "mlflowInstance": "default",
     "mlflowTrackingUri": "http://mlflow.mlflow.svc.cluster.local:5000",
     "mlflowArtifactsDestination": "s3://mlflow-artifacts", "bucket": "dvc",
     "s3Endpoint": "http://minio.minio.svc.cluster.local:9000", "cluster": "default",
     "namespace": ns, "deploymentMode": mode, "cpuRequest": "100m", "cpuLimit": "1",
     "memoryRequest": "256Mi", "memoryLimit": "1Gi", "minReplicas": 1, "maxReplicas": 2,
     **json.loads(repo)}
if len(sys.argv) > 6:
    v["system"] = sys.argv[6]
print(json.dumps(v))
PY
}

dry_run() { # LABEL VALUES OUTDIR -> prints the JSON line, sets DRY_JSON
  DRY_JSON="$(node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/template/dryRun.ts "$BASE" "$TEMPLATE_DIR" "$2" "$3")" || {
    fail "dry-run $1: $DRY_JSON"
    return 1
  }
  local secs
  secs="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$DRY_JSON")"
  # Reported, not asserted: speed is for the benchmarks, not for a test on a loaded machine.
  note "dry-run $1: HTTP 200 in $secs s"
}

step_status() { # JSON STEP -> status
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])["steps"].get(sys.argv[2], "absent"))' "$1" "$2"
}

expect_steps() { # LABEL JSON step=status...
  local label="$1" json="$2" pair s want got
  shift 2
  for pair in "$@"; do
    s="${pair%%=*}" want="${pair#*=}"
    got="$(step_status "$json" "$s")"
    if [[ "$got" == $want ]]; then ok "$label: step $s $got"; else fail "$label: step $s is '$got', expected '$want'"; fi
  done
}

SK_DIR="$OUT/rendered/$SK_NAME"
PT_DIR="$OUT/rendered/$PT_NAME"
if dry_run "scikit-learn, local Git" \
  "$(values "$SK_NAME" sklearn "$SK_NS" Standard "{\"repoTarget\":\"local\",\"remoteUrl\":\"$OUT/git/$SK_NAME.git\"}" system:default/fraud-detection)" \
  "$SK_DIR"; then
  expect_steps sklearn "$DRY_JSON" fetch=completed create-bucket=completed create-experiment=completed \
    create-model=completed apply=completed publish-github=skipped publish-gitlab=skipped publish-local=completed \
    publish-gitea=skipped register=skipped register-gitea=skipped
fi
if dry_run "PyTorch, GitHub, Knative, namespace $PT_NS, S3 over https" \
  "$(values "$PT_NAME" pytorch "$PT_NS" Knative '{"repoTarget":"hosted","repoUrl":"github.com?owner=ml-team&repo='"$PT_NAME"'","s3Endpoint":"'"$PT_S3"'"}')" \
  "$PT_DIR"; then
  expect_steps pytorch "$DRY_JSON" fetch=completed create-bucket=completed create-experiment=completed \
    create-model=completed apply=completed 'publish-github=skipped: *does not support dry-run*' \
    publish-gitlab=skipped \
    publish-local=skipped publish-gitea=skipped 'register=skipped: *does not support dry-run*' register-gitea=skipped
fi
# The form's default target: the portal's Git server (the harness Gitea's organisation).
GT_NAME="gitea-proj-$suffix"
if dry_run "scikit-learn, the portal's Git server (Gitea)" \
  "$(values "$GT_NAME" sklearn "$SK_NS" Standard '{"repoTarget":"gitea"}')" "$OUT/rendered/$GT_NAME"; then
  expect_steps gitea "$DRY_JSON" publish-local=skipped publish-github=skipped publish-gitea=completed \
    register=skipped 'register-gitea=skipped: *does not support dry-run*'
fi
# GitLab: publish:gitlab's module is not installed; the dry-run must say so, by name.
gl="$(node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/template/dryRun.ts "$BASE" "$TEMPLATE_DIR" \
  "$(values "gl-$suffix" sklearn "$SK_NS" Standard '{"repoTarget":"hosted","repoUrl":"gitlab.com?owner=ml-team&repo=gl"}')" \
  "$OUT/rendered/gitlab" 2>&1 || true)"
if grep -q "publish:gitlab' is not registered" <<<"$gl"; then
  ok "gitlab.com: the dry-run stops at publish:gitlab, not registered (module not installed)"
else
  note "gitlab.com dry-run: $(head -c 400 <<<"$gl")"
fi
# Bad input is refused by the form's schema, on the server too.
bad="$(node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/template/dryRun.ts "$BASE" "$TEMPLATE_DIR" \
  "$(values "Bad_Name" sklearn "$SK_NS" Standard '{"repoTarget":"local","remoteUrl":"/tmp/x.git"}')" \
  "$OUT/rendered/bad" 2>&1 || true)"
grep -q '"status":400' <<<"$bad" && grep -q 'pattern' <<<"$bad" &&
  ok "a name that is not a DNS label is refused (400, pattern)" || fail "bad name not refused: $(head -c 300 <<<"$bad")"

[ -d "$SK_DIR/src" ] || { fail "nothing rendered"; printf '%s\n' "${FAILURES[@]}" >&2; exit 1; }

# ---------------------------------------------------------------- Python environment
VENV="$(bash scripts/template/project-venv.sh "$SK_DIR/requirements.txt" "$OUT/pip.log")" ||
  die "the generated project's Python environment (log: $OUT/pip.log)"
PY="$VENV/bin/python"

# ---------------------------------------------------------------- rendered trees
secrets=(--secret "$ADMIN_TOKEN")
check_rendered() { # DIR NAME NS FRAMEWORK MODE [S3-ENDPOINT]
  local rc=0
  "$PY" "$CHECK" rendered "$1" --name "$2" --namespace "$3" --framework "$4" --deployment-mode "$5" \
    --endpoint "${6:-http://minio.minio.svc.cluster.local:9000}" \
    --schema third_party/dvc/dvcyaml-schema.json --bucket dvc --prefix "$2" "${secrets[@]}" \
    >"$OUT/check-$2.log" 2>&1 || rc=$?
  cat "$OUT/check-$2.log"
  [ "$rc" = 0 ] || fail "rendered $2: $(grep -c '^FAIL' "$OUT/check-$2.log") check(s) failed (log: $OUT/check-$2.log)"
}
check_rendered "$SK_DIR" "$SK_NAME" "$SK_NS" sklearn Standard
[ -d "$PT_DIR/src" ] && check_rendered "$PT_DIR" "$PT_NAME" "$PT_NS" pytorch Knative "$PT_S3"

# The catalog's own validation of the rendered entities (POST /api/catalog/validate-entity).
validate_entity() { # DIR
  local body res
  body="$("$PY" -c 'import json,sys,yaml; print(json.dumps({"entity": yaml.safe_load(open(sys.argv[1])), "location": "url:https://example.com/catalog-info.yaml"}))' "$1/catalog-info.yaml")"
  res="$(curl -sS -o "$OUT/validate-entity.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data "$body" "$BASE/api/catalog/validate-entity")"
  [ "$res" = 200 ] && ok "the catalog accepts $(basename "$1")/catalog-info.yaml" ||
    fail "the catalog rejects $(basename "$1")/catalog-info.yaml: HTTP $res $(head -c 400 "$OUT/validate-entity.json")"
}
validate_entity "$SK_DIR"
[ -d "$PT_DIR/src" ] && validate_entity "$PT_DIR"

# ---------------------------------------------------------------- API server validation
server_validate() { # DIR NAME NS
  "${KUBECTL[@]}" create namespace "$3" --dry-run=client -o yaml | "${KUBECTL[@]}" apply -f - >/dev/null
  local f out rc
  for f in "$1/argo/pipeline-rbac.yaml" "$1/argo/artifact-repository.yaml" "$1/argo/workflow-template.yaml" \
    "$1/argo/run.yaml" "$1/kserve/inference-service.yaml" "$(dirname "$1")/$2-deploy-isvc.yaml"; do
    rc=0
    if [ "$(basename "$f")" = run.yaml ]; then
      # generateName: `create`, as its header says; still a server-side dry run.
      out="$("${KUBECTL[@]}" create --dry-run=server --validate=strict -f "$f" 2>&1)" || rc=$?
    else
      out="$("${KUBECTL[@]}" apply --server-side --dry-run=server --validate=strict --field-manager=template-test -f "$f" 2>&1)" || rc=$?
    fi
    # (set -e: a failed command substitution must not end the script before it is reported)
    if [ "$rc" = 0 ]; then ok "API server accepts ${f#"$OUT"/}: $out"; else fail "API server rejects ${f#"$OUT"/}: $out"; fi
  done
}
server_validate "$SK_DIR" "$SK_NAME" "$SK_NS"
[ -d "$PT_DIR/src" ] && server_validate "$PT_DIR" "$PT_NAME" "$PT_NS"

# ---------------------------------------------------------------- a real task
# The portal runs the template for real (POST /api/scaffolder/v2/tasks): local Git under $OUT,
# a namespace of its own (not ml-projects) and a new bucket; then the same values again. It is
# the scikit-learn project's name: the experiment and registered model the task claims for its
# owner are the ones `dvc repro` below trains into and registers into.
TASK_NAME="$SK_NAME" TASK_NS="team-churn-$suffix" TASK_BUCKET="tmpl-task-$suffix" rc=0
task_values="$(values "$TASK_NAME" sklearn "$TASK_NS" Standard \
  "{\"repoTarget\":\"local\",\"remoteUrl\":\"$OUT/git/$TASK_NAME.git\",\"bucket\":\"$TASK_BUCKET\"}")"
"$MLSTACK_TOOLS/venv/bin/python" scripts/template/real_task.py --base "$BASE" --token "$token" \
  --values "$task_values" --kubectl "$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$HDIR/kubeconfig" \
  --out "$OUT/tasks" "${secrets[@]}" >"$OUT/real-task.log" 2>&1 || rc=$?
grep -v '^TIMING ' "$OUT/real-task.log"
while read -r _ secs what; do note "$what in $secs s"; done < <(grep '^TIMING ' "$OUT/real-task.log")
[ "$rc" = 0 ] || fail "real task: $(grep -c '^FAIL' "$OUT/real-task.log") check(s) failed (log: $OUT/real-task.log, tasks: $OUT/tasks)"

# The same through the portal's Git server: a project of its own (name, namespace, bucket),
# registered in the catalog; then the same values again, refused.
GT_NS="team-gitea-$suffix" GT_BUCKET="tmpl-gitea-$suffix" rc=0
"$MLSTACK_TOOLS/venv/bin/python" scripts/template/gitea_task.py --base "$BASE" --token "$token" \
  --values "$(values "$GT_NAME" sklearn "$GT_NS" Standard "{\"repoTarget\":\"gitea\",\"bucket\":\"$GT_BUCKET\"}")" \
  --out "$OUT/tasks" "${secrets[@]}" >"$OUT/gitea-task.log" 2>&1 || rc=$?
grep -v '^TIMING ' "$OUT/gitea-task.log"
while read -r _ secs what; do note "$what in $secs s"; done < <(grep '^TIMING ' "$OUT/gitea-task.log")
[ "$rc" = 0 ] || fail "gitea task: $(grep -c '^FAIL' "$OUT/gitea-task.log") check(s) failed (log: $OUT/gitea-task.log, tasks: $OUT/tasks)"

# ---------------------------------------------------------------- run the scikit-learn project
RUN="$OUT/run/$SK_NAME"
mkdir -p "$(dirname "$RUN")"
cp -r "$SK_DIR" "$RUN"
(
  set -euo pipefail
  cd "$RUN"
  export PATH="$VENV/bin:$PATH" PYTHONPATH=src
  # The in-cluster DVC endpoint is in .dvc/config; this machine's goes to the git-ignored
  # .dvc/config.local. Credentials come from the environment (harness.env), never a file.
  # MLflow uploads through the tracking server (mlflow-artifacts:/), so no S3 endpoint for it.
  unset MLFLOW_S3_ENDPOINT_URL
  export MLFLOW_ARTIFACTS_DESTINATION=s3://mlflow-artifacts
  git init -q -b main
  git add -A
  git -c user.name=template-test -c user.email=template-test@localhost commit -qm "From the ml-project template"
  git rev-parse HEAD >"$OUT/commit-at-repro"
  dvc remote modify --local minio endpointurl "$MLSTACK_S3_ENDPOINT"
  t0="$(now)"
  dvc repro >"$OUT/dvc-repro.log" 2>&1 || { tail -n 30 "$OUT/dvc-repro.log" >&2; exit 10; }
  echo "$(since "$t0")" >"$OUT/dvc-repro.seconds"
) || fail "dvc repro failed (log: $OUT/dvc-repro.log)"
if [ -s "$OUT/dvc-repro.seconds" ]; then
  secs="$(cat "$OUT/dvc-repro.seconds")"
  note "dvc repro (prepare, train 2 candidates, evaluate, register) in $secs s"
  export PYTHONPATH="$RUN/src" MLFLOW_ARTIFACTS_DESTINATION=s3://mlflow-artifacts
  "$MLSTACK_TOOLS/venv/bin/python" "$CHECK" mlflow "$RUN" --name "$SK_NAME" --owner group:default/ml-team --commit "$(cat "$OUT/commit-at-repro")" |
    tee "$OUT/check-mlflow.log" || fail "MLflow objects after dvc repro (log: $OUT/check-mlflow.log)"
  (cd "$RUN" && "$PY" "$CHECK" register-twice "$RUN" --name "$SK_NAME") | tee "$OUT/check-register.log" ||
    fail "register twice (log: $OUT/check-register.log)"
  (cd "$RUN" && PATH="$VENV/bin:$PATH" dvc push >"$OUT/dvc-push.log" 2>&1) || fail "dvc push (log: $OUT/dvc-push.log)"
  "$MLSTACK_TOOLS/venv/bin/python" "$CHECK" dvc-remote "$RUN" --bucket dvc --prefix "$SK_NAME" |
    tee "$OUT/check-dvc.log" || fail "DVC objects in the bucket (log: $OUT/check-dvc.log)"
  # MLflow 3's own lineage, from the REST API: each run's dataset input is the pushed data.
  "$MLSTACK_TOOLS/venv/bin/python" "$CHECK" dataset-input "$RUN" --name "$SK_NAME" --bucket dvc --prefix "$SK_NAME" |
    tee "$OUT/check-dataset.log" || fail "MLflow dataset inputs vs the DVC remote (log: $OUT/check-dataset.log)"
  while read -r _ json; do note "dataset input $json"; done < <(grep '^DATASET ' "$OUT/check-dataset.log")
  grep -rlF -e "$AWS_SECRET_ACCESS_KEY" "$RUN" --exclude-dir=.git --exclude=config.local >/dev/null &&
    fail "a harness credential was written into the project (outside .dvc/config.local)" ||
    ok "no credential in the project after dvc repro and push"
  (cd "$RUN" && git status --porcelain --ignored=no | grep -q 'config.local') &&
    fail ".dvc/config.local is not git-ignored" || ok ".dvc/config.local is git-ignored"
  t0="$(now)"
  (cd "$RUN" && env -u MLFLOW_TRACKING_URI "$VENV/bin/pytest" -q -p no:cacheprovider >"$OUT/pytest-sklearn.log" 2>&1) &&
    ok "pytest (scikit-learn): $(tail -n 1 "$OUT/pytest-sklearn.log")" ||
    fail "pytest (scikit-learn): $(tail -n 1 "$OUT/pytest-sklearn.log") (log: $OUT/pytest-sklearn.log)"
  note "pytest scikit-learn in $(since "$t0") s"
fi

# ---------------------------------------------------------------- the PyTorch project
if [ -d "$PT_DIR/src" ]; then
  "$PY" -m compileall -q "$PT_DIR/src" "$PT_DIR/tests" >/dev/null && ok "PyTorch project compiles" ||
    fail "PyTorch project does not compile"
  if "$PY" -c 'import torch' 2>/dev/null; then pt_note="with torch"; else pt_note="torch not installed: its training tests are skipped"; fi
  (cd "$PT_DIR" && env -u MLFLOW_TRACKING_URI PYTHONPATH=src "$VENV/bin/pytest" -q -p no:cacheprovider -rs >"$OUT/pytest-pytorch.log" 2>&1) &&
    ok "pytest (PyTorch, $pt_note): $(tail -n 1 "$OUT/pytest-pytorch.log")" ||
    fail "pytest (PyTorch): $(tail -n 1 "$OUT/pytest-pytorch.log") (log: $OUT/pytest-pytorch.log)"
fi

echo
log "summary"
printf '  %s\n' "${SUMMARY[@]}" >&2
if [ "${#FAILURES[@]}" -gt 0 ]; then
  log "${#FAILURES[@]} failure(s):"
  printf '  - %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
log "templates/ml-project: all checks passed (artifacts: $OUT)"
