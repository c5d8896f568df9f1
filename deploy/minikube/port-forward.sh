#!/usr/bin/env bash
# Makes the stack reachable from the laptop, on 127.0.0.1 only, until Ctrl-C:
#   MLflow       http://localhost:5000   (the portal's app-config.minikube.yaml points here)
#   MinIO S3     http://localhost:9000   (DVC remote, aws/mc clients)
#   MinIO UI     http://localhost:9001
#   Argo UI      https://localhost:2746  (self-signed certificate)
# Ports can be moved with MLFLOW_PORT, MINIO_PORT, MINIO_CONSOLE_PORT, ARGO_PORT (e.g.
# MLFLOW_PORT=5001 on macOS, where AirPlay takes 5000; then change app-config too).
#
# Environment: MLSTACK_KUBE_CONTEXT (default: minikube), KUBECTL (default: kubectl).
set -euo pipefail

CONTEXT="${MLSTACK_KUBE_CONTEXT:-minikube}"
KUBECTL_BIN="${KUBECTL:-kubectl}"
MLFLOW_PORT="${MLFLOW_PORT:-5000}"
MINIO_PORT="${MINIO_PORT:-9000}"
MINIO_CONSOLE_PORT="${MINIO_CONSOLE_PORT:-9001}"
ARGO_PORT="${ARGO_PORT:-2746}"

command -v "$KUBECTL_BIN" >/dev/null 2>&1 || {
  echo "port-forward.sh: $KUBECTL_BIN is not installed" >&2
  exit 1
}

pids=""
# shellcheck disable=SC2317  # called by the EXIT trap
stop() {
  trap - EXIT INT TERM
  # Only the port-forwards this script started.
  local pid
  for pid in $pids; do
    kill "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 130' INT TERM

# forward NAMESPACE SERVICE LOCAL:REMOTE...
forward() {
  local ns="$1" svc="$2"
  shift 2
  "$KUBECTL_BIN" --context "$CONTEXT" -n "$ns" port-forward --address 127.0.0.1 "svc/$svc" "$@" >/dev/null &
  pids="$pids $!"
}

forward mlflow mlflow "$MLFLOW_PORT:5000"
forward minio minio "$MINIO_PORT:9000" "$MINIO_CONSOLE_PORT:9001"
forward argo argo-server "$ARGO_PORT:2746"

all_alive() {
  local pid
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null || return 1
  done
}

sleep 2
if ! all_alive; then
  echo "port-forward.sh: could not forward (errors above); is the stack installed? deploy/minikube/install.sh status" >&2
  exit 1
fi
cat <<MSG
MLflow     http://localhost:$MLFLOW_PORT
MinIO S3   http://localhost:$MINIO_PORT   (console: http://localhost:$MINIO_CONSOLE_PORT)
Argo UI    https://localhost:$ARGO_PORT
Ctrl-C stops the forwards.
MSG

# Stop as soon as one forward ends (its pod restarted, the cluster stopped): run again then.
while all_alive; do
  sleep 2
done
echo "port-forward.sh: a port-forward stopped (pod restarted or cluster down); run the script again" >&2
exit 1
