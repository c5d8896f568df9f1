#!/usr/bin/env bash
# Builds the images the harness's node runs, without a registry (none is reachable here), as
# OCI archives under .tools/node-images/ that harness.sh imports into the node's containerd:
#   pause.tar   registry.k8s.io/pause:3.10.2 — Kubernetes' own pause.c (from the
#               k8s.io/kubernetes module the API server is built from), compiled static
#   debian.tar  mlstack.local/debian:bookworm — `mmdebstrap --variant=minbase bookworm`
#   argoexec.tar quay.io/argoproj/argoexec:v4.0.5 — Argo's executor as built by
#               scripts/bootstrap/go-binaries.sh argo (static), upstream's image name
# Each archive is rebuilt only when its inputs change (a stamp beside it records them).
source "$(dirname "$0")/../../lib.sh"

OUT="$MLSTACK_TOOLS/node-images"
TOOL="$MLSTACK_ROOT/scripts/harness/node/oci_image.py"
PAUSE_TAG=3.10.2
mkdir -p "$OUT"

stamp_ok() { [ -s "$OUT/$1.tar" ] && [ "$(cat "$OUT/.$1.stamp" 2>/dev/null)" = "$2" ]; }

build_pause() {
  local kver moddir key work
  kver="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver/go.mod")"
  key="pause $PAUSE_TAG from k8s.io/kubernetes $kver"
  stamp_ok pause "$key" && return 0
  need gcc "Debian packages gcc and libc6-dev (scripts/bootstrap/debian.sh)"
  moddir="$(cd "$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)" \
    || die "cannot find the k8s.io/kubernetes $kver module source (run scripts/bootstrap/go-binaries.sh kube)"
  work="$(mktemp -d)"
  mkdir -p "$work/rootfs"
  log "building the pause image ($key)"
  gcc -Os -Wall -static -DVERSION="v$PAUSE_TAG-mlstack" -o "$work/rootfs/pause" "$moddir/build/pause/linux/pause.c" \
    || die "compiling pause.c failed"
  python3 "$TOOL" --rootfs "$work/rootfs" --name "registry.k8s.io/pause:$PAUSE_TAG" \
    --entrypoint '["/pause"]' --out "$OUT/pause.tar" >/dev/null || die "writing the pause image failed"
  printf '%s' "$key" >"$OUT/.pause.stamp"
  rm -rf "$work"
}

build_debian() {
  local key="mmdebstrap minbase bookworm v1" work
  stamp_ok debian "$key" && return 0
  need mmdebstrap "Debian package mmdebstrap (scripts/bootstrap/debian.sh node)"
  work="$(mktemp -d)"
  log "building the Debian base image (mmdebstrap --variant=minbase bookworm, about a minute)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$work/rootfs" \
    || die "mmdebstrap bookworm failed (is the Debian mirror in /etc/apt/sources.list reachable?)"
  rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
  python3 "$TOOL" --rootfs "$work/rootfs" --name mlstack.local/debian:bookworm \
    --cmd '["/bin/bash"]' --out "$OUT/debian.tar" >/dev/null || die "writing the Debian image failed"
  printf '%s' "$key" >"$OUT/.debian.stamp"
  rm -rf "$work"
}

build_argoexec() {
  local bin="$MLSTACK_TOOLS/bin" version key work
  [ -x "$bin/argoexec" ] || die "Argo's executor is not built: scripts/bootstrap/go-binaries.sh argo"
  version="$(cat "$bin/.argoexec.version")"
  key="argoexec $version $(sha256sum "$bin/argoexec" | cut -c1-16)"
  stamp_ok argoexec "$key" && return 0
  work="$(mktemp -d)"
  mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/rootfs/etc/ssl/certs"
  chmod 1777 "$work/rootfs/tmp"
  cp "$bin/argoexec" "$work/rootfs/bin/argoexec"
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/sbin/nologin\nargo:x:8737:8737::/home/argo:/sbin/nologin\n' >"$work/rootfs/etc/passwd"
  log "building the Argo executor image ($key)"
  python3 "$TOOL" --rootfs "$work/rootfs" --name "quay.io/argoproj/argoexec:$version" \
    --entrypoint '["argoexec"]' --env PATH=/bin --user 8737 --out "$OUT/argoexec.tar" >/dev/null \
    || die "writing the argoexec image failed"
  printf '%s' "$key" >"$OUT/.argoexec.stamp"
  rm -rf "$work"
}

[ $# -gt 0 ] || set -- pause debian
for image in "$@"; do
  case "$image" in
    pause) build_pause ;;
    debian) build_debian ;;
    argoexec) build_argoexec ;;
    *) die "usage: $0 [pause|debian|argoexec ...]" ;;
  esac
done
