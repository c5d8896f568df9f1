#!/usr/bin/env bash
# Builds the harness's Go servers from the Go module proxy and caches the binaries under
# .tools/bin, keyed by version so a version bump rebuilds:
#   - kube-apiserver and kubectl from k8s.io/kubernetes (pinned in kube-apiserver/go.mod)
#   - MinIO (pinned below)
# Idempotent: a binary that exists at the pinned version is not rebuilt.
source "$(dirname "$0")/../lib.sh"
need go "the machine's Go toolchain builds MinIO and kube-apiserver"

MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
bin="$MLSTACK_TOOLS/bin"
mkdir -p "$bin"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOBIN="$bin"

stamp_ok() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { printf '%s' "$2" >"$bin/.$1.version"; }

build_kube() {
  local moddir="$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver"
  local version
  version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$moddir/go.mod")"
  [ -n "$version" ] || die "cannot read the k8s.io/kubernetes version from $moddir/go.mod"
  if stamp_ok kube-apiserver "$version" && stamp_ok kubectl "$version"; then return 0; fi
  log "building kube-apiserver and kubectl $version from the Go module proxy (several minutes, once)"
  (cd "$moddir" && go build -o "$bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver) \
    || die "building kube-apiserver $version failed (see the go output above)"
  stamp kube-apiserver "$version"
  (cd "$moddir" && go build -o "$bin/kubectl" k8s.io/kubernetes/cmd/kubectl) \
    || die "building kubectl $version failed (see the go output above)"
  stamp kubectl "$version"
}

build_minio() {
  if stamp_ok minio "$MINIO_VERSION"; then return 0; fi
  log "building MinIO $MINIO_VERSION from the Go module proxy (several minutes, once)"
  go install "github.com/minio/minio@$MINIO_VERSION" \
    || die "building MinIO $MINIO_VERSION failed (see the go output above)"
  stamp minio "$MINIO_VERSION"
}

case "${1:-all}" in
  kube) build_kube ;;
  minio) build_minio ;;
  all) build_kube; build_minio ;;
  *) die "usage: $0 [kube|minio|all]" ;;
esac
