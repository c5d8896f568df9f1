#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing:
#   `debian.sh`        what the portal and its embedded stack need: etcd-server (the harness's
#                      fallback etcd), openssl and curl (harness), git (the template, DVC and the
#                      mlops:publish:git action), python3 with venv (the harness venv and the
#                      template test), gcc, g++, make and libc6-dev (Gitea's cgo SQLite driver;
#                      better-sqlite3's node-gyp build, as its prebuilt binary is on GitHub)
#   `debian.sh tests`  also chromium and fonts (browser tests; fonts so screenshots have text) and
#                      postgresql (the harness's PostgreSQL for the production test; its initdb
#                      and pg_ctl are used, the package's own cluster is not)
#   `debian.sh node`   the tests' packages and what the harness's real node runs on: containerd,
#                      runc and the CNI plugins, mmdebstrap (its base images), iptables and socat
#                      (pods reach loopback services), dnsmasq (the pods' cluster DNS: the
#                      in-cluster names of MLflow and MinIO), buildah (builds a generated
#                      project's Dockerfile for it: scripts/harness/node/build-image.sh).
source "$(dirname "$0")/../lib.sh"

packages=(etcd-server openssl curl ca-certificates git python3 python3-venv gcc g++ make libc6-dev)
case "${1:-}" in
  "") ;;
  tests) packages+=(chromium fonts-liberation postgresql) ;;
  node) packages+=(chromium fonts-liberation postgresql containerd runc containernetworking-plugins mmdebstrap iptables socat iproute2 buildah dnsmasq-base) ;;
  *) die "usage: $0 [tests|node]" ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

need apt-get "this script installs Debian packages; on another system install: ${missing[*]}"
# Docker's containerd.io package conflicts with Debian's containerd: installing it would remove
# Docker. The node then has to wait for a host without it.
if [[ " ${missing[*]} " == *" containerd "* ]] && dpkg-query -W -f='${Status}' containerd.io 2>/dev/null | grep -q 'install ok installed'; then
  die "Docker's containerd.io is installed; Debian's containerd (the harness's node) would replace it and remove Docker. Run the node on a host without Docker"
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and not root: install them with apt-get"
  sudo=(sudo)
fi
log "installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq || die "apt-get update failed"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends --no-remove "${missing[@]}" >/dev/null \
  || die "apt-get could not install: ${missing[*]}"
