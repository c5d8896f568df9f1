#!/usr/bin/env bash
# The browser test: builds the app, serves it from the backend on a free loopback port with
# the embedded defaults, and drives it with Playwright in Debian's Chromium.
# MLflow and the API server of the harness are seeded and the backend pointed at them, so the
# MLflow, Pipelines and Serving tabs of the example ML project show real data. Screenshots and the report go to artifacts/e2e/.
# first-run.test.ts also runs the README's first command, scripts/start.sh, on free ports with its
# own harness folder (artifacts/e2e/first-run/), and stops it as Ctrl-C does.
# Arguments go to `playwright test`, e.g. one file: scripts/e2e.sh packages/app/e2e-tests/deploy.test.ts
source "$(dirname "$0")/lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"
need chromium "Debian package chromium (scripts/bootstrap/debian.sh tests)"

port="${MLSTACK_E2E_PORT:-$(free_port)}"
port_taken "$port" && die "port $port (MLSTACK_E2E_PORT) is already in use"
out="$MLSTACK_ROOT/artifacts/e2e"
mkdir -p "$out"
extra=()

# MLflow (and its S3), the kube-apiserver and the Git server (Gitea) from the harness: reused
# when already up.
bash scripts/harness/harness.sh up s3 mlflow kube git >/dev/null
set -a; source "${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}/harness.env"; set +a
{
  log "seeding the harness MLflow for the example ML project"
  "$MLSTACK_TOOLS/venv/bin/python" scripts/harness/seed_mlflow.py --tracking-uri "$MLSTACK_MLFLOW_URL" \
    >"$out/seed.json" 2>"$out/seed.log" || { tail -n 20 "$out/seed.log" >&2; die "seeding MLflow failed"; }
  cat >"$out/app-config.mlflow.yaml" <<CFG
mlops:
  mlflow:
    instances:
      - name: harness
        baseUrl: $MLSTACK_MLFLOW_URL
        artifactsDestination: s3://mlflow-artifacts
CFG
  extra+=("$out/app-config.mlflow.yaml")
}
{
  log "seeding the harness cluster for the example ML project"
  node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/seed/seedKube.ts \
    >"$out/kube-seed.json" 2>"$out/kube-seed.log" \
    || { tail -n 20 "$out/kube-seed.log" >&2; die "seeding the cluster failed"; }
  # KUBECONFIG (harness.env) holds the harness contexts; the backend uses the admin one.
  cat >"$out/app-config.kube.yaml" <<CFG
mlops:
  kubernetes:
    clusters:
      - name: harness
        kubeconfigContext: mlstack-harness
  deploy:
    targets:
      - cluster: harness
        namespaces: [ml-projects]
        modes: [Standard, Knative]
CFG
  extra+=("$out/app-config.kube.yaml")
}

{
  # The portal's Git server, as scripts/start.sh configures it: the template's default target
  # (its token by reference to the environment, harness.env).
  cat >"$out/app-config.git.yaml" <<CFG
integrations:
  gitea:
    - host: $MLSTACK_GIT_HOST
      baseUrl: $MLSTACK_GIT_URL
      password: \${MLSTACK_GIT_TOKEN}
mlops:
  git:
    allowedHosts: [localhost, 127.0.0.1]
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
CFG
  extra+=("$out/app-config.git.yaml")
}

log "building the app bundle"
build_app_bundle "$out/app-build.log" \
  || { tail -n 30 "$out/app-build.log" >&2; die "the app build failed (log: $out/app-build.log)"; }

log "starting the backend on 127.0.0.1:$port"
trap stop_test_backend EXIT
start_test_backend "$port" "$out" "${extra[@]}"

PORTAL_URL="http://127.0.0.1:$port" E2E_ARTIFACTS="$out" E2E_MLFLOW_SEED="$out/seed.json" \
  E2E_KUBE_SEED="$out/kube-seed.json" yarn playwright test "$@"
