#!/usr/bin/env bash
# Removes what install.sh installed, data included (the MinIO and MLflow volumes go with
# their namespaces), and leaves the cluster running. `minikube delete` is the quicker way
# when the cluster holds nothing else.
#
# Environment: MLSTACK_KUBE_CONTEXT (default: minikube), KUBECTL, HELM.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
CONTEXT="${MLSTACK_KUBE_CONTEXT:-minikube}"
KUBECTL_BIN="${KUBECTL:-kubectl}"
HELM_BIN="${HELM:-helm}"

say() { printf '\033[1m[mlstack]\033[0m %s\n' "$*" >&2; }
k() { "$KUBECTL_BIN" --context "$CONTEXT" "$@"; }
h() { "$HELM_BIN" --kube-context "$CONTEXT" "$@"; }

command -v "$KUBECTL_BIN" >/dev/null 2>&1 || { echo "uninstall.sh: kubectl is not installed" >&2; exit 1; }
command -v "$HELM_BIN" >/dev/null 2>&1 || { echo "uninstall.sh: helm is not installed" >&2; exit 1; }

# Served models and pipeline runs first, while their controllers can still finalize them.
if k get crd inferenceservices.serving.kserve.io >/dev/null 2>&1; then
  say "deleting InferenceServices in ml-projects"
  k -n ml-projects delete inferenceservices --all --wait=true --timeout 2m || true
fi
if k get crd workflows.argoproj.io >/dev/null 2>&1; then
  say "deleting Workflows in ml-projects"
  k -n ml-projects delete workflows --all --wait=true --timeout 2m || true
  k delete --ignore-not-found -k "$HERE/pipelines" || true
fi

say "deleting MinIO, MLflow, ml-projects and the portal's identity (with their data)"
k delete --ignore-not-found --wait=true -k "$HERE/base" || true

say "uninstalling KServe $KSERVE_VERSION"
for release in kserve-runtime-configs kserve-resources kserve-crd; do
  h uninstall "$release" --namespace kserve --wait 2>/dev/null || true
done
k delete namespace kserve --ignore-not-found --wait=true || true

say "uninstalling Argo Workflows $ARGO_WORKFLOWS_VERSION"
k delete --ignore-not-found -n argo \
  -f "https://github.com/argoproj/argo-workflows/releases/download/${ARGO_WORKFLOWS_VERSION}/install.yaml" || true
k delete namespace argo --ignore-not-found --wait=true || true

say "uninstalling cert-manager $CERT_MANAGER_VERSION"
h uninstall cert-manager --namespace cert-manager --wait 2>/dev/null || true
k delete namespace cert-manager --ignore-not-found --wait=true || true
say "done. cert-manager's CRDs stay (Helm keeps them); remove them with:"
say "  kubectl get crd -o name | grep cert-manager.io | xargs kubectl delete"
