# shellcheck shell=bash
# Argo Workflows on the harness's node, sourced by harness.sh: the workflow controller
# (github.com/argoproj/argo-workflows/v4 v4.0.5, built from the Go module proxy, which serves no
# v4.1.x; the Minikube install stays on the release deploy/minikube/versions.env names) runs on
# the host against the harness API server, and its executor runs in every step's pod from the
# locally built image quay.io/argoproj/argoexec:v4.0.5 (scripts/harness/node/images.sh).
# The controller's health endpoint is upstream's fixed :6060; its metrics are off.

ARGO_VERSION=v4.0.5
ARGO_NAMESPACE=argo
ARGOEXEC_IMAGE="quay.io/argoproj/argoexec:$ARGO_VERSION"

up_argo() {
  is_running kubelet || die "Argo's steps run on the harness's node: harness.sh up kube node argo"
  require_bin "$BIN/workflow-controller" "Argo's workflow controller" "scripts/bootstrap/go-binaries.sh argo"
  is_running workflow-controller && return 0
  import_node_images argoexec
  local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig") logf="$HARNESS_DIR/logs/workflow-controller.log"
  "${kc[@]}" create namespace "$ARGO_NAMESPACE" --dry-run=client -o yaml | "${kc[@]}" apply -f - >/dev/null \
    || die "creating the namespace $ARGO_NAMESPACE failed"
  # The kinds only the controller and its executor use (task results, task sets, artifact GC),
  # from the release the controller is built from; the harness API server has the others.
  "${kc[@]}" apply --server-side --force-conflicts -f "$MLSTACK_ROOT/third_party/argo-workflows/controller-crds" >>"$logf" 2>&1 \
    || die "applying Argo's controller CRDs failed (see $logf)"
  "${kc[@]}" wait --for condition=established --timeout=180s -f "$MLSTACK_ROOT/third_party/argo-workflows/controller-crds" >>"$logf" 2>&1 \
    || die "Argo's controller CRDs were not established (see $logf)"
  "${kc[@]}" apply -f - >/dev/null <<YAML || die "applying Argo's controller ConfigMap failed"
apiVersion: v1
kind: ConfigMap
metadata: { name: workflow-controller-configmap, namespace: $ARGO_NAMESPACE }
data:
  executor: |
    imagePullPolicy: IfNotPresent
  metricsConfig: |
    enabled: false
  telemetryConfig: |
    enabled: false
YAML
  # Upstream's health endpoint is a fixed :6060 that only logs a failed bind: a port taken by
  # something else would answer the check below for it.
  if port_taken 6060; then
    die "port 6060, which Argo's workflow controller serves its health on (fixed upstream), is taken on this host"
  fi
  log "starting Argo's workflow controller $ARGO_VERSION (executor image $ARGOEXEC_IMAGE)"
  LEADER_ELECTION_DISABLE=true spawn workflow-controller "$logf" "$BIN/workflow-controller" \
    --kubeconfig "$(node_dir)/admin.kubeconfig" --namespace "$ARGO_NAMESPACE" \
    --configmap workflow-controller-configmap \
    --executor-image "$ARGOEXEC_IMAGE" --executor-image-pull-policy IfNotPresent \
    --workflow-workers 4 --pod-cleanup-workers 2
  local i
  for i in $(seq 1 60); do
    is_running workflow-controller || fail_start workflow-controller "$logf"
    curl -fsS --max-time 2 http://127.0.0.1:6060/healthz >/dev/null 2>&1 && return 0
    sleep 1
  done
  fail_start workflow-controller "$logf"
}

stop_argo() { stop_one workflow-controller; }
