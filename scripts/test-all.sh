#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, then
#   1. type check (tsc)            2. lint (all workspaces), then the API reports of the plugins
#   3. (as root) the harness's real node: containerd, kubelet, controller-manager, scheduler;
#      a pod runs, `down` leaves nothing behind (scripts/harness/node/test-node.sh)
#   4. the real-service harness up (MinIO, MLflow, etcd + kube-apiserver with the CRDs, Gitea,
#      PostgreSQL)
#   5. jest for every workspace: unit tests and the integration tests against the harness
#   6. the production configuration: the backend on app-config.production.yaml against the
#      harness's PostgreSQL (scripts/production/test-production.sh)
#   7. the software template: rendered by the real scaffolder (dry-run API), the generated
#      project run for real against the harness (scripts/template/test-template.sh)
#   8. the browser tests: the built portal served by the backend, driven in Debian's Chromium;
#      and the README's first command (scripts/start.sh, the portal on its embedded stack)
#   9. the ml-project template's form in the browser, published to the harness Gitea and
#      opened in the catalog (scripts/template/test-form.sh)
# Stops everything it started, and exits non-zero when any step fails.
source "$(dirname "$0")/lib.sh"
cd "$MLSTACK_ROOT"
start_ts=$(date +%s)
step() { log "== $1 ($(($(date +%s) - start_ts)) s)"; }

step "bootstrap"
bash scripts/bootstrap/all.sh --tests
use_project_node

harness_started=0
cleanup() {
  local rc=$?
  [ "$harness_started" = 1 ] && bash scripts/harness/harness.sh down >/dev/null 2>&1
  if [ "$rc" -eq 0 ]; then log "all tests passed in $(($(date +%s) - start_ts)) s"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT

step "tsc"
yarn tsc

step "lint"
yarn lint:all

step "api reports"
yarn build:api-reports:check

if [ "$(id -u)" -eq 0 ]; then
  step "the harness's real node: a pod runs, down leaves nothing behind"
  bash scripts/harness/node/test-node.sh
  step "the golden path: the template's project trained, registered and served for real, through the portal"
  bash scripts/harness/node/test-golden-path.sh
elif [ -n "${MLSTACK_REQUIRE_NODE_TEST:-}" ]; then
  die "MLSTACK_REQUIRE_NODE_TEST is set, but the harness's real node needs root: run as root"
else
  log "SKIPPED (not root): the harness's real node, scripts/harness/node/test-node.sh and test-golden-path.sh; the real runs are not tested"
fi

step "harness up"
harness_started=1
bash scripts/harness/harness.sh up
set -a
source "${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}/harness.env"
set +a

step "jest: unit and integration tests"
yarn test:jest

step "production: app-config.production.yaml against PostgreSQL"
bash scripts/production/test-production.sh

step "template: scaffolder dry-run and the generated project run for real"
bash scripts/template/test-template.sh

step "browser tests"
bash scripts/e2e.sh

step "browser test: the ml-project template's form, from Create to the new entity (Gitea)"
bash scripts/template/test-form.sh
