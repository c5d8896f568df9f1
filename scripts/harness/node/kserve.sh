# shellcheck shell=bash
# KServe on the harness's node, sourced by harness.sh: the controller manager of KServe v0.20.0
# (github.com/kserve/kserve, built by scripts/bootstrap/go-binaries.sh kserve) runs on the host
# against the harness API server in Standard (RawDeployment) mode, as the Minikube install
# configures it (scripts/harness/node/kserve_config.py); its admission webhooks (the
# InferenceService defaulter and validator, and the pod mutator that adds the storage
# initializer) are registered with URLs on loopback and a certificate from the harness CA.
# Its other CRDs (TrainedModel, InferenceGraph, ClusterStorageContainer, LocalModel*) come from
# the same release (third_party/kserve/controller/crds).

KSERVE_VERSION=v0.20.0
KSERVE_THIRD_PARTY="$MLSTACK_ROOT/third_party/kserve/controller"

kserve_webhook_certs() {
  local pki="$HARNESS_DIR/pki" certs
  certs="$(node_dir)/kserve/tmp/k8s-webhook-server/serving-certs"
  mkdir -p "$certs"
  [ -s "$certs/tls.crt" ] && return 0
  (
    cd "$pki"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kserve-webhook" \
      -keyout "$certs/tls.key" -out kserve-webhook.csr 2>/dev/null
    # serverAuth only: the kubelet trusts client certificates from the same CA.
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >kserve-webhook.ext
    openssl x509 -req -in kserve-webhook.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -extfile kserve-webhook.ext -out "$certs/tls.crt" 2>/dev/null
    chmod 600 "$certs/tls.key"
  ) || die "creating the KServe webhook certificate failed"
}

# The storage initializer, the scikit-learn server and MLServer, built once (model-servers.sh; minutes
# cold, seconds cached) and imported under the names kserve_config.py gives them.
import_model_server_images() {
  local archives archive
  archives="$(bash "$MLSTACK_ROOT/scripts/harness/node/model-servers.sh")" || die "building KServe's model server images failed"
  for archive in $archives; do
    node_ctr images import "$archive" >>"$HARNESS_DIR/logs/containerd.log" 2>&1 \
      || die "importing $archive into the node's containerd failed (see $HARNESS_DIR/logs/containerd.log)"
  done
}

up_kserve() {
  is_running kubelet || die "KServe's predictors run on the harness's node: harness.sh up kube node kserve"
  require_bin "$BIN/kserve-manager" "KServe's controller manager" "scripts/bootstrap/go-binaries.sh kserve"
  is_running kserve-manager && return 0
  import_model_server_images
  local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig") logf="$HARNESS_DIR/logs/kserve-manager.log"
  local py="$VENV/bin/python" tool="$MLSTACK_ROOT/scripts/harness/node/kserve_config.py" port probe i
  "${kc[@]}" apply --server-side --force-conflicts -f "$KSERVE_THIRD_PARTY/crds" >>"$logf" 2>&1 \
    || die "applying KServe's controller CRDs failed (see $logf)"
  "${kc[@]}" wait --for condition=established --timeout=60s -f "$KSERVE_THIRD_PARTY/crds" >>"$logf" 2>&1 \
    || die "KServe's controller CRDs were not established (see $logf)"
  "$py" "$tool" config "$KSERVE_THIRD_PARTY" | "${kc[@]}" apply --server-side --force-conflicts -f - >>"$logf" 2>&1 \
    || die "applying KServe's inferenceservice-config failed (see $logf)"
  kserve_webhook_certs
  port="$(free_port)"
  probe="$(free_port)"
  state_set kserve.webhook-port "$port"
  log "starting KServe's controller manager $KSERVE_VERSION (Standard mode, webhooks on 127.0.0.1:$port)"
  # controller-runtime reads its serving certificate from $TMPDIR/k8s-webhook-server/serving-certs.
  TMPDIR="$(node_dir)/kserve/tmp" POD_NAMESPACE=kserve KUBECONFIG="$(node_dir)/admin.kubeconfig" \
    spawn kserve-manager "$logf" "$BIN/kserve-manager" --leader-elect=false \
    --metrics-addr 0 --health-probe-addr "127.0.0.1:$probe" --webhook-port "$port"
  for i in $(seq 1 90); do
    is_running kserve-manager || fail_start kserve-manager "$logf"
    curl -fsS --max-time 2 "http://127.0.0.1:$probe/readyz" >/dev/null 2>&1 &&
      curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$port/" && break
    [ "$i" -eq 90 ] && fail_start kserve-manager "$logf"
    sleep 1
  done
  "$py" "$tool" webhooks "$KSERVE_THIRD_PARTY" "$port" "$HARNESS_DIR/pki/ca.crt" |
    "${kc[@]}" apply --server-side --force-conflicts -f - >>"$logf" 2>&1 || fail_start kserve-manager "$logf"
  "$py" "$tool" objects "$KSERVE_THIRD_PARTY" | "${kc[@]}" apply --server-side --force-conflicts -f - >>"$logf" 2>&1 \
    || fail_start kserve-manager "$logf"
}

# The webhooks go first: with the controller gone they would refuse every InferenceService and
# every predictor pod (failurePolicy Fail).
stop_kserve() {
  if is_running kube-apiserver; then
    local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig")
    "${kc[@]}" delete mutatingwebhookconfiguration inferenceservice.serving.kserve.io --ignore-not-found >/dev/null 2>&1 || true
    "${kc[@]}" delete validatingwebhookconfiguration --ignore-not-found inferenceservice.serving.kserve.io \
      trainedmodel.serving.kserve.io inferencegraph.serving.kserve.io clusterservingruntime.serving.kserve.io \
      servingruntime.serving.kserve.io >/dev/null 2>&1 || true
  fi
  stop_one kserve-manager
}
