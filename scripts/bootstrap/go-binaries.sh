#!/usr/bin/env bash
# Builds the harness's Go servers from the Go module proxy and caches the binaries under
# .tools/bin, keyed by version so a version bump rebuilds:
#   - kube-apiserver and kubectl from k8s.io/kubernetes (pinned in kube-apiserver/go.mod), and
#     the etcd release it names
#   - the node's kubelet, kube-controller-manager and kube-scheduler from the same release
#     (`node`; only the harness's real node needs them)
#   - Argo's workflow controller and executor v4.0.5 (`argo`, for the node)
#   - KServe's controller manager v0.20.0 (`kserve`, for the node)
#   - MinIO (pinned below)
#   - Gitea (pinned below), the embedded stack's Git server; its templates/, options/ and public/
#     (read at run time: no `bindata` build tag) are kept under .tools/gitea-<version>/
# `stack` builds what the embedded stack of scripts/start.sh runs (kube, etcd, MinIO, Gitea);
# `all` adds, as root, the real node's binaries and controllers (node, argo, kserve).
# Idempotent: a binary that exists at the pinned version is not rebuilt.
source "$(dirname "$0")/../lib.sh"
need go "the machine's Go toolchain builds MinIO, kube-apiserver and Gitea"

MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
# Gitea 1.26.0, not the newer 1.27.x: from 1.27 its go.mod is `module gitea.dev` and needs
# gitea.dev/sdk and gitea.dev/actions-proto-go, which the Go module proxy does not serve (403),
# so 1.27.3 cannot be built from the proxy. 1.26.0 (code.gitea.io/gitea, deps on
# code.gitea.io/sdk) resolves entirely.
GITEA_VERSION="v1.26.0"
bin="$MLSTACK_TOOLS/bin"
mkdir -p "$bin"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOBIN="$bin"

# A module copy is read-only until chmod'ed; a copy a failed run left half-made must still go.
clear_dir() { [ -e "$1" ] || return 0; chmod -R u+w "$1" 2>/dev/null || true; rm -rf "$1"; }
stamp_ok() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { printf '%s' "$2" >"$bin/.$1.version"; log "built $1 $2"; }
# Timed lines: the log (.tools/logs/bootstrap-go.log) shows how long each build took.
log() { printf '\033[1m[mlstack]\033[0m %s %s\n' "$(date +%T)" "$*" >&2; }

build_kube() {
  local moddir="$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver"
  local version
  version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$moddir/go.mod")"
  [ -n "$version" ] || die "cannot read the k8s.io/kubernetes version from $moddir/go.mod"
  if stamp_ok kube-apiserver "$version" && stamp_ok kubectl "$version"; then return 0; fi
  log "building kube-apiserver and kubectl $version from the Go module proxy (several minutes, once)"
  (cd "$moddir" && go build -ldflags "-s -w" -o "$bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver) \
    || die "building kube-apiserver $version failed (see the go output above)"
  stamp kube-apiserver "$version"
  (cd "$moddir" && go build -ldflags "-s -w" -o "$bin/kubectl" k8s.io/kubernetes/cmd/kubectl) \
    || die "building kubectl $version failed (see the go output above)"
  stamp kubectl "$version"
}

# The node's binaries, stamped with their release (else nodes report v0.0.0-master).
build_node() {
  local moddir="$MLSTACK_ROOT/scripts/bootstrap/kube-apiserver" version c minor
  version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$moddir/go.mod")"
  [ -n "$version" ] || die "cannot read the k8s.io/kubernetes version from $moddir/go.mod"
  minor="$(printf '%s' "$version" | cut -d. -f2)"
  for c in kubelet kube-controller-manager kube-scheduler; do
    stamp_ok "$c" "$version" && continue
    log "building $c $version from the Go module proxy (a few minutes, once)"
    (cd "$moddir" && go build -ldflags "-X k8s.io/component-base/version.gitVersion=$version \
      -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
      -o "$bin/$c.new" "k8s.io/kubernetes/cmd/$c") || die "building $c $version failed (see the go output above)"
    mv "$bin/$c.new" "$bin/$c"
    stamp "$c" "$version"
  done
}

# etcd 3.6.8, the release k8s.io/kubernetes v1.36 names (build/dependencies.yaml). Debian's
# etcd 3.4.23 is older than the API server's watch-progress support needs (3.4.31 / 3.5.13), so
# the API server refuses watch streams and controllers on client-go that ask for them (Argo's)
# see changes only at their next relist. The server module's go.mod replaces its sibling modules
# with ../api, ../client/pkg, ../client/v3 and ../pkg, so the five modules are laid out as in
# the repository and the server is built there.
ETCD_VERSION="v3.6.8"
build_etcd() {
  stamp_ok etcd "$ETCD_VERSION" && return 0
  need python3 "Debian package python3"
  log "building etcd $ETCD_VERSION from the Go module proxy (a few minutes, once)"
  local src="$MLSTACK_TOOLS/build/etcd-$ETCD_VERSION" m dir
  clear_dir "$src"
  for m in server api client/pkg client/v3 pkg; do
    dir="$(cd / && GOFLAGS=-mod=mod go mod download -json "go.etcd.io/etcd/${m%/v3}/v3@$ETCD_VERSION" |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error") or "no Dir"))')" \
      || die "downloading go.etcd.io/etcd/${m%/v3}/v3@$ETCD_VERSION from the Go module proxy failed"
    mkdir -p "$(dirname "$src/$m")"
    cp -r "$dir" "$src/$m" || die "copying etcd's $m module to $src failed"
  done
  chmod -R u+w "$src"
  (cd "$src/server" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/etcd.new" .) \
    || die "building etcd $ETCD_VERSION failed (see the go output above)"
  mv "$bin/etcd.new" "$bin/etcd"
  stamp etcd "$ETCD_VERSION"
  clear_dir "$src"
}

# KServe's controller manager v0.20.0 for the node: its go.mod has replace directives, which
# `go install pkg@version` refuses, so it is built from a copy of the module source.
KSERVE_VERSION="v0.20.0"
build_kserve() {
  stamp_ok kserve-manager "$KSERVE_VERSION" && return 0
  need python3 "Debian package python3"
  log "building KServe's controller manager $KSERVE_VERSION from the Go module proxy (several minutes, once)"
  local moddir src="$MLSTACK_TOOLS/build/kserve-$KSERVE_VERSION"
  moddir="$(cd / && GOFLAGS=-mod=mod go mod download -json "github.com/kserve/kserve@$KSERVE_VERSION" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error") or "no Dir"))')" \
    || die "downloading github.com/kserve/kserve@$KSERVE_VERSION from the Go module proxy failed"
  clear_dir "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src" && chmod -R u+w "$src" || die "copying the KServe source to $src failed"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/kserve-manager.new" ./cmd/manager) \
    || die "building KServe's controller manager $KSERVE_VERSION failed (see the go output above)"
  mv "$bin/kserve-manager.new" "$bin/kserve-manager"
  stamp kserve-manager "$KSERVE_VERSION"
  clear_dir "$src"
}

# Argo Workflows' controller and executor for the harness's node. v4.0.5 because the Go module
# proxy serves no v4.1.x of github.com/argoproj/argo-workflows/v4; static (the executor is
# copied into every step's container).
# The module's source is built from a copy: upstream's workflow/executor/osspecific/signal_linux.go
# is a symlink to signal_darwin.go, and module zips drop symlinks, so `go install …@v4.0.5`
# fails on Linux (undefined: Setpgid); the copy gets the symlink back.
ARGO_VERSION="v4.0.5"
build_argo() {
  stamp_ok workflow-controller "$ARGO_VERSION" && stamp_ok argoexec "$ARGO_VERSION" && return 0
  need python3 "Debian package python3"
  log "building Argo's workflow-controller and argoexec $ARGO_VERSION from the Go module proxy (several minutes, once)"
  local moddir src="$MLSTACK_TOOLS/build/argo-workflows-$ARGO_VERSION" c
  moddir="$(cd / && GOFLAGS=-mod=mod go mod download -json "github.com/argoproj/argo-workflows/v4@$ARGO_VERSION" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error") or "no Dir"))')" \
    || die "downloading github.com/argoproj/argo-workflows/v4@$ARGO_VERSION from the Go module proxy failed"
  clear_dir "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src" && chmod -R u+w "$src" || die "copying the Argo source to $src failed"
  [ -e "$src/workflow/executor/osspecific/signal_linux.go" ] ||
    ln -s signal_darwin.go "$src/workflow/executor/osspecific/signal_linux.go"
  for c in workflow-controller argoexec; do
    (cd "$src" && CGO_ENABLED=0 go build -ldflags "-s -w -X github.com/argoproj/argo-workflows/v4.version=$ARGO_VERSION" \
      -o "$bin/$c.new" "./cmd/$c") || die "building Argo's $c $ARGO_VERSION failed (see the go output above)"
    mv "$bin/$c.new" "$bin/$c"
    stamp "$c" "$ARGO_VERSION"
  done
  clear_dir "$src"
}

build_minio() {
  if stamp_ok minio "$MINIO_VERSION"; then return 0; fi
  log "building MinIO $MINIO_VERSION from the Go module proxy (several minutes, once)"
  go install -ldflags "-s -w" "github.com/minio/minio@$MINIO_VERSION" \
    || die "building MinIO $MINIO_VERSION failed (see the go output above)"
  stamp minio "$MINIO_VERSION"
}

# Gitea: its go.mod has replace directives, which `go install pkg@version` refuses, so the
# module's source is copied out of the module cache and built there. Tags as upstream's release
# builds minus bindata: templates/, options/ and public/ are read from the work path
# (.tools/gitea-<version>/, which harness.sh passes as --work-path). The web UI's compiled
# JavaScript and CSS (public/assets, made by upstream's npm build) are not in the module zip:
# the API and Git over HTTP work without them, the web pages render without scripts and styles.
build_gitea() {
  local home="$MLSTACK_TOOLS/gitea-$GITEA_VERSION"
  if stamp_ok gitea "$GITEA_VERSION" && [ -d "$home/templates" ] && [ -d "$home/options" ]; then return 0; fi
  need python3 "Debian package python3"
  # Its SQLite driver (mattn/go-sqlite3) is cgo: without a C compiler Go would build a stub that
  # fails only when Gitea opens its database.
  need gcc "Debian package gcc (scripts/bootstrap/debian.sh)"
  log "building Gitea $GITEA_VERSION from the Go module proxy (several minutes, once)"
  local moddir src="$MLSTACK_TOOLS/build/gitea-$GITEA_VERSION"
  moddir="$(cd / && GOFLAGS=-mod=mod go mod download -json "code.gitea.io/gitea@$GITEA_VERSION" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error") or "no Dir"))')" \
    || die "downloading code.gitea.io/gitea@$GITEA_VERSION from the Go module proxy failed"
  clear_dir "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$moddir" "$src" && chmod -R u+w "$src" || die "copying the Gitea source to $src failed"
  (cd "$src" && CGO_ENABLED=1 go build -tags 'sqlite sqlite_unlock_notify' \
    -ldflags "-s -w -X main.Version=${GITEA_VERSION#v} -X 'main.Tags=sqlite sqlite_unlock_notify'" \
    -o "$bin/gitea.new" .) || die "building Gitea $GITEA_VERSION failed (see the go output above)"
  rm -rf "$home.new"
  mkdir -p "$home.new"
  cp -r "$src/templates" "$src/options" "$src/public" "$home.new/" || die "copying Gitea's templates, options and public failed"
  rm -rf "$home"
  mv "$home.new" "$home"
  mv "$bin/gitea.new" "$bin/gitea"
  stamp gitea "$GITEA_VERSION"
  clear_dir "$src"
}

# The embedded stack of scripts/start.sh (`kube` includes etcd): what `stack` builds and lists.
STACK_TARGETS=(kube minio gitea)

# What a target leaves under .tools/, for `go-binaries.sh --list TARGET` (a test starts the
# embedded stack from exactly what `stack` builds: packages/harness/src/harnessScript.integration.test.ts).
outputs() {
  local t
  case "$1" in
    kube) echo bin/kube-apiserver bin/kubectl; outputs etcd ;;
    etcd) echo bin/etcd ;;
    minio) echo bin/minio ;;
    gitea) echo bin/gitea "gitea-$GITEA_VERSION" ;;
    stack) for t in "${STACK_TARGETS[@]}"; do outputs "$t"; done ;;
    *) die "--list knows: kube, etcd, minio, gitea, stack" ;;
  esac
}

build() {
  local t
  case "$1" in
    kube) build_kube; build_etcd ;;
    etcd) build_etcd ;;
    node) build_node ;;
    argo) build_argo ;;
    kserve) build_kserve ;;
    minio) build_minio ;;
    gitea) build_gitea ;;
    stack) for t in "${STACK_TARGETS[@]}"; do build "$t"; done ;;
    all) build stack; if [ "$(id -u)" -eq 0 ]; then build node; build argo; build kserve; fi ;;
    *) die "usage: $0 [kube|etcd|node|argo|kserve|minio|gitea|stack|all]" ;;
  esac
}

if [ "${1:-}" = --list ]; then
  outputs "${2:-}" | tr ' ' '\n'
  exit 0
fi
build "${1:-all}"
