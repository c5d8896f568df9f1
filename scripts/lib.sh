# Shared helpers for the project's shell scripts. Source it; do not run it.
# Everything the project installs lives under $MLSTACK_TOOLS (git-ignored).
set -euo pipefail

MLSTACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MLSTACK_TOOLS="${MLSTACK_TOOLS:-$MLSTACK_ROOT/.tools}"
NODE_VERSION="22.23.3"
YARN_VERSION="4.13.0" # keep in step with "packageManager" in package.json
export MLSTACK_ROOT MLSTACK_TOOLS

log() { printf '\033[1m[mlstack]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[mlstack] error:\033[0m %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required but not installed ($2)"; }

# The npm registry is whatever npm is configured with on this machine; Yarn ignores
# npm's settings, so hand the same registry to Yarn at run time.
npm_registry() {
  local r
  # From / : inside a workspace package npm refuses config commands (ENOWORKSPACES).
  r="$(cd / && npm config get registry 2>/dev/null || true)"
  [ -n "$r" ] || die "cannot read the npm registry (npm config get registry printed nothing)"
  printf '%s' "${r%/}"
}

# Put the project's own Node and Yarn first on PATH.
use_project_node() {
  local node_dir="$MLSTACK_TOOLS/node-$NODE_VERSION"
  [ -x "$node_dir/bin/node" ] || die "Node $NODE_VERSION is not installed under $node_dir; run scripts/bootstrap/node.sh"
  [ -x "$MLSTACK_TOOLS/bin/yarn" ] || die "Yarn $YARN_VERSION is not installed under $MLSTACK_TOOLS; run scripts/bootstrap/node.sh"
  export PATH="$node_dir/bin:$MLSTACK_TOOLS/bin:$PATH"
  export npm_config_nodedir="$node_dir"
  export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(npm_registry)}"
  export YARN_ENABLE_TELEMETRY=0
}

# A free TCP port on loopback, chosen by the kernel.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

port_taken() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
finally:
    s.close()
sys.exit(1)
PY
}

# wait_for NAME URL TIMEOUT_SECONDS [PID] — poll until URL answers 2xx.
wait_for() {
  local name="$1" url="$2" timeout="$3" pid="${4:-}" i=0
  while ! curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    i=$((i + 1))
    [ "$i" -ge "$timeout" ] && return 1
    sleep 1
  done
}
