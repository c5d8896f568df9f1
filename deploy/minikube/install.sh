#!/usr/bin/env bash
# Installs the MLStack platform on Minikube (deploy/minikube/README.md walks through it):
#
#   cert-manager      (namespace cert-manager)  Helm chart, for KServe's webhook certificate
#   Argo Workflows    (namespace argo)          the release's install.yaml
#   KServe            (namespace kserve)        the OCI Helm charts, Standard (RawDeployment) mode
#   MinIO             (namespace minio)         base/minio: buckets mlflow-artifacts, dvc, argo-artifacts
#   MLflow            (namespace mlflow)        base/mlflow: SQLite on a volume, artifacts on MinIO
#   ML projects       (namespace ml-projects)   base/ml-projects: Argo's artifact repository,
#                                               the pipeline and KServe service accounts, RBAC
#   portal identity   (namespace mlstack-portal) base/portal: least-privilege service account
#   example pipeline  (namespace ml-projects)   pipelines/: train, register and serve a model
#
# Usage:
#   deploy/minikube/install.sh            install or repair everything (safe to run again)
#   deploy/minikube/install.sh secrets    only the namespaces and the generated credentials
#   deploy/minikube/install.sh manifests  only this folder's manifests (upstream parts present)
#   deploy/minikube/install.sh status     what is installed and running
#
# Credentials are generated here on first install, kept only in Secrets in the cluster and
# reused on every later run; nothing secret is written to disk or printed.
#
# Environment:
#   MLSTACK_KUBE_CONTEXT  the kubeconfig context to install into (default: minikube)
#   KUBECTL, HELM, MINIKUBE  the binaries to use (default: kubectl, helm, minikube on PATH)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

CONTEXT="${MLSTACK_KUBE_CONTEXT:-minikube}"
KUBECTL_BIN="${KUBECTL:-kubectl}"
HELM_BIN="${HELM:-helm}"
MINIKUBE_BIN="${MINIKUBE:-minikube}"

ARGO_INSTALL_URL="https://github.com/argoproj/argo-workflows/releases/download/${ARGO_WORKFLOWS_VERSION}/install.yaml"
KSERVE_CHARTS="oci://ghcr.io/kserve/charts"
CERT_MANAGER_REPO="https://charts.jetstack.io"

# The namespaces, spelled once. base/namespaces/namespaces.yaml creates the first four.
NS_MINIO=minio
NS_MLFLOW=mlflow
NS_PROJECTS=ml-projects
NS_PORTAL=mlstack-portal
NS_ARGO=argo
NS_KSERVE=kserve
NS_CERT_MANAGER=cert-manager

# In-cluster address of MinIO's S3 API (base/minio/service.yaml).
MINIO_ENDPOINT="minio.${NS_MINIO}.svc.cluster.local:9000"

say() { printf '\033[1m[mlstack]\033[0m %s\n' "$*" >&2; }
ok() { printf '\033[32m[mlstack]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[33m[mlstack] warning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[31m[mlstack] error:\033[0m %s\n' "$*" >&2
  exit 1
}

k() { "$KUBECTL_BIN" --context "$CONTEXT" "$@"; }
h() { "$HELM_BIN" --kube-context "$CONTEXT" "$@"; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed (or not on PATH): $2"
}

# ------------------------------------------------------------------------------ checks

check_kubectl() {
  need "$KUBECTL_BIN" "https://kubernetes.io/docs/tasks/tools/ (or: minikube kubectl --, see README)"
  local contexts
  contexts="$("$KUBECTL_BIN" config get-contexts -o name 2>/dev/null || true)"
  grep -qx "$CONTEXT" <<<"$contexts" ||
    die "there is no kubeconfig context '$CONTEXT'; start the cluster first: minikube start --cpus 4 --memory 8g --disk-size 40g"
  k get --raw /readyz >/dev/null 2>&1 ||
    die "the cluster of context '$CONTEXT' does not answer; is it running? (minikube status)"
}

check_all() {
  need "$MINIKUBE_BIN" "https://minikube.sigs.k8s.io/docs/start/"
  need "$HELM_BIN" "https://helm.sh/docs/intro/install/ (3.8 or newer, for OCI charts)"
  local hv major minor
  hv="$("$HELM_BIN" version --template '{{.Version}}' 2>/dev/null || true)"
  hv="${hv#v}"
  major="${hv%%.*}"
  minor="${hv#*.}"
  minor="${minor%%.*}"
  case "$major.$minor" in
    [0-9]*.[0-9]*)
      if [ "$major" -lt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -lt 8 ]; }; then
        die "helm $hv is too old: KServe's charts are OCI charts, which need helm 3.8 or newer"
      fi
      ;;
    *) warn "could not read helm's version ('$hv'); continuing" ;;
  esac
  if [ "$CONTEXT" = minikube ]; then
    "$MINIKUBE_BIN" status >/dev/null 2>&1 ||
      die "minikube is not running; start it with: minikube start --cpus 4 --memory 8g --disk-size 40g"
  fi
  check_kubectl
  check_capacity
}

# Warn (only) when the node is smaller than what README.md asks for.
check_capacity() {
  local cpu mem mem_mib
  cpu="$(k get nodes -o jsonpath='{.items[0].status.allocatable.cpu}' 2>/dev/null || true)"
  mem="$(k get nodes -o jsonpath='{.items[0].status.allocatable.memory}' 2>/dev/null || true)"
  case "$cpu" in
    *m) cpu=$((${cpu%m} / 1000)) ;;
  esac
  case "$mem" in
    *Ki) mem_mib=$((${mem%Ki} / 1024)) ;;
    *Mi) mem_mib=${mem%Mi} ;;
    *Gi) mem_mib=$((${mem%Gi} * 1024)) ;;
    *) mem_mib="" ;;
  esac
  if [ -n "$cpu" ] && [ "$cpu" -lt 4 ] 2>/dev/null; then
    warn "the node has $cpu CPUs; 4 are recommended (minikube start --cpus 4)"
  fi
  if [ -n "$mem_mib" ] && [ "$mem_mib" -lt 7000 ]; then
    warn "the node has ${mem_mib} MiB of memory; 8 GB are recommended (minikube start --memory 8g)"
  fi
  local defaults
  defaults="$(k get storageclass -o jsonpath='{range .items[*]}{.metadata.annotations.storageclass\.kubernetes\.io/is-default-class}{"\n"}{end}' 2>/dev/null || true)"
  grep -qx true <<<"$defaults" || warn "no default StorageClass: the MinIO and MLflow volumes will stay Pending (minikube addons enable default-storageclass storage-provisioner)"
}

# ------------------------------------------------------------------------------ credentials

# 20 random bytes as 40 hex characters.
random_hex() { LC_ALL=C od -An -N20 -tx1 /dev/urandom | tr -d ' \n'; }

# secret_value NAMESPACE SECRET KEY — the decoded value, or nothing if there is none.
secret_value() {
  k -n "$1" get secret "$2" -o go-template="{{with index .data \"$3\"}}{{. | base64decode}}{{end}}" 2>/dev/null || true
}

# apply_secret NAMESPACE NAME KEY=VALUE... [-- ANNOTATION=VALUE...]
# Creates or updates a generic Secret. The values reach kubectl through a pipe, never its
# command line (so they do not show in `ps`), and nothing is written to disk. Server-side
# apply: no last-applied-configuration annotation repeating the values.
apply_secret() {
  local ns="$1" name="$2" kv annotations=() pairs=()
  shift 2
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      annotations=("$@")
      break
    fi
    pairs+=("$1")
    shift
  done
  {
    printf 'apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: %s\n  namespace: %s\n' "$name" "$ns"
    printf '  labels:\n    app.kubernetes.io/part-of: mlstack\n'
    if [ ${#annotations[@]} -gt 0 ]; then
      printf '  annotations:\n'
      for kv in "${annotations[@]}"; do printf '    %s: "%s"\n' "${kv%%=*}" "${kv#*=}"; done
    fi
    printf 'stringData:\n'
    for kv in "${pairs[@]}"; do printf '  %s: "%s"\n' "${kv%%=*}" "${kv#*=}"; done
  } | k apply --server-side --force-conflicts --field-manager mlstack-install -f - >/dev/null
}

install_namespaces() {
  say "namespaces: $NS_MINIO, $NS_MLFLOW, $NS_PROJECTS, $NS_PORTAL"
  k apply --server-side --force-conflicts -k "$HERE/base/namespaces" >/dev/null
}

# The credentials of the stack, generated once and reused:
#   minio/minio-root     MinIO's root user (only the MinIO pod and its setup Job see it)
#   */mlstack-s3         the application user (buckets mlflow-artifacts, dvc, argo-artifacts
#                        only), in minio (for the setup Job), mlflow (the tracking server) and
#                        ml-projects (Argo's artifacts; KServe's storage initializer, hence
#                        the serving.kserve.io/s3-* annotations there)
install_secrets() {
  install_namespaces
  local root_user root_password access_key secret_key
  root_user="$(secret_value "$NS_MINIO" minio-root MINIO_ROOT_USER)"
  root_password="$(secret_value "$NS_MINIO" minio-root MINIO_ROOT_PASSWORD)"
  if [ -n "$root_user" ] && [ -n "$root_password" ]; then
    say "credentials: reusing MinIO's root user ($NS_MINIO/minio-root)"
  else
    say "credentials: generating MinIO's root user ($NS_MINIO/minio-root)"
    root_user="root-$(random_hex | cut -c1-12)"
    root_password="$(random_hex)"
    apply_secret "$NS_MINIO" minio-root "MINIO_ROOT_USER=$root_user" "MINIO_ROOT_PASSWORD=$root_password"
  fi

  access_key="$(secret_value "$NS_MINIO" mlstack-s3 AWS_ACCESS_KEY_ID)"
  secret_key="$(secret_value "$NS_MINIO" mlstack-s3 AWS_SECRET_ACCESS_KEY)"
  if [ -n "$access_key" ] && [ -n "$secret_key" ]; then
    say "credentials: reusing the application user (mlstack-s3)"
  else
    say "credentials: generating the application user (mlstack-s3)"
    access_key="mlstack-$(random_hex | cut -c1-12)"
    secret_key="$(random_hex)"
  fi
  local creds=("AWS_ACCESS_KEY_ID=$access_key" "AWS_SECRET_ACCESS_KEY=$secret_key")
  apply_secret "$NS_MINIO" mlstack-s3 "${creds[@]}"
  apply_secret "$NS_MLFLOW" mlstack-s3 "${creds[@]}"
  apply_secret "$NS_PROJECTS" mlstack-s3 "${creds[@]}" -- \
    "serving.kserve.io/s3-endpoint=$MINIO_ENDPOINT" \
    "serving.kserve.io/s3-usehttps=0" \
    "serving.kserve.io/s3-region=us-east-1" \
    "serving.kserve.io/s3-useanoncredential=false"
  ok "credentials are in Secrets minio-root and mlstack-s3 (namespaces $NS_MINIO, $NS_MLFLOW, $NS_PROJECTS)"
}

# ------------------------------------------------------------------------------ upstream parts

install_cert_manager() {
  say "cert-manager $CERT_MANAGER_VERSION (Helm, namespace $NS_CERT_MANAGER)"
  h upgrade --install cert-manager cert-manager --repo "$CERT_MANAGER_REPO" \
    --version "$CERT_MANAGER_VERSION" --namespace "$NS_CERT_MANAGER" --create-namespace \
    --set crds.enabled=true --wait --timeout 10m >/dev/null
  ok "cert-manager is ready"
}

install_argo() {
  say "Argo Workflows $ARGO_WORKFLOWS_VERSION (namespace $NS_ARGO)"
  k create namespace "$NS_ARGO" --dry-run=client -o yaml | k apply -f - >/dev/null
  local image
  image="$(k -n "$NS_ARGO" get deployment workflow-controller \
    -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null || true)"
  if [ "$image" = "quay.io/argoproj/workflow-controller:$ARGO_WORKFLOWS_VERSION" ]; then
    say "  already at $ARGO_WORKFLOWS_VERSION"
  else
    # Full CRDs: upstream requires server-side apply since v4.0.
    say "  applying $ARGO_INSTALL_URL"
    k apply --server-side --force-conflicts -n "$NS_ARGO" -f "$ARGO_INSTALL_URL" >/dev/null
  fi
  # The UI without a login: it is only reachable through `kubectl port-forward` on this
  # laptop. (Upstream's default, --auth-mode=client, asks for a bearer token.)
  local args
  args="$(k -n "$NS_ARGO" get deployment argo-server -o jsonpath='{.spec.template.spec.containers[0].args}')"
  case "$args" in
    *--auth-mode=server*) ;;
    *)
      k -n "$NS_ARGO" patch deployment argo-server --type json \
        -p '[{"op":"replace","path":"/spec/template/spec/containers/0/args","value":["server","--auth-mode=server"]}]' >/dev/null
      ;;
  esac
  k -n "$NS_ARGO" rollout status deployment/workflow-controller --timeout 5m >/dev/null
  k -n "$NS_ARGO" rollout status deployment/argo-server --timeout 5m >/dev/null
  ok "Argo Workflows is ready"
}

install_kserve() {
  say "KServe $KSERVE_VERSION (Helm, namespace $NS_KSERVE, Standard = RawDeployment mode)"
  h upgrade --install kserve-crd "$KSERVE_CHARTS/kserve-crd" --version "$KSERVE_VERSION" \
    --namespace "$NS_KSERVE" --create-namespace --wait --timeout 5m >/dev/null
  h upgrade --install kserve-resources "$KSERVE_CHARTS/kserve-resources" --version "$KSERVE_VERSION" \
    --namespace "$NS_KSERVE" -f "$HERE/kserve/values.yaml" --wait --timeout 10m >/dev/null
  k -n "$NS_KSERVE" rollout status deployment/kserve-controller-manager --timeout 5m >/dev/null
  # The portal's record annotations stay off the predictors' pods: KServe copies an
  # InferenceService's annotations onto its pod templates unless they are listed here, so every
  # canary, promotion or rollback from the portal would restart the stable predictor. (The
  # chart has no value for it; the rest of the key is the chart's default.)
  k -n "$NS_KSERVE" patch configmap inferenceservice-config --type merge -p '{"data":{"inferenceService":
    "{\"resource\": {\"cpuLimit\": \"1\", \"memoryLimit\": \"2Gi\", \"cpuRequest\": \"1\", \"memoryRequest\": \"2Gi\"}, \"serviceAnnotationDisallowedList\": [\"mlstack.io/entity-ref\", \"mlstack.io/served-model\", \"mlstack.io/canary-model\"]}"}}' >/dev/null
  # The ClusterServingRuntimes (kserve-sklearnserver among them); the controller's webhook
  # validates them, so it must be up first. MLServer at the release's own tag: the chart's
  # values still say 1.5.0 while the release's config/runtimes/kustomization.yaml (and the
  # harness's node, scripts/harness/node/model-servers.sh) use 1.7.1.
  h upgrade --install kserve-runtime-configs "$KSERVE_CHARTS/kserve-runtime-configs" \
    --version "$KSERVE_VERSION" --namespace "$NS_KSERVE" \
    --set kserve.servingruntime.enabled=true --set kserve.servingruntime.mlserver.tag=1.7.1 \
    --wait --timeout 5m >/dev/null
  ok "KServe is ready"
}

# ------------------------------------------------------------------------------ this folder

install_manifests() {
  say "MinIO, MLflow, ml-projects and the portal's identity (kubectl apply -k base)"
  # A Job's pod template cannot change: replace the setup Job (it is idempotent).
  k -n "$NS_MINIO" delete job minio-setup --ignore-not-found --wait=true >/dev/null
  k apply --server-side --force-conflicts -k "$HERE/base" >/dev/null
  say "  waiting for MinIO"
  k -n "$NS_MINIO" rollout status deployment/minio --timeout 5m >/dev/null
  say "  waiting for the buckets and the application user (Job minio-setup)"
  if ! k -n "$NS_MINIO" wait --for=condition=complete job/minio-setup --timeout 5m >/dev/null; then
    k -n "$NS_MINIO" logs job/minio-setup --tail 20 >&2 || true
    die "the MinIO setup Job did not complete (logs above; kubectl -n $NS_MINIO describe job minio-setup)"
  fi
  say "  waiting for MLflow (the first start creates its database)"
  k -n "$NS_MLFLOW" rollout status deployment/mlflow --timeout 10m >/dev/null
  say "example pipeline: WorkflowTemplate fraud-detector-train"
  # (its name before 2026-11-29, which the example entity never looked for)
  k -n "$NS_PROJECTS" delete workflowtemplate fraud-detector-train-and-serve --ignore-not-found >/dev/null
  k apply --server-side --force-conflicts -k "$HERE/pipelines" >/dev/null
  ok "MinIO, MLflow and the ML projects namespace are ready"
}

# ------------------------------------------------------------------------------ status

show_status() {
  local ns
  for ns in "$NS_CERT_MANAGER" "$NS_ARGO" "$NS_KSERVE" "$NS_MINIO" "$NS_MLFLOW" "$NS_PROJECTS"; do
    printf '\n== %s\n' "$ns"
    k -n "$ns" get deployments,jobs,pods 2>&1 || true
  done
  printf '\n== InferenceServices and Workflows in %s\n' "$NS_PROJECTS"
  k -n "$NS_PROJECTS" get inferenceservices,workflows 2>&1 || true
}

next_steps() {
  cat >&2 <<EOF

Everything is installed. Next (deploy/minikube/README.md has the details):
  deploy/minikube/port-forward.sh          # MLflow :5000, MinIO :9000/:9001, Argo UI :2746
  kubectl -n $NS_PROJECTS create -f deploy/minikube/pipelines/fraud-detector/run.yaml
  kubectl -n $NS_PROJECTS get workflows -w  # train -> deploy -> smoke-test
  scripts/start.sh --config app-config.yaml --config app-config.minikube.yaml
EOF
}

main() {
  local step="${1:-all}"
  case "$step" in
    all)
      check_all
      install_secrets
      install_cert_manager
      install_argo
      install_kserve
      install_manifests
      next_steps
      ;;
    secrets)
      need "$KUBECTL_BIN" "https://kubernetes.io/docs/tasks/tools/"
      check_kubectl
      install_secrets
      ;;
    manifests)
      need "$KUBECTL_BIN" "https://kubernetes.io/docs/tasks/tools/"
      check_kubectl
      install_secrets
      install_manifests
      ;;
    status)
      need "$KUBECTL_BIN" "https://kubernetes.io/docs/tasks/tools/"
      check_kubectl
      show_status
      ;;
    -h | --help | help)
      sed -n '2,27p' "$0"
      ;;
    *) die "unknown step '$step' (all, secrets, manifests, status)" ;;
  esac
}

main "$@"
