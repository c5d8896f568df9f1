#!/usr/bin/env bash
# Starts the portal: frontend on http://localhost:3000, backend on http://localhost:7007
# (SQLite in memory, guest sign-in, the local catalog). Installs whatever a fresh machine lacks
# first (Node 22, Yarn, Debian packages, node_modules; for the embedded stack also
# kube-apiserver, kubectl, etcd, MinIO and Gitea built from source and the Python venv with
# MLflow: scripts/bootstrap/all.sh --stack).
#
#   scripts/start.sh                 the portal on its embedded stack: the local MinIO, MLflow,
#                                    Kubernetes API server (etcd + kube-apiserver with the
#                                    Argo Workflows and KServe CRDs) and Git server (Gitea) of
#                                    scripts/harness, seeded with the example project
#                                    (fraud-detector): its MLflow, Pipelines and Serving tabs
#                                    show data, and the ml-project template runs end to end
#                                    (publishing to a new repository of the Gitea organisation
#                                    mlstack and registering it in the catalog; or to a local
#                                    bare repository under .tools/demo/git/). Services already up are
#                                    reused; Ctrl-C stops the portal and the services this start
#                                    started (not the ones that were up before).
#   scripts/start.sh --node          (root) the embedded stack on the harness's real one-node
#                                    cluster: containerd and a kubelet, Argo's workflow controller
#                                    and KServe's controller. Pipelines submitted from the portal
#                                    run in real pods; deployed models load and answer. Pods reach
#                                    MLflow and MinIO by the template's default (Minikube) URLs.
#                                    A new project's image: scripts/harness/harness.sh image NAME.
#                                    The first start builds the node's images (see the README).
#   scripts/start.sh --demo          the same as no arguments (its name before it was the
#                                    default); with --config, the embedded stack plus that config
#   scripts/start.sh --bare          the portal alone (MLflow expected at localhost:5000, the
#                                    current kubeconfig context, MinIO at localhost:9000)
#   scripts/start.sh --config F ...  the portal alone with more config on top of app-config.yaml
#                                    (e.g. app-config.minikube.yaml: real services); starts
#                                    nothing local. Other arguments go to `backstage-cli repo start`.
#
# MLSTACK_FRONTEND_PORT and MLSTACK_BACKEND_PORT (default 3000 and 7007) move the portal to
# other ports (http://localhost:<port>), e.g. when another portal runs on this machine.
caller_dir="$PWD"
source "$(dirname "$0")/lib.sh"
start_ts=$(date +%s)
frontend_port="${MLSTACK_FRONTEND_PORT:-3000}"
backend_port="${MLSTACK_BACKEND_PORT:-7007}"
for p in "$frontend_port" "$backend_port"; do
  [[ "$p" =~ ^[0-9]+$ ]] || die "MLSTACK_FRONTEND_PORT and MLSTACK_BACKEND_PORT must be port numbers"
  port_taken "$p" && die "port $p is already in use on 127.0.0.1; the portal needs $frontend_port (frontend, MLSTACK_FRONTEND_PORT) and $backend_port (backend, MLSTACK_BACKEND_PORT)"
done
[ "$frontend_port" != "$backend_port" ] || die "the frontend and the backend need two different ports"

mode=embedded
with_node=0
case "${1:-}" in
  --demo) mode=demo; shift ;;
  --node) mode=demo; with_node=1; shift ;;
  --bare) mode=bare; shift ;;
esac
for a in "$@"; do
  if [ "$a" = --config ] && [ "$mode" = embedded ]; then mode=bare; fi
done
[ "$mode" = demo ] && mode=embedded
if [ "$with_node" = 1 ] && [ "$(id -u)" -ne 0 ]; then
  die "--node needs root (containerd, network namespaces, cgroups); without it: scripts/start.sh"
fi

if [ "$with_node" = 1 ]; then
  bash "$MLSTACK_ROOT/scripts/bootstrap/all.sh" --tests
elif [ "$mode" = embedded ]; then
  bash "$MLSTACK_ROOT/scripts/bootstrap/all.sh" --stack
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

# Generated config, one folder per backend port so that two portals do not share files.
run_dir="$MLSTACK_TOOLS/start/$backend_port"
mkdir -p "$run_dir"
if [ "$frontend_port" != 3000 ] || [ "$backend_port" != 7007 ]; then
  cat >"$run_dir/app-config.ports.yaml" <<CFG
app:
  baseUrl: http://localhost:$frontend_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
  cors:
    origin: http://localhost:$frontend_port
CFG
  args+=(--config "$run_dir/app-config.ports.yaml")
fi

portal_pid=
watch_pid=
started_services=()
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; fi
  if [ -n "$portal_pid" ] && kill -0 "$portal_pid" 2>/dev/null; then
    log "stopping the portal"
    kill -TERM -- "-$portal_pid" 2>/dev/null || kill -TERM "$portal_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$portal_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$portal_pid" 2>/dev/null || true
  fi
  # A start interrupted while the services come up: let those calls finish (killed, a failing
  # `harness.sh up` stops what that call started), then stop what this start started.
  for p in ${mlflow_up:-} ${kube_up:-} ${git_up:-}; do
    wait "$p" 2>/dev/null || true
  done
  if [ ${#started_services[@]} -gt 0 ]; then
    log "stopping the services this start started: ${started_services[*]}"
    bash "$MLSTACK_ROOT/scripts/harness/harness.sh" down "${started_services[@]}" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [ "$mode" = embedded ]; then
  harness_dir="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
  demo_dir="$MLSTACK_TOOLS/demo"
  mkdir -p "$demo_dir/git"
  # Without a node the cluster's objects are kept between starts (what was deployed stays, and
  # a restart skips installing the CRDs).
  export MLSTACK_KUBE_KEEP_DATA=1
  services=(s3 mlflow kube git)
  cluster=(kube)
  kube_mode=""
  if grep -q '^kube ' <<<"$(bash scripts/harness/harness.sh status)"; then
    kube_mode="$(cat "$harness_dir/run/kube.mode" 2>/dev/null)"
  fi
  if [ "$with_node" = 1 ]; then
    services+=(node argo kserve)
    cluster=(kube node argo kserve)
    if [ -n "$kube_mode" ] && [ "$kube_mode" != node ]; then
      die "the Kubernetes API server is up without a node (a start without --node, or a test); stop that first, or stop it: scripts/harness/harness.sh down kube"
    fi
  elif [ "$kube_mode" = node ]; then
    # Seeding the example's recorded statuses would hand them to live controllers.
    die "the Kubernetes API server is up with the node (a --node start, or a test); start with --node to use it, or stop it first: scripts/harness/harness.sh down kube"
  fi
  up_before="$(bash scripts/harness/harness.sh status | awk '{print $1}')"
  for s in "${services[@]}"; do
    grep -qx "$s" <<<"$up_before" || started_services+=("$s")
  done
  if [ ${#started_services[@]} -eq ${#services[@]} ]; then
    log "starting the embedded stack: MinIO, MLflow, Kubernetes API server, Git server (Gitea)$([ "$with_node" = 1 ] && echo ", the node with Argo's and KServe's controllers")"
  elif [ ${#started_services[@]} -gt 0 ]; then
    log "starting the embedded stack: ${started_services[*]} (the others are already up)"
  else
    log "reusing the embedded stack that is already up (${services[*]})"
  fi
  # MLflow (after MinIO), the cluster (the API server after etcd; the node, its controllers and
  # images) and Gitea start side by side; the last call only finds all up, gives the pods their
  # ways to the services and writes the state in one go.
  bash scripts/harness/harness.sh up s3 mlflow >/dev/null &
  mlflow_up=$!
  bash scripts/harness/harness.sh up "${cluster[@]}" >"$run_dir/cluster-up.log" 2>&1 &
  kube_up=$!
  if [ "$with_node" = 1 ]; then
    log "the node's images are built on its first start (about 10 minutes on 2 cores), then reused; progress: $run_dir/cluster-up.log"
  fi
  bash scripts/harness/harness.sh up git >/dev/null &
  git_up=$!
  wait "$mlflow_up" || { wait "$kube_up" || true; wait "$git_up" || true; die "MinIO or MLflow did not start (logs: $harness_dir/logs/)"; }
  wait "$kube_up" || { wait "$git_up" || true; tail -n 20 "$run_dir/cluster-up.log" >&2; die "the cluster did not start (logs: $harness_dir/logs/)"; }
  wait "$git_up" || die "the Git server (Gitea) did not start (logs: $harness_dir/logs/gitea.log)"
  mlflow_up= kube_up= git_up=
  bash scripts/harness/harness.sh up "${services[@]}" >/dev/null
  set -a; source "$harness_dir/harness.env"; set +a

  # MLflow keeps its data between starts: seed it once. Seeding the cluster replaces the
  # example's objects (the statuses recorded upstream): every start, and never on a node, whose
  # controllers would act on them.
  if curl -fsS --max-time 10 "$MLSTACK_MLFLOW_URL/api/2.0/mlflow/registered-models/get?name=fraud-detector" 2>/dev/null |
    grep -q '"mlstack.io/owner"'; then
    log "MLflow already holds the example project"
  else
    log "seeding MLflow with the example project (fraud-detector)"
    "$MLSTACK_TOOLS/venv/bin/python" scripts/harness/seed_mlflow.py --if-missing \
      --tracking-uri "$MLSTACK_MLFLOW_URL" >"$run_dir/seed-mlflow.json" 2>"$run_dir/seed-mlflow.log" ||
      { tail -n 20 "$run_dir/seed-mlflow.log" >&2; die "seeding MLflow failed"; }
  fi
  if [ "$with_node" = 0 ]; then
    log "seeding the Kubernetes API server with the example project's workflows and InferenceService"
    node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/seed/seedKube.ts \
      >"$run_dir/seed-kube.json" 2>"$run_dir/seed-kube.log" ||
      { tail -n 20 "$run_dir/seed-kube.log" >&2; die "seeding the cluster failed"; }
  fi
  if [ "$with_node" = 1 ]; then
    # What pods use: MinIO's in-cluster name (the node's cluster DNS), for the storage
    # initializer of models deployed from the portal. No Knative on the node: Standard only.
    cluster_s3="    clusterEndpoint: http://minio.minio.svc.cluster.local:9000"
    deploy_modes="[Standard]"
    deploy_note="the node's KServe controller serves what is deployed"
  else
    cluster_s3=""
    deploy_modes="[Standard, Knative]"
    deploy_note="the embedded API server has no KServe controller: deployed services are stored, not run; scripts/start.sh --node runs them"
  fi
  # Credentials stay in the environment; the config file only refers to them (the Gitea token
  # as ${MLSTACK_GIT_TOKEN}, from harness.env).
  export MLOPS_S3_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" MLOPS_S3_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
  cat >"$run_dir/app-config.embedded.yaml" <<CFG
# The embedded stack's Gitea: the catalog reads the template's new repositories through this
# integration, and mlops:publish:git creates them with its token.
integrations:
  gitea:
    - host: $MLSTACK_GIT_HOST
      baseUrl: $MLSTACK_GIT_URL
      password: \${MLSTACK_GIT_TOKEN}
mlops:
  mlflow:
    instances:
      - name: default
        baseUrl: $MLSTACK_MLFLOW_URL
        # The harness's server stores what it serves as mlflow-artifacts:/ here; deploys hand
        # KServe this URI.
        artifactsDestination: s3://mlflow-artifacts
  kubernetes:
    clusters:
      - name: default
        kubeconfigContext: mlstack-harness
  # Where the Deploy dialog may put models: the example project's namespace ($deploy_note).
  deploy:
    targets:
      - cluster: default
        namespaces: [ml-projects]
        modes: $deploy_modes
  s3:
    endpoint: $MLSTACK_S3_ENDPOINT
$cluster_s3
  git:
    allowedRoots: [$demo_dir/git]
    allowedHosts: [localhost, 127.0.0.1]
    # the template's "portal's Git server" option: <this>/<name>.git
    defaultRemoteBase: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG
CFG
  args+=(--config "$run_dir/app-config.embedded.yaml")
  log "embedded stack: MLflow $MLSTACK_MLFLOW_URL, S3 $MLSTACK_S3_ENDPOINT, Kubernetes $MLSTACK_KUBE_SERVER, Git $MLSTACK_GIT_URL"
  log "the template's new repositories: $MLSTACK_GIT_URL/$MLSTACK_GIT_ORG/<name> (Gitea; or local bare repositories: $demo_dir/git/<name>.git)"
  if [ "$with_node" = 1 ]; then
    log "the node runs pipelines and models: a new project's image is \`scripts/harness/harness.sh image <name>\`, then submit its pipeline from its Pipelines tab (kubectl: KUBECONFIG=$harness_dir/kubeconfig)"
  fi
fi

# The portal in its own process group, so that stopping it stops the frontend dev server and
# the backend with it.
setsid yarn start "${args[@]}" &
portal_pid=$!
url="http://localhost:$frontend_port"
(
  while kill -0 "$portal_pid" 2>/dev/null; do
    if curl -fsS -o /dev/null --max-time 2 "http://localhost:$backend_port/.backstage/health/v1/readiness" 2>/dev/null &&
      curl -fsS -o /dev/null --max-time 5 "$url/" 2>/dev/null; then
      log "MLStack is ready at $url ($(($(date +%s) - start_ts)) s after start; Ctrl-C stops it)"
      exit 0
    fi
    sleep 1
  done
) &
watch_pid=$!
set +e
wait "$portal_pid"
rc=$?
set -e
portal_pid=
exit "$rc"
