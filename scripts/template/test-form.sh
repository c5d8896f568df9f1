#!/usr/bin/env bash
# The ml-project template's form in the browser (scripts/template/e2e/form.test.ts): a backend
# serving the built app (packages/app/dist; built first if missing) with the harness's MinIO,
# MLflow, kube-apiserver and Gitea configured as scripts/start.sh does, then Playwright in
# Debian's Chromium. Screenshots: artifacts/template-form/screenshots/.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
need chromium "Debian package chromium (scripts/bootstrap/debian.sh tests)"
out="$MLSTACK_ROOT/artifacts/template-form"
mkdir -p "$out/screenshots"
HDIR="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
bash scripts/harness/harness.sh up s3 mlflow kube git >/dev/null
set -a; source "$HDIR/harness.env"; set +a
cat >"$out/app-config.form.yaml" <<CFG
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
  kubernetes:
    clusters:
      - name: default
        kubeconfigContext: mlstack-harness
  s3:
    endpoint: \${MLSTACK_S3_ENDPOINT}
    accessKeyId: \${AWS_ACCESS_KEY_ID}
    secretAccessKey: \${AWS_SECRET_ACCESS_KEY}
  git:
    allowedHosts: [localhost, 127.0.0.1]
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
CFG
if [ ! -f packages/app/dist/index.html ]; then
  log "building the app bundle"
  yarn workspace app build --config ../../app-config.yaml >"$out/app-build.log" 2>&1 ||
    { tail -n 30 "$out/app-build.log" >&2; die "the app build failed (log: $out/app-build.log)"; }
fi
port="$(free_port)"
trap stop_test_backend EXIT
log "starting the backend on 127.0.0.1:$port"
start_test_backend "$port" "$out" "$out/app-config.form.yaml"
PORTAL_URL="http://127.0.0.1:$port" E2E_ARTIFACTS="$out" \
  yarn playwright test --config scripts/template/e2e/playwright.config.ts "$@"
