#!/usr/bin/env bash
# Builds the KServe images the harness's node runs a predictor with, under the names KServe's
# v0.20.0 configuration gives them (kserve_config.py), as OCI archives in .tools/node-images/:
#   kserve/storage-initializer:v0.20.0  the init container that downloads the model (S3)
#   kserve/sklearnserver:v0.20.0        the kserve-sklearnserver runtime's model server
#   docker.io/seldonio/mlserver:1.7.1   the kserve-mlserver runtime's (MLServer with its
#                                       scikit-learn and MLflow runtimes)
# from model-servers/*.Dockerfile (upstream's Dockerfiles, pip instead of uv or conda, see their
# headers), the release's own files from its Go module (the entrypoint script, sklearnserver's
# source, the uv.lock files pinned as pip constraints), MLServer's pins from
# model-servers/mlserver-constraints.txt (its poetry.lock's, kept in the repository) and PyPI,
# with build-image.sh (buildah; cached by context, so a second run takes seconds). Prints the
# archives' paths.
#
#   scripts/harness/node/model-servers.sh [storage-initializer|sklearnserver|mlserver ...]
source "$(dirname "$0")/../../lib.sh"

KSERVE_VERSION=v0.20.0
here="$MLSTACK_ROOT/scripts/harness/node"
need go "the machine's Go toolchain (the KServe release's files come from its Go module)"

[ $# -gt 0 ] || set -- storage-initializer sklearnserver mlserver
moddir="$(cd / && GOFLAGS=-mod=mod go mod download -json "github.com/kserve/kserve@$KSERVE_VERSION" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error") or "no Dir"))')" \
  || die "downloading github.com/kserve/kserve@$KSERVE_VERSION from the Go module proxy failed"
py="$moddir/python"

for name in "$@"; do
  image="kserve/$name:$KSERVE_VERSION" files=() locks=()
  case "$name" in
    storage-initializer) files=(storage-initializer); locks=("$py/storage/uv.lock") ;;
    sklearnserver) files=(sklearnserver); locks=("$py/sklearnserver/uv.lock") ;;
    # upstream's config/runtimes/kustomization.yaml names this image for the release
    mlserver) image="docker.io/seldonio/mlserver:1.7.1" ;;
    *) die "usage: $0 [storage-initializer|sklearnserver|mlserver ...]" ;;
  esac
  ctx="$MLSTACK_TOOLS/node-images/contexts/$name"
  chmod -R u+w "$ctx" 2>/dev/null || true
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp "$here/model-servers/$name.Dockerfile" "$ctx/Dockerfile"
  for f in "${files[@]}"; do cp -r "$py/$f" "$ctx/$f" || die "the KServe $KSERVE_VERSION module has no python/$f"; done
  chmod -R u+w "$ctx"
  if [ ${#locks[@]} -gt 0 ]; then
    # (the harness venv's Python: tomllib needs 3.11, whatever the host's python3 is)
    "$MLSTACK_TOOLS/venv/bin/python" "$here/model-servers/uv_lock_constraints.py" "${locks[@]}" >"$ctx/constraints.txt" \
      || die "reading ${locks[*]} failed"
  else
    cp "$here/model-servers/$name-constraints.txt" "$ctx/constraints.txt"
  fi
  bash "$here/build-image.sh" "$ctx" "$image" || die "building $image failed"
done
