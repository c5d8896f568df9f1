#!/usr/bin/env bash
# Starts the portal on its embedded defaults: frontend on http://localhost:3000, backend on
# http://localhost:7007 (SQLite in memory, guest sign-in, the local catalog).
# Installs whatever a fresh machine lacks first (Node 22, Yarn, Debian packages, node_modules).
# Extra arguments go to `backstage-cli repo start` (e.g. --config app-config.minikube.yaml).
source "$(dirname "$0")/lib.sh"
for p in 3000 7007; do
  port_taken "$p" && die "port $p is already in use on 127.0.0.1; the portal needs 3000 (frontend) and 7007 (backend)"
done
bash "$MLSTACK_ROOT/scripts/bootstrap/all.sh"
use_project_node
cd "$MLSTACK_ROOT"
exec yarn start "$@"
