#!/usr/bin/env bash
# Starts the portal on its embedded defaults: frontend on http://localhost:3000, backend on
# http://localhost:7007 (SQLite in memory, guest sign-in, the local catalog).
# Installs whatever a fresh machine lacks first (Node 22, Yarn, Debian packages, node_modules).
#
#   scripts/start.sh                 the embedded defaults (MLflow at localhost:5000, the
#                                    current kubeconfig context, MinIO at localhost:9000)
#   scripts/start.sh --demo          the same portal against the real local services of the test
#                                    harness (MinIO, MLflow, a kube-apiserver with the Argo and
#                                    KServe CRDs), seeded with the example project's runs,
#                                    workflows and InferenceService; the ml-project template
#                                    works end to end (publishing to a local bare repository).
#                                    Stop the services with `scripts/harness/harness.sh down`.
#   scripts/start.sh --config F ...  more config on top of app-config.yaml (e.g.
#                                    app-config.minikube.yaml); other arguments go to
#                                    `backstage-cli repo start`.
caller_dir="$PWD"
source "$(dirname "$0")/lib.sh"
for p in 3000 7007; do
  port_taken "$p" && die "port $p is already in use on 127.0.0.1; the portal needs 3000 (frontend) and 7007 (backend)"
done
demo=0
if [ "${1:-}" = --demo ]; then
  demo=1
  shift
fi
if [ "$demo" = 1 ]; then
  bash "$MLSTACK_ROOT/scripts/bootstrap/all.sh" --tests
else
  bash "$MLSTACK_ROOT/scripts/bootstrap/all.sh"
fi
use_project_node
cd "$MLSTACK_ROOT"

# Each package resolves --config from its own folder: pass absolute paths, app-config.yaml
# first (backstage-cli drops the default app-config.yaml as soon as one --config is given).
args=(--config "$MLSTACK_ROOT/app-config.yaml")
[ -f "$MLSTACK_ROOT/app-config.local.yaml" ] && args+=(--config "$MLSTACK_ROOT/app-config.local.yaml")
while [ $# -gt 0 ]; do
  if [ "$1" = --config ] && [ $# -gt 1 ]; then
    config="$(cd "$caller_dir" && realpath -m -- "$2")"
    [ -f "$config" ] || die "config file $2 does not exist"
    case "$config" in
      "$MLSTACK_ROOT/app-config.yaml" | "$MLSTACK_ROOT/app-config.local.yaml") ;;
      *) args+=(--config "$config") ;;
    esac
    shift 2
  else
    args+=("$1")
    shift
  fi
done
[ "$demo" = 1 ] || exec yarn start "${args[@]}"

harness_dir="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
demo_dir="$MLSTACK_TOOLS/demo"
mkdir -p "$demo_dir/git"
bash scripts/harness/harness.sh up s3 mlflow kube
set -a; source "$harness_dir/harness.env"; set +a
log "seeding MLflow and the cluster with the example project (fraud-detector)"
"$MLSTACK_TOOLS/venv/bin/python" scripts/harness/seed_mlflow.py --tracking-uri "$MLSTACK_MLFLOW_URL" \
  >"$demo_dir/seed-mlflow.json" 2>"$demo_dir/seed-mlflow.log" ||
  { tail -n 20 "$demo_dir/seed-mlflow.log" >&2; die "seeding MLflow failed"; }
node scripts/harness/seed_kube.mjs >"$demo_dir/seed-kube.json" 2>"$demo_dir/seed-kube.log" ||
  { tail -n 20 "$demo_dir/seed-kube.log" >&2; die "seeding the cluster failed"; }
# Credentials stay in the environment; the config file only refers to them.
export MLOPS_S3_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" MLOPS_S3_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
cat >"$demo_dir/app-config.demo.yaml" <<CFG
mlops:
  mlflow:
    instances:
      - name: default
        baseUrl: $MLSTACK_MLFLOW_URL
  kubernetes:
    clusters:
      - name: default
        kubeconfigContext: mlstack-harness
  s3:
    endpoint: $MLSTACK_S3_ENDPOINT
  git:
    allowedRoots: [$demo_dir/git]
CFG
log "demo services: MLflow $MLSTACK_MLFLOW_URL, S3 $MLSTACK_S3_ENDPOINT, kube $MLSTACK_KUBE_SERVER"
log "local Git remotes for the template: $demo_dir/git/<name>.git"
exec yarn start "${args[@]}" --config "$demo_dir/app-config.demo.yaml"
