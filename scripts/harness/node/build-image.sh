#!/usr/bin/env bash
# Builds an image from a project's own Dockerfile for the harness's node, without a registry:
#
#   scripts/harness/node/build-image.sh CONTEXT_DIR IMAGE_NAME [--build-arg K=V ...]
#
# writes .tools/node-images/<IMAGE_NAME, sanitised>.tar, an OCI archive named (the
# `io.containerd.image.name` annotation) by IMAGE_NAME as containerd normalises it
# (`fraud-scorer:latest` -> docker.io/library/fraud-scorer:latest, the name a pod's
# `image: fraud-scorer:latest` resolves to), for `ctr -n k8s.io images import`. Prints its path.
#
# The builder is Debian's buildah (`--isolation chroot`, the `vfs` storage driver: no daemon,
# no overlay or fuse needed), with its storage, run, temporary and CNI config directories under
# .tools/buildah/ and, in a mount namespace of its own, its blob-info cache too (buildah as root
# keeps it in a fixed host path otherwise), so nothing outside .tools/ is written. A Dockerfile's
# FROM must name an image images.sh builds (python:3.11-slim: the Debian-built stand-in;
# mlstack.local/debian:bookworm); it is loaded into buildah's storage from its archive, nothing
# is pulled (--pull=never). RUN steps use the host's network and package index settings: the
# host's CA bundle is lent read-only over the image's for the build (pip then trusts what this
# machine's pip trusts; the image keeps Debian's bundle), the host's proxy variables pass through
# (buildah's default), and an index the host's pip is configured with (index-url,
# extra-index-url, trusted-host) is lent as a read-only /etc/pip.conf (buildah leaves that mount
# point behind as an empty file, which pip reads as no settings).
#
# Cached: rebuilt only when the context (the files the build sees: .dockerignore honoured, or
# everything when it has `!` exceptions), the build arguments or the base image's stamp change.
source "$(dirname "$0")/../../lib.sh"

[ $# -ge 2 ] || die "usage: $0 CONTEXT_DIR IMAGE_NAME [--build-arg K=V ...]"
CONTEXT="$(cd "$1" && pwd)" || die "no context directory $1"
IMAGE="$2"
shift 2
BUILD_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-arg) [ $# -ge 2 ] || die "--build-arg needs K=V"; BUILD_ARGS+=(--build-arg "$2"); shift 2 ;;
    *) die "unknown argument $1 (usage: $0 CONTEXT_DIR IMAGE_NAME [--build-arg K=V ...])" ;;
  esac
done
[ -f "$CONTEXT/Dockerfile" ] || die "no Dockerfile in $CONTEXT"
[ "$(id -u)" -eq 0 ] || die "building an image needs root (buildah --isolation chroot)"
need buildah "Debian package buildah (scripts/bootstrap/debian.sh node)"
need unshare "Debian package util-linux"

OUT="$MLSTACK_TOOLS/node-images"
BUILDAH_DIR="$MLSTACK_TOOLS/buildah"
mkdir -p "$OUT" "$BUILDAH_DIR/tmp" "$BUILDAH_DIR/blob-info-cache" "$BUILDAH_DIR/cni"

# The name containerd gives a reference (docker.io/library/ for a bare name, :latest if untagged).
FULL_NAME="$(python3 - "$IMAGE" <<'PY'
import re, sys
ref = sys.argv[1]
first, _, rest = ref.partition("/")
if not rest or not ("." in first or ":" in first or first == "localhost"):
    ref = "docker.io/" + (ref if rest else "library/" + ref)
if "@" not in ref and ":" not in ref.rsplit("/", 1)[1]:
    ref += ":latest"
if not re.fullmatch(r"[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})", ref):
    sys.exit(f"not an image reference: {sys.argv[1]}")
print(ref)
PY
)" || die "$IMAGE is not an image reference"
ARCHIVE="$OUT/$(printf '%s' "$IMAGE" | tr -c 'A-Za-z0-9._-' '_').tar"

# The bases the node's images.sh builds, by the names a FROM may give them.
base_target() {
  case "$1" in
    python:3.11-slim | docker.io/library/python:3.11-slim) echo python ;;
    mlstack.local/debian:bookworm) echo debian ;;
    *) return 1 ;;
  esac
}
mapfile -t FROMS < <(awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' "$CONTEXT/Dockerfile")
[ ${#FROMS[@]} -gt 0 ] || die "$CONTEXT/Dockerfile has no FROM"
TARGETS=()
for from in "${FROMS[@]}"; do
  t="$(base_target "$from")" || die "FROM $from: no local image of that name (images.sh builds python:3.11-slim and mlstack.local/debian:bookworm; no registry is reachable)"
  TARGETS+=("$t")
done
bash "$MLSTACK_ROOT/scripts/harness/node/images.sh" "${TARGETS[@]}" || die "building the base image(s) ${TARGETS[*]} failed"

# The host's pip index settings, if any, as a pip.conf lent to the build.
PIP_CONF=""
index_settings="$(python3 - <<'PY'
import os, subprocess
keys = {"index-url": "PIP_INDEX_URL", "extra-index-url": "PIP_EXTRA_INDEX_URL", "trusted-host": "PIP_TRUSTED_HOST"}
out = []
for key, env in keys.items():
    value = os.environ.get(env)
    if not value:
        r = subprocess.run(["python3", "-m", "pip", "config", "get", "global." + key],
                           capture_output=True, text=True)
        value = r.stdout.strip() if r.returncode == 0 else ""
    if value:
        out.append(f"{key} = {value}")
print("\n".join(out))
PY
)" || index_settings=""
CA_BUNDLE="${PIP_CERT:-$(python3 -m pip config get global.cert 2>/dev/null || true)}"
[ -s "$CA_BUNDLE" ] || CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

# The cache key: what the build sees, how it is built, and what it is built on.
context_hash() {
  python3 - "$CONTEXT" <<'PY'
import hashlib, os, re, sys
root = sys.argv[1]
patterns = []
try:
    lines = open(os.path.join(root, ".dockerignore")).read().splitlines()
except FileNotFoundError:
    lines = []
lines = [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]
if not any(l.startswith("!") for l in lines):  # exceptions: hash everything (safe, never stale)
    for l in lines:
        l = l.strip("/")
        rx = ""
        i = 0
        while i < len(l):
            if l.startswith("**", i):
                rx += ".*"; i += 2
            elif l[i] == "*":
                rx += "[^/]*"; i += 1
            elif l[i] == "?":
                rx += "[^/]"; i += 1
            else:
                rx += re.escape(l[i]); i += 1
        patterns.append(re.compile(rx.replace(".*/", "(.*/)?") + "$"))
ignored = lambda rel: any(p.match(rel) for p in patterns)
h = hashlib.sha256()
for dirpath, dirnames, filenames in os.walk(root):
    rel_dir = os.path.relpath(dirpath, root)
    rel_dir = "" if rel_dir == "." else rel_dir + "/"
    dirnames[:] = sorted(d for d in dirnames if not ignored(rel_dir + d))
    for name in sorted(filenames):
        rel = rel_dir + name
        if ignored(rel):
            continue
        full = os.path.join(dirpath, name)
        st = os.lstat(full)
        h.update(f"{rel}\0{st.st_mode:o}\0".encode())
        if os.path.islink(full):
            h.update(os.readlink(full).encode())
        else:
            with open(full, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
        h.update(b"\0")
print(h.hexdigest())
PY
}
KEY="build-image v1 $FULL_NAME context $(context_hash) args ${BUILD_ARGS[*]:-} index $([ -n "$index_settings" ] && echo lent || echo default)"
for t in "${TARGETS[@]}"; do KEY+=" base $t: $(cat "$OUT/.$t.stamp")"; done
STAMP="$OUT/.$(basename "$ARCHIVE" .tar).stamp"
if [ -s "$ARCHIVE" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$KEY" ]; then
  log "image $FULL_NAME is up to date ($ARCHIVE)"
  echo "$ARCHIVE"
  exit 0
fi

# buildah, its state under .tools/buildah/, in a mount namespace where its blob-info cache
# (/var/lib/containers/cache for root, not configurable) is a directory under .tools/ too.
# The mount point is made only if missing, and removed again when this script made it.
made_mountpoints=()
for d in /var/lib/containers /var/lib/containers/cache; do
  [ -d "$d" ] || { mkdir "$d" && made_mountpoints=("$d" "${made_mountpoints[@]}"); }
done
# buildah's network setup makes /etc/cni/net.d (mode 0700) holding libcni's empty cni.lock,
# whatever --cni-config-dir says; when /etc/cni was not there before, both go again (the lock
# only if empty, the folders only if empty then).
made_by_buildah=()
for d in /etc/cni /etc/cni/net.d; do [ -e "$d" ] || made_by_buildah=("$d" "${made_by_buildah[@]}"); done
cleanup() {
  rm -rf "${work:-}"
  local d
  if [ ${#made_by_buildah[@]} -gt 0 ] && [ -f /etc/cni/net.d/cni.lock ] && [ ! -s /etc/cni/net.d/cni.lock ]; then
    rm -f /etc/cni/net.d/cni.lock
  fi
  for d in "${made_mountpoints[@]}" "${made_by_buildah[@]}"; do rmdir "$d" 2>/dev/null || true; done
}
trap cleanup EXIT
work="$(mktemp -d "$BUILDAH_DIR/tmp/build.XXXXXX")"
bah() {
  TMPDIR="$BUILDAH_DIR/tmp" unshare --mount --propagation private sh -c \
    'mount --bind "$0" /var/lib/containers/cache && exec "$@"' "$BUILDAH_DIR/blob-info-cache" \
    buildah --root "$BUILDAH_DIR/storage" --runroot "$BUILDAH_DIR/run" --storage-driver vfs "$@"
}

# One build at a time (shared storage).
exec 9>"$BUILDAH_DIR/lock"
flock 9

# The bases, loaded into buildah's storage when their archive changed.
for t in "${TARGETS[@]}"; do
  base_key="$(cat "$OUT/.$t.stamp") $(stat -c '%s %Y' "$OUT/$t.tar")"
  if [ "$(cat "$BUILDAH_DIR/.base-$t.stamp" 2>/dev/null)" != "$base_key" ]; then
    log "loading the base image $t into buildah's storage"
    bah pull --quiet "oci-archive:$OUT/$t.tar" >/dev/null || die "loading $OUT/$t.tar into buildah failed"
    bah rmi --prune >/dev/null 2>&1 || true # the base it replaced, now untagged
    printf '%s' "$base_key" >"$BUILDAH_DIR/.base-$t.stamp"
  fi
done

volumes=(-v "$CA_BUNDLE:/etc/ssl/certs/ca-certificates.crt:ro")
if [ -n "$index_settings" ]; then
  PIP_CONF="$work/pip.conf"
  printf '[global]\n%s\n' "$index_settings" >"$PIP_CONF"
  volumes+=(-v "$PIP_CONF:/etc/pip.conf:ro")
fi

BUILD_LOG="$OUT/.$(basename "$ARCHIVE" .tar).build.log"
log "building $FULL_NAME from $CONTEXT/Dockerfile (buildah, chroot isolation; log: $BUILD_LOG)"
t0=$(date +%s)
# (--cni-config-dir: buildah otherwise makes /etc/cni/net.d for a CNI network it does not use
# here; RUN steps share the host's network under chroot isolation)
if ! bah bud --isolation chroot --network host --cni-config-dir "$BUILDAH_DIR/cni" \
  --pull=never --layers=false --format oci --iidfile "$work/iid" \
  "${volumes[@]}" "${BUILD_ARGS[@]}" -f "$CONTEXT/Dockerfile" "$CONTEXT" >"$BUILD_LOG" 2>&1; then
  tail -n 40 "$BUILD_LOG" >&2
  die "buildah bud failed (log: $BUILD_LOG)"
fi
log "buildah bud took $(($(date +%s) - t0)) s"
t1=$(date +%s)
iid="$(cat "$work/iid")"
iid="${iid#sha256:}"
# (gzip layers: this buildah compresses for an oci: destination even when told not to, -D)
bah push --quiet --format oci "$iid" "oci:$work/layout" >/dev/null || die "buildah push to an OCI layout failed"
bah rmi "$iid" >/dev/null 2>&1 || true

# The layout as an archive containerd's importer names by the io.containerd.image.name annotation.
python3 - "$work/layout" "$FULL_NAME" "$ARCHIVE.tmp" <<'PY' || die "writing $ARCHIVE failed"
import json, os, sys, tarfile
layout, name, out = sys.argv[1:]
index = json.load(open(os.path.join(layout, "index.json")))
assert len(index["manifests"]) == 1, index
index["manifests"][0].setdefault("annotations", {}).update(
    {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": name})
with open(os.path.join(layout, "index.json"), "w") as f:
    json.dump(index, f)
with tarfile.open(out, "w") as tar:
    for entry in ("oci-layout", "index.json", "blobs"):
        tar.add(os.path.join(layout, entry), arcname=entry)
PY
mv "$ARCHIVE.tmp" "$ARCHIVE"
printf '%s' "$KEY" >"$STAMP"
log "built $FULL_NAME in $(($(date +%s) - t0)) s (the archive $(($(date +%s) - t1)) s of it): $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
echo "$ARCHIVE"
