#!/usr/bin/env bash
# Everything a fresh machine needs before the portal starts or the tests run. Idempotent;
# each step skips itself when its result is already cached under .tools/.
#   scripts/bootstrap/all.sh            toolchain + JS dependencies (enough to start the portal)
#   scripts/bootstrap/all.sh --stack    also the embedded stack's servers (Go builds: kube-apiserver,
#                                       kubectl, etcd, MinIO, Gitea) and the Python venv: what
#                                       scripts/start.sh needs without --node
#   scripts/bootstrap/all.sh --tests    the same, and as root also the real node's kubelet,
#                                       controller-manager, scheduler and Argo's and KServe's
#                                       controllers (the node test, the golden path, start --node)
# With --stack or --tests the Go builds and the Python venv run in the background while Yarn
# installs.
source "$(dirname "$0")/../lib.sh"
here="$MLSTACK_ROOT/scripts/bootstrap"
logs="$MLSTACK_TOOLS/logs"
mkdir -p "$logs"

mode="${1:-}"
case "$mode" in
  "" | --stack | --tests) ;;
  *) die "usage: $0 [--stack|--tests]" ;;
esac
# The tests' browser and PostgreSQL; the harness's real node (root only) runs on containerd,
# runc and the CNI plugins from Debian.
if [ "$mode" = --tests ] && [ "$(id -u)" -eq 0 ]; then bash "$here/debian.sh" node
elif [ "$mode" = --tests ]; then bash "$here/debian.sh" tests
else bash "$here/debian.sh"; fi
bash "$here/node.sh"
use_project_node

pids=()
names=()
if [ -n "$mode" ]; then
  bash "$here/python.sh" >"$logs/bootstrap-python.log" 2>&1 &
  pids+=($!); names+=(python)
  go_target=all
  [ "$mode" = --stack ] && go_target=stack
  bash "$here/go-binaries.sh" "$go_target" >"$logs/bootstrap-go.log" 2>&1 &
  pids+=($!); names+=(go)
fi
# Background steps must not outlive this script when it fails.
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

cd "$MLSTACK_ROOT"
# What the install depends on: a later run with the same inputs skips `yarn install` (half a
# minute on a 2-core machine even when nothing changed).
install_sum="$(cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json 2>/dev/null |
  { cat; printf '%s' "$NODE_VERSION $YARN_VERSION"; } | sha256sum | cut -d' ' -f1)"
install_stamp="$MLSTACK_ROOT/node_modules/.mlstack-install.sha256"
if [ -f node_modules/.yarn-state.yml ] && [ "$(cat "$install_stamp" 2>/dev/null)" = "$install_sum" ]; then
  log "JavaScript dependencies are up to date (yarn.lock and package.json files unchanged)"
else
  log "installing JavaScript dependencies (yarn install)"
  rm -f "$install_stamp"
  if [ -n "${CI:-}" ]; then
    yarn install --immutable || die "yarn install --immutable failed (is yarn.lock up to date?)"
  else
    yarn install || die "yarn install failed"
  fi
  printf '%s' "$install_sum" >"$install_stamp"
fi

failed=0
[ ${#pids[@]} -eq 0 ] || log "waiting for the Go builds and the Python venv (progress: $logs/bootstrap-go.log, $logs/bootstrap-python.log)"
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "----- $logs/bootstrap-${names[$i]}.log -----" >&2
    tail -n 30 "$logs/bootstrap-${names[$i]}.log" >&2
    log "bootstrap step '${names[$i]}' failed (full log: $logs/bootstrap-${names[$i]}.log)"
    failed=1
  fi
done
pids=()
[ "$failed" = 0 ] || die "bootstrap failed"
