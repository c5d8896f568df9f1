#!/usr/bin/env bash
# Builds the images the harness's node runs, without a registry (none is reachable here), as
# OCI archives under .tools/node-images/ that harness.sh imports into the node's containerd:
#   pause.tar   registry.k8s.io/pause:3.10.2 — Kubernetes' own pause.c (from the
#               k8s.io/kubernetes module the API server is built from), compiled static
#   debian.tar  mlstack.local/debian:bookworm — `mmdebstrap --variant=minbase bookworm`
#   argoexec.tar quay.io/argoproj/argoexec:v4.0.5 — Argo's executor as built by
#               scripts/bootstrap/go-binaries.sh argo (static), upstream's image name, with
#               the harness's kubectl as upstream's has one (resource templates run it)
#   python.tar  docker.io/library/python:3.11-slim — NOT the official image: a Debian-built
#               stand-in under its name (what `FROM python:3.11-slim` resolves to), so that
#               generated projects' Dockerfiles build here (build-image.sh). Debian bookworm's
#               python3 is 3.11; `python`, `pip` on PATH, pip installs system-wide (no
#               EXTERNALLY-MANAGED marker, as upstream's has none), LANG=C.UTF-8, CMD python3
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
  moddir="$(cd "$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver" && go mod download -json k8s.io/kubernetes |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("Dir") or sys.exit(1))')" \
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
  local key="mmdebstrap minbase bookworm ca-certificates curl v2" work
  stamp_ok debian "$key" && return 0
  need mmdebstrap "Debian package mmdebstrap (scripts/bootstrap/debian.sh node)"
  work="$(mktemp -d)"
  log "building the Debian base image (mmdebstrap --variant=minbase bookworm, about a minute)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,curl bookworm "$work/rootfs" \
    || die "mmdebstrap bookworm failed (is the Debian mirror in /etc/apt/sources.list reachable?)"
  rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*
  python3 "$TOOL" --rootfs "$work/rootfs" --name mlstack.local/debian:bookworm \
    --cmd '["/bin/bash"]' --out "$OUT/debian.tar" >/dev/null || die "writing the Debian image failed"
  printf '%s' "$key" >"$OUT/.debian.stamp"
  rm -rf "$work"
}

# A stand-in for the official python:3.11-slim, built from Debian's packages (the official one
# compiles CPython into /usr/local; this one has Debian's python3.11 in /usr). What projects rely
# on is kept: `python` and `pip` on PATH, `pip install` as root installs system-wide (into
# /usr/local, as Debian's pip does outside a venv), venv works, the CA bundle is there.
build_python() {
  local pkgs="ca-certificates,python3,python3-venv,python3-pip,python-is-python3"
  local key="mmdebstrap minbase bookworm $pkgs v1" work root
  stamp_ok python "$key" && return 0
  need mmdebstrap "Debian package mmdebstrap (scripts/bootstrap/debian.sh node)"
  work="$(mktemp -d)"
  root="$work/rootfs"
  log "building the python:3.11-slim stand-in (mmdebstrap bookworm with $pkgs, about a minute)"
  mmdebstrap --quiet --variant=minbase --include="$pkgs" bookworm "$root" \
    || die "mmdebstrap bookworm failed (is the Debian mirror in /etc/apt/sources.list reachable?)"
  rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
  # Debian marks its python as externally managed (PEP 668); the official image has no marker.
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
  local v
  v="$(chroot "$root" python3 -c 'import platform; print(platform.python_version())')" \
    || die "the python stand-in's python3 does not run"
  [[ "$v" == 3.11.* ]] || die "Debian bookworm's python3 is $v, not 3.11"
  chroot "$root" sh -c 'command -v python && command -v pip' >/dev/null || die "python or pip is not on PATH in the stand-in"
  python3 "$TOOL" --rootfs "$root" --name docker.io/library/python:3.11-slim \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
    --env "PYTHON_VERSION=$v" --cmd '["python3"]' --out "$OUT/python.tar" >/dev/null \
    || die "writing the python image failed"
  printf '%s' "$key" >"$OUT/.python.stamp"
  rm -rf "$work"
}

build_argoexec() {
  local bin="$MLSTACK_TOOLS/bin" version key work
  [ -x "$bin/argoexec" ] || die "Argo's executor is not built: scripts/bootstrap/go-binaries.sh argo"
  [ -x "$bin/kubectl" ] || die "kubectl is not built: scripts/bootstrap/go-binaries.sh kube"
  version="$(cat "$bin/.argoexec.version")"
  key="argoexec $version $(sha256sum "$bin/argoexec" | cut -c1-16) kubectl $(cat "$bin/.kubectl.version")"
  stamp_ok argoexec "$key" && return 0
  work="$(mktemp -d)"
  mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/rootfs/etc/ssl/certs"
  chmod 1777 "$work/rootfs/tmp"
  cp "$bin/argoexec" "$work/rootfs/bin/argoexec"
  # As upstream's image: resource templates (`resource: {action: apply}`) run kubectl.
  cp "$bin/kubectl" "$work/rootfs/bin/kubectl"
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
    python) build_python ;;
    *) die "usage: $0 [pause|debian|argoexec|python ...]" ;;
  esac
done
