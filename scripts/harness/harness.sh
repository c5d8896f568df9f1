#!/usr/bin/env bash
# The real-service test harness: MinIO (S3), MLflow, a Kubernetes API server (etcd +
# kube-apiserver with the Argo Workflows and KServe CRDs), PostgreSQL (Debian's package, a
# fresh cluster per start) and a Git server (Gitea, SQLite, its data kept between starts), each
# on free loopback ports.
#
#   scripts/harness/harness.sh up [s3|mlflow|kube|pg|git|node|argo|kserve ...]   start (reuses what is already up)
#   scripts/harness/harness.sh down [s3|mlflow|kube|pg|git|node|argo|kserve ...] stop everything it started (or those)
#   scripts/harness/harness.sh status                       what is running, and where
#   scripts/harness/harness.sh expose NAME PORT             pods reach 127.0.0.1:PORT at the node's address
#   scripts/harness/harness.sh image PROJECT                a generated project's image, built from its
#                                                           Dockerfile and put on the node (node/project-image.sh)
#
# State, logs and credentials live in $MLSTACK_HARNESS_DIR (default .tools/harness):
#   harness.json  what tests read (URLs, kubeconfig path, generated credentials)
#   harness.env   the same as shell exports: `source .tools/harness/harness.env`
#   kubeconfig    admin context `mlstack-harness`; also `mlstack-harness-norights`
#   logs/*.log    each server's output
# Fixed ports can be asked for with MLSTACK_S3_PORT, MLSTACK_MLFLOW_PORT, MLSTACK_KUBE_PORT,
# MLSTACK_PG_PORT, MLSTACK_GIT_PORT.
#
# `node` (root only, not in the default set) adds a real one-node cluster joined to the API
# server: containerd, CNI, kubelet, kube-controller-manager, kube-scheduler (node/node.sh says
# what it owns and removes on `down`). The API server then runs with the ServiceAccount
# admission plugin, so `up kube node` starts both together. `argo` (needs `node`) adds Argo's
# workflow controller; steps run in real pods on the node (node/argo.sh). `kserve` (needs `node`)
# adds KServe's controller manager in Standard mode with its webhooks (node/kserve.sh). With the
# node, pods reach MLflow and MinIO also by the Minikube install's in-cluster names
# (mlflow.mlflow.svc.cluster.local:5000, minio.minio.svc.cluster.local:9000: node/node.sh).
# MLSTACK_KUBE_KEEP_DATA=1 (scripts/start.sh) keeps the API server's objects between starts
# when there is no node.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/node/node.sh"
source "$(dirname "$0")/node/argo.sh"
source "$(dirname "$0")/node/kserve.sh"

HARNESS_DIR="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
BIN="$MLSTACK_TOOLS/bin"
VENV="$MLSTACK_TOOLS/venv"
CRD_DIRS=("$MLSTACK_ROOT/third_party/argo-workflows/crds" "$MLSTACK_ROOT/third_party/kserve/crds")
# As the Minikube install makes them (deploy/minikube/base/minio/setup-job.yaml): MLflow's
# artifacts, DVC's remote, Argo's artifact repository (the template's argoArtifactsBucket).
S3_BUCKETS=(mlflow-artifacts dvc argo-artifacts)
mkdir -p "$HARNESS_DIR/logs" "$HARNESS_DIR/run"

pidfile() { printf '%s/run/%s.pid' "$HARNESS_DIR" "$1"; }
is_running() { local p; p="$(cat "$(pidfile "$1")" 2>/dev/null)" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
state_get() { cat "$HARNESS_DIR/run/$1" 2>/dev/null || true; }
state_set() { (umask 077 && printf '%s' "$2" >"$HARNESS_DIR/run/$1"); }

# pick_port NAME ENVVAR — the requested port (refused if taken) or a free one.
pick_port() {
  local name="$1" requested="${!2:-}"
  if [ -n "$requested" ]; then
    if port_taken "$requested"; then
      die "$name: port $requested (from $2) is already in use on 127.0.0.1; free it or unset $2"
    fi
    printf '%s' "$requested"
  else
    free_port
  fi
}

# spawn NAME LOG CMD... — start CMD in its own process group, remember its pid.
spawn() {
  local name="$1" logf="$2"
  shift 2
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

stop_one() {
  local name="$1" pid i
  pid="$(cat "$(pidfile "$name")" 2>/dev/null)" || return 0
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    log "$name stopped"
  fi
  rm -f "$(pidfile "$name")"
}

fail_start() {
  local name="$1" logf="$2"
  echo "----- last lines of $logf -----" >&2
  tail -n 25 "$logf" >&2 || true
  stop_one "$name"
  die "$name failed to start (full log: $logf)"
}

require_bin() { [ -x "$1" ] || die "$2 is not installed at $1; run $3"; }

random_secret() { python3 -c 'import secrets; print(secrets.token_hex(20))'; }

# ---------------------------------------------------------------- S3 (MinIO)
up_s3() {
  if is_running minio; then return 0; fi
  require_bin "$BIN/minio" MinIO "scripts/bootstrap/go-binaries.sh minio"
  local port console logf="$HARNESS_DIR/logs/minio.log"
  port="$(pick_port MinIO MLSTACK_S3_PORT)"
  console="$(free_port)"
  state_set s3.port "$port"
  [ -s "$HARNESS_DIR/run/s3.access" ] || state_set s3.access "mlstack-$(random_secret | cut -c1-8)"
  [ -s "$HARNESS_DIR/run/s3.secret" ] || state_set s3.secret "$(random_secret)"
  mkdir -p "$HARNESS_DIR/data/minio"
  log "starting MinIO on 127.0.0.1:$port"
  MINIO_ROOT_USER="$(state_get s3.access)" MINIO_ROOT_PASSWORD="$(state_get s3.secret)" \
    MINIO_BROWSER=off MINIO_UPDATE=off \
    spawn minio "$logf" "$BIN/minio" server --quiet --address "127.0.0.1:$port" \
    --console-address "127.0.0.1:$console" "$HARNESS_DIR/data/minio"
  wait_for MinIO "http://127.0.0.1:$port/minio/health/ready" 60 "$(cat "$(pidfile minio)")" \
    || fail_start MinIO "$logf"
  AWS_ACCESS_KEY_ID="$(state_get s3.access)" AWS_SECRET_ACCESS_KEY="$(state_get s3.secret)" \
    "$VENV/bin/python" "$MLSTACK_ROOT/scripts/harness/ensure_buckets.py" \
    "http://127.0.0.1:$port" "${S3_BUCKETS[@]}" || fail_start MinIO "$logf"
}

# ---------------------------------------------------------------- MLflow
up_mlflow() {
  if is_running mlflow; then return 0; fi
  # MLflow's default Host headers (loopback and private addresses: the node's pods come from
  # 10.244.0.0/24) and its in-cluster name on the node (CLUSTER_SERVICES).
  local MLFLOW_ALLOWED_HOSTS="localhost,localhost:*,127.0.0.1,127.0.0.1:*,10.*,172.*,192.168.*,mlflow.mlflow.svc.cluster.local,mlflow.mlflow.svc.cluster.local:*"
  require_bin "$VENV/bin/mlflow" MLflow "scripts/bootstrap/python.sh"
  is_running minio || die "MLflow stores its artifacts on the harness S3 server; start it first (harness.sh up s3 mlflow)"
  local port logf="$HARNESS_DIR/logs/mlflow.log" s3port
  port="$(pick_port MLflow MLSTACK_MLFLOW_PORT)"
  s3port="$(state_get s3.port)"
  state_set mlflow.port "$port"
  mkdir -p "$HARNESS_DIR/data/mlflow"
  log "starting MLflow on 127.0.0.1:$port (SQLite store, artifacts on s3://mlflow-artifacts)"
  MLFLOW_S3_ENDPOINT_URL="http://127.0.0.1:$s3port" \
    AWS_ACCESS_KEY_ID="$(state_get s3.access)" AWS_SECRET_ACCESS_KEY="$(state_get s3.secret)" \
    AWS_DEFAULT_REGION=us-east-1 \
    spawn mlflow "$logf" "$VENV/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$HARNESS_DIR/data/mlflow/mlflow.db" \
    --artifacts-destination s3://mlflow-artifacts/ --serve-artifacts \
    --allowed-hosts "$MLFLOW_ALLOWED_HOSTS"
  wait_for MLflow "http://127.0.0.1:$port/health" 120 "$(cat "$(pidfile mlflow)")" \
    || fail_start MLflow "$logf"
}

# ---------------------------------------------------------------- Kubernetes API
# The API server's certificate also names the node's address and the `kubernetes` Service's
# ClusterIP, where pods reach it; one made before those were added is made again.
APISERVER_SANS="IP:127.0.0.1,IP:$NODE_IP,IP:$KUBE_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
make_pki() {
  local pki="$HARNESS_DIR/pki"
  [ -s "$pki/apiserver.crt" ] && [ "$(cat "$pki/apiserver.sans" 2>/dev/null)" = "$APISERVER_SANS" ] && return 0
  need openssl "Debian package openssl"
  mkdir -p "$pki"
  (
    cd "$pki"
    [ -s ca.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=mlstack-harness-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
      -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$APISERVER_SANS" >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -extfile san.ext -out apiserver.crt 2>/dev/null
    [ -s sa.key ] || openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    printf '%s' "$APISERVER_SANS" >apiserver.sans
  ) || die "creating the API server's certificates with openssl failed"
}

write_kubeconfig() {
  local port="$1" ca
  ca="$(base64 -w0 <"$HARNESS_DIR/pki/ca.crt")"
  cat >"$HARNESS_DIR/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
current-context: mlstack-harness
clusters:
  - name: mlstack-harness
    cluster:
      server: https://127.0.0.1:$port
      certificate-authority-data: $ca
users:
  - name: harness-admin
    user:
      token: $(state_get kube.admin-token)
  - name: harness-norights
    user:
      token: $(state_get kube.norights-token)
contexts:
  - name: mlstack-harness
    context: { cluster: mlstack-harness, user: harness-admin }
  - name: mlstack-harness-norights
    context: { cluster: mlstack-harness, user: harness-norights }
KCFG
  chmod 600 "$HARNESS_DIR/kubeconfig"
}

up_kube() {
  if is_running kube-apiserver && is_running etcd; then return 0; fi
  # A new API server starts on an empty etcd, often on another port: a node joined to the old
  # one would be left pointing at nothing.
  if is_running kubelet; then
    die "the API server stopped while the node runs; stop the node first: harness.sh down node, then harness.sh up kube node"
  fi
  stop_one kube-apiserver
  stop_one etcd
  # etcd: the release the API server names, built by go-binaries.sh (Debian's 3.4 lacks the
  # watch progress requests the API server's watch streams need); Debian's when not built.
  local etcd_bin="$BIN/etcd"
  if [ ! -x "$etcd_bin" ]; then
    [ "${KUBE_NODE_MODE:-0}" = 1 ] && die "the node's controllers need etcd 3.6 (Debian's 3.4 cannot serve watch streams): scripts/bootstrap/go-binaries.sh etcd"
    need etcd "Debian package etcd-server (scripts/bootstrap/debian.sh), or scripts/bootstrap/go-binaries.sh etcd"
    etcd_bin="$(command -v etcd)"
    log "using $("$etcd_bin" --version | head -1) (scripts/bootstrap/go-binaries.sh etcd builds the release the API server expects)"
  fi
  require_bin "$BIN/kube-apiserver" kube-apiserver "scripts/bootstrap/go-binaries.sh kube"
  require_bin "$BIN/kubectl" kubectl "scripts/bootstrap/go-binaries.sh kube"
  make_pki
  # Without a node nothing creates ServiceAccounts, so their admission plugin would refuse every
  # pod; with one (KUBE_NODE_MODE=1, from `up kube node`) it gives pods their tokens.
  local admission=(--disable-admission-plugins ServiceAccount) mode=plain
  local kubelet_client=()
  if [ "${KUBE_NODE_MODE:-0}" = 1 ]; then
    make_node_pki
    # NodeRestriction beside the Node authorizer: the kubelet may change only its own Node and pods.
    admission=(--enable-admission-plugins NodeRestriction)
    mode=node
    kubelet_client=(--kubelet-client-certificate "$HARNESS_DIR/pki/apiserver-kubelet-client.crt"
      --kubelet-client-key "$HARNESS_DIR/pki/apiserver-kubelet-client.key")
  fi
  state_set kube.mode "$mode"
  local etcd_port peer_port port elog="$HARNESS_DIR/logs/etcd.log" klog="$HARNESS_DIR/logs/kube-apiserver.log"
  etcd_port="$(free_port)"
  peer_port="$(free_port)"
  port="$(pick_port kube-apiserver MLSTACK_KUBE_PORT)"
  state_set kube.port "$port"
  [ -s "$HARNESS_DIR/run/kube.admin-token" ] || state_set kube.admin-token "$(random_secret)"
  [ -s "$HARNESS_DIR/run/kube.norights-token" ] || state_set kube.norights-token "$(random_secret)"
  # Static tokens: an admin, and a user with no RBAC bindings (for permission-denied tests).
  printf '%s,harness-admin,harness-admin,system:masters\n%s,harness-norights,harness-norights\n' \
    "$(state_get kube.admin-token)" "$(state_get kube.norights-token)" >"$HARNESS_DIR/pki/tokens.csv"
  chmod 600 "$HARNESS_DIR/pki/tokens.csv"

  # The cluster's objects go with its API server unless MLSTACK_KUBE_KEEP_DATA=1 (the demo,
  # scripts/start.sh: what a user deployed is there after a restart, and a restart skips the CRD
  # install). Kept only when that same setting made them, so a test's leftovers never reach a
  # demo and a demo's never reach a test; and only without a node (a node's pods, leases and
  # service-account tokens belong to the node that stopped).
  local keep=0 keep_mark="$HARNESS_DIR/data/etcd.kept" crd_mark="$HARNESS_DIR/data/etcd.crds.sha256"
  [ "${MLSTACK_KUBE_KEEP_DATA:-0}" = 1 ] && [ "$mode" = plain ] && keep=1
  if [ "$keep" = 1 ] && [ -f "$keep_mark" ]; then
    log "reusing the cluster's data from the last start ($HARNESS_DIR/data/etcd)"
  else
    rm -rf "$HARNESS_DIR/data/etcd" "$HARNESS_DIR"/data/etcd.*
  fi
  log "starting etcd on 127.0.0.1:$etcd_port"
  spawn etcd "$elog" "$etcd_bin" --data-dir "$HARNESS_DIR/data/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" --name default
  wait_for etcd "http://127.0.0.1:$etcd_port/health" 30 "$(cat "$(pidfile etcd)")" || fail_start etcd "$elog"

  log "starting kube-apiserver on 127.0.0.1:$port (RBAC, token auth, $mode mode)"
  spawn kube-apiserver "$klog" "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" \
    --tls-cert-file "$HARNESS_DIR/pki/apiserver.crt" --tls-private-key-file "$HARNESS_DIR/pki/apiserver.key" \
    --client-ca-file "$HARNESS_DIR/pki/ca.crt" \
    --token-auth-file "$HARNESS_DIR/pki/tokens.csv" \
    --authorization-mode Node,RBAC --anonymous-auth=false \
    "${kubelet_client[@]}" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$HARNESS_DIR/pki/sa.pub" \
    --service-account-signing-key-file "$HARNESS_DIR/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    "${admission[@]}" \
    --endpoint-reconciler-type none \
    --cert-dir "$HARNESS_DIR/pki" --v 1
  local pid i
  pid="$(cat "$(pidfile kube-apiserver)")"
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail_start kube-apiserver "$klog"
    if curl -fsS --max-time 2 --cacert "$HARNESS_DIR/pki/ca.crt" \
      -H "Authorization: Bearer $(state_get kube.admin-token)" \
      "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    [ "$i" -eq 120 ] && fail_start kube-apiserver "$klog"
    sleep 1
  done
  write_kubeconfig "$port"
  local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig")
  # The CRDs' content, recorded in etcd's folder once they are installed: a kept cluster whose
  # CRDs are the same skips the install (ten seconds and more of kubectl on a 2-core machine).
  local crd_sum crd_files=() d
  for d in "${CRD_DIRS[@]}"; do crd_files+=(-f "$d"); done
  crd_sum="$(for d in "${CRD_DIRS[@]}"; do cat "$d"/*.yaml; done | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$crd_mark" 2>/dev/null)" != "$crd_sum" ]; then
    log "installing the Argo Workflows and KServe CRDs (server-side apply)"
    "${kc[@]}" apply --server-side --force-conflicts "${crd_files[@]}" >>"$klog" 2>&1 \
      || fail_start kube-apiserver "$klog"
  fi
  "${kc[@]}" wait --for condition=established --timeout=60s crd --all >>"$klog" 2>&1 \
    || fail_start kube-apiserver "$klog"
  # Established is not listable: each type's watch cache initializes afterwards and until then
  # the API server answers a list it would serve from the cache with 429 "storage is
  # (re)initializing". Ready means every type lists from its cache: unpaged (--chunk-size=0;
  # a paged list is answered from etcd while the cache is not ready), all in one kubectl call
  # that fails while any of them does.
  local crds
  crds="$("${kc[@]}" get crd -o jsonpath='{range .items[*]}{.metadata.name}{","}{end}' 2>>"$klog")" &&
    [ -n "$crds" ] || fail_start kube-apiserver "$klog"
  for i in $(seq 1 60); do
    "${kc[@]}" get "${crds%,}" --all-namespaces --chunk-size=0 --request-timeout=5s -o name >/dev/null 2>>"$klog" && break
    [ "$i" -eq 60 ] && fail_start kube-apiserver "$klog"
    sleep 1
  done
  printf '%s' "$crd_sum" >"$crd_mark"
  if [ "$keep" = 1 ]; then touch "$keep_mark"; fi
}

# ---------------------------------------------------------------- PostgreSQL
PG_USER=mlstack

pg_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] ||
    die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install the Debian package postgresql (scripts/bootstrap/debian.sh tests)"
  printf '%s' "$d"
}

# as_pg CMD... — run CMD as the cluster's owner. PostgreSQL refuses to run as root, so root (CI)
# runs it as the `postgres` system user that the Debian package creates; anyone else as themselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_data() { printf '%s/data/pg' "$HARNESS_DIR"; }

up_pg() {
  if is_running pg; then return 0; fi
  local bindir port data logf="$HARNESS_DIR/logs/pg.log" pw i
  bindir="$(pg_bindir)"
  data="$(pg_data)"
  if [ "$(id -u)" -eq 0 ]; then
    need runuser "util-linux (runuser)"
    id -u postgres >/dev/null 2>&1 ||
      die "running as root, PostgreSQL needs the 'postgres' system user (created by the Debian package postgresql)"
    runuser -u postgres -- test -x "$HARNESS_DIR" ||
      die "the postgres user cannot reach $HARNESS_DIR (a parent directory is not world-searchable); set MLSTACK_HARNESS_DIR elsewhere"
  fi
  # A cluster left by a killed harness: stop it before starting over.
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$bindir/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true
  fi
  port="$(pick_port PostgreSQL MLSTACK_PG_PORT)"
  state_set pg.port "$port"
  state_set pg.user "$PG_USER"
  [ -s "$HARNESS_DIR/run/pg.password" ] || state_set pg.password "$(random_secret)"
  chmod 600 "$HARNESS_DIR/run/pg.password"
  rm -rf "$data"
  mkdir -p "$data"
  : >>"$logf"
  pw="$(mktemp "$HARNESS_DIR/run/pg-pw.XXXXXX")"
  state_get pg.password >"$pw"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$logf" "$pw"; fi
  chmod 700 "$data"
  log "initialising a PostgreSQL $(basename "$(dirname "$bindir")") cluster in $data"
  if ! as_pg "$bindir/initdb" -D "$data" -U "$PG_USER" --pwfile "$pw" --auth scram-sha-256 \
    -E UTF8 --no-locale --no-sync >>"$logf" 2>&1; then
    rm -f "$pw"
    fail_start PostgreSQL "$logf"
  fi
  rm -f "$pw"
  # Loopback TCP only (no Unix socket), and room for a connection pool per backend plugin.
  # Durability is not needed for a test server: no fsync.
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_pg "$bindir/pg_ctl" -D "$data" -l "$logf" -w -t 60 start >/dev/null 2>&1 || fail_start PostgreSQL "$logf"
  head -n 1 "$data/postmaster.pid" >"$(pidfile pg)"
  for i in $(seq 1 30); do
    if PGPASSWORD="$(state_get pg.password)" PGCONNECT_TIMEOUT=2 "$bindir/psql" -h 127.0.0.1 -p "$port" \
      -U "$PG_USER" -d postgres -XAtc 'select 1' 2>/dev/null | grep -qx 1; then
      return 0
    fi
    is_running pg || break
    sleep 1
  done
  fail_start PostgreSQL "$logf"
}

stop_pg() {
  local bindir data pid i
  data="$(pg_data)"
  if [ -f "$data/postmaster.pid" ] && bindir="$(pg_bindir 2>/dev/null)"; then
    if as_pg "$bindir/pg_ctl" -D "$data" stop -m fast -w -t 30 >/dev/null 2>&1; then
      # pg_ctl returns once the pid file is gone; the postmaster exits just after.
      pid="$(cat "$(pidfile pg)" 2>/dev/null)" || pid=
      for i in $(seq 1 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      log "PostgreSQL stopped"
    fi
  fi
  stop_one pg
}

# ---------------------------------------------------------------- Git server (Gitea)
# Gitea refuses to run as root (its only way around that is an option its code calls
# "purposefully undocumented"), so root (CI) runs it as an unprivileged system user, created
# here when missing, as PostgreSQL runs as `postgres`; anyone else runs it as themselves.
GIT_SYSTEM_USER=mlstack-git
GIT_ORG=mlstack
GIT_ADMIN=mlstack-admin
GIT_PORTAL_USER=mlstack-portal
GIT_TOKEN_SCOPES=write:organization,write:repository,read:user

git_home() { cat "$BIN/.gitea.version" 2>/dev/null | sed "s|^|$MLSTACK_TOOLS/gitea-|"; }
git_data() { printf '%s/data/gitea' "$HARNESS_DIR"; }
git_run_user() { if [ "$(id -u)" -eq 0 ]; then printf '%s' "$GIT_SYSTEM_USER"; else id -un; fi; }
as_git() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$GIT_SYSTEM_USER" -- "$@")
  else
    "$@"
  fi
}
# gitea CLI against the harness's configuration (the server's database and settings)
gitea_cli() { as_git "$BIN/gitea" --config "$(git_data)/app.ini" --work-path "$(git_home)" --custom-path "$(git_data)/custom" "$@"; }

# git_api METHOD PATH [JSON] — the Gitea API as the harness admin; prints the body, returns
# non-zero unless 2xx. Credentials go through a curl config on stdin, never on a command line.
git_api() {
  local method="$1" path="$2" body="${3:-}" port
  port="$(state_get git.port)"
  printf 'user = "%s:%s"\n' "$GIT_ADMIN" "$(state_get git.admin-password)" |
    curl -fsS --max-time 20 -K - -X "$method" -H 'Content-Type: application/json' \
      ${body:+--data "$body"} "http://127.0.0.1:$port/api/v1$path"
}

write_gitea_ini() {
  local port="$1" data="$2" home="$3" run_user="$4"
  local root_line=""
  cat >"$data/app.ini.new" <<INI
APP_NAME = MLStack Git
RUN_USER = $run_user
RUN_MODE = prod
WORK_PATH = $home

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = $port
DOMAIN = 127.0.0.1
ROOT_URL = http://127.0.0.1:$port/
STATIC_ROOT_PATH = $home
APP_DATA_PATH = $data/data
DISABLE_SSH = true
START_SSH_SERVER = false
LFS_START_SERVER = false
OFFLINE_MODE = true

[database]
DB_TYPE = sqlite3
PATH = $data/gitea.db
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = $data/repositories
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = $(state_get git.secret-key)
INTERNAL_TOKEN = $(state_get git.internal-token)
PASSWORD_HASH_ALGO = pbkdf2_hi

[oauth2]
JWT_SECRET = $(state_get git.jwt-secret)

[service]
DISABLE_REGISTRATION = true
REQUIRE_SIGNIN_VIEW = false
DEFAULT_KEEP_EMAIL_PRIVATE = true
DEFAULT_ALLOW_CREATE_ORGANIZATION = false
ENABLE_NOTIFY_MAIL = false

[mailer]
ENABLED = false

[openid]
ENABLE_OPENID_SIGNIN = false
ENABLE_OPENID_SIGNUP = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[actions]
ENABLED = false

[packages]
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = console
LEVEL = Warn
ROOT_PATH = $data/log
INI
  chmod 600 "$data/app.ini.new"
  mv "$data/app.ini.new" "$data/app.ini"
}

up_git() {
  if is_running gitea; then return 0; fi
  require_bin "$BIN/gitea" Gitea "scripts/bootstrap/go-binaries.sh gitea"
  local home data port logf="$HARNESS_DIR/logs/gitea.log" run_user
  home="$(git_home)"
  [ -d "$home/templates" ] || die "Gitea's templates are not at $home/templates; run scripts/bootstrap/go-binaries.sh gitea"
  data="$(git_data)"
  run_user="$(git_run_user)"
  if [ "$(id -u)" -eq 0 ]; then
    need runuser "util-linux (runuser)"
    if ! id -u "$GIT_SYSTEM_USER" >/dev/null 2>&1; then
      need useradd "Debian package passwd"
      log "creating the system user $GIT_SYSTEM_USER that runs Gitea (Gitea refuses to run as root)"
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        "$GIT_SYSTEM_USER" || die "creating the system user $GIT_SYSTEM_USER failed"
    fi
    runuser -u "$GIT_SYSTEM_USER" -- test -x "$HARNESS_DIR" -a -r "$home/templates" -a -x "$BIN/gitea" ||
      die "the $GIT_SYSTEM_USER user cannot reach $HARNESS_DIR or $home (a parent directory is not world-searchable); set MLSTACK_HARNESS_DIR elsewhere"
  fi
  port="$(pick_port Gitea MLSTACK_GIT_PORT)"
  state_set git.port "$port"
  local k
  for k in secret-key internal-token jwt-secret admin-password portal-password; do
    [ -s "$HARNESS_DIR/run/git.$k" ] || state_set "git.$k" "$(random_secret)"
  done
  mkdir -p "$data/custom" "$data/data" "$data/log" "$data/repositories"
  : >>"$logf"
  write_gitea_ini "$port" "$data" "$home" "$run_user"
  chmod 600 "$HARNESS_DIR"/run/git.*
  if [ "$(id -u)" -eq 0 ]; then chown -R "$GIT_SYSTEM_USER:" "$data"; fi
  chmod 700 "$data"
  # The schema first (a new database, or one from an older Gitea), then the server.
  gitea_cli migrate >>"$logf" 2>&1 || fail_start Gitea "$logf"
  log "starting Gitea on 127.0.0.1:$port (SQLite, data in $data)"
  if [ "$(id -u)" -eq 0 ]; then
    spawn gitea "$logf" runuser -u "$GIT_SYSTEM_USER" -- env HOME="$data/data/home" \
      "$BIN/gitea" web --config "$data/app.ini" --work-path "$home" --custom-path "$data/custom"
  else
    HOME="$data/data/home" spawn gitea "$logf" \
      "$BIN/gitea" web --config "$data/app.ini" --work-path "$home" --custom-path "$data/custom"
  fi
  wait_for Gitea "http://127.0.0.1:$port/api/healthz" 90 "$(cat "$(pidfile gitea)")" || fail_start Gitea "$logf"
  seed_git "$port" || fail_start Gitea "$logf"
}

# seed_git PORT — idempotent: the admin, the portal's service account, the organisation (owned
# by the service account) and the service account's token (kept while it still works).
seed_git() {
  local port="$1" users token
  users="$(gitea_cli admin user list 2>>"$HARNESS_DIR/logs/gitea.log")" || return 1
  if ! awk 'NR > 1 {print $2}' <<<"$users" | grep -qx "$GIT_ADMIN"; then
    log "Gitea: creating the admin $GIT_ADMIN"
    gitea_cli admin user create --admin --username "$GIT_ADMIN" --email "$GIT_ADMIN@mlstack.invalid" \
      --password "$(state_get git.admin-password)" --must-change-password=false >/dev/null 2>>"$HARNESS_DIR/logs/gitea.log" || return 1
  fi
  if ! awk 'NR > 1 {print $2}' <<<"$users" | grep -qx "$GIT_PORTAL_USER"; then
    log "Gitea: creating the portal's service account $GIT_PORTAL_USER"
    gitea_cli admin user create --username "$GIT_PORTAL_USER" --email "$GIT_PORTAL_USER@mlstack.invalid" \
      --password "$(state_get git.portal-password)" --must-change-password=false >/dev/null 2>>"$HARNESS_DIR/logs/gitea.log" || return 1
  fi
  # The organisation, made by the admin (users may not create organisations here); the service
  # account is one of its owners: it creates and, when a push fails, deletes repositories in it.
  if ! git_api GET "/orgs/$GIT_ORG" >/dev/null 2>&1; then
    log "Gitea: creating the organisation $GIT_ORG"
    git_api POST "/orgs" \
      "{\"username\":\"$GIT_ORG\",\"full_name\":\"MLStack projects\",\"visibility\":\"public\"}" >/dev/null || return 1
  fi
  if ! git_api GET "/orgs/$GIT_ORG/members/$GIT_PORTAL_USER" >/dev/null 2>&1; then
    local owners
    owners="$(git_api GET "/orgs/$GIT_ORG/teams/search?q=Owners" |
      python3 -c 'import json,sys; print(next(t["id"] for t in json.load(sys.stdin)["data"] if t["name"] == "Owners"))')" || return 1
    log "Gitea: adding $GIT_PORTAL_USER to the owners of $GIT_ORG"
    git_api PUT "/teams/$owners/members/$GIT_PORTAL_USER" >/dev/null || return 1
  fi
  token="$(state_get git.token)"
  if [ -z "$token" ] || ! printf 'header = "Authorization: token %s"\n' "$token" |
    curl -fsS -o /dev/null --max-time 10 -K - "http://127.0.0.1:$port/api/v1/user" 2>/dev/null; then
    log "Gitea: issuing an access token for $GIT_PORTAL_USER ($GIT_TOKEN_SCOPES; kept in $HARNESS_DIR/run, mode 0600)"
    token="$(gitea_cli admin user generate-access-token --username "$GIT_PORTAL_USER" \
      --token-name "portal-$(date +%s)" --scopes "$GIT_TOKEN_SCOPES" --raw 2>>"$HARNESS_DIR/logs/gitea.log")" || return 1
    [ -n "$token" ] || return 1
    (umask 077; state_set git.token "$token")
  fi
  chmod 600 "$HARNESS_DIR/run/git.token"
}

write_state() {
  local s3port mlport kport
  s3port="$(state_get s3.port)"; mlport="$(state_get mlflow.port)"; kport="$(state_get kube.port)"
  NODE_IP="$NODE_IP" POD_CIDR="$POD_CIDR" "$VENV/bin/python" - "$HARNESS_DIR" <<'PY'
import json, os, sys
d = sys.argv[1]
def get(name):
    try:
        with open(os.path.join(d, "run", name)) as f:
            return f.read()
    except FileNotFoundError:
        return None
def running(name):
    try:
        os.kill(int(get(name + ".pid")), 0)
        return True
    except (TypeError, ValueError, ProcessLookupError):
        return False
state = {}
env = {}
if running("minio"):
    url = f"http://127.0.0.1:{get('s3.port')}"
    state["s3"] = {"endpoint": url, "region": "us-east-1", "accessKeyId": get("s3.access"),
                   "secretAccessKey": get("s3.secret"), "buckets": ["mlflow-artifacts", "dvc", "argo-artifacts"]}
    env.update(MLSTACK_S3_ENDPOINT=url, AWS_ACCESS_KEY_ID=get("s3.access"),
               AWS_SECRET_ACCESS_KEY=get("s3.secret"), AWS_DEFAULT_REGION="us-east-1",
               MLFLOW_S3_ENDPOINT_URL=url)
if running("mlflow"):
    url = f"http://127.0.0.1:{get('mlflow.port')}"
    state["mlflow"] = {"url": url}
    env.update(MLFLOW_TRACKING_URI=url, MLSTACK_MLFLOW_URL=url)
if running("kube-apiserver"):
    kc = os.path.join(d, "kubeconfig")
    state["kube"] = {"server": f"https://127.0.0.1:{get('kube.port')}", "kubeconfig": kc,
                     "context": "mlstack-harness", "noRightsContext": "mlstack-harness-norights",
                     "caFile": os.path.join(d, "pki", "ca.crt"), "adminToken": get("kube.admin-token"),
                     "noRightsToken": get("kube.norights-token")}
    env.update(KUBECONFIG=kc, MLSTACK_KUBE_SERVER=state["kube"]["server"])
if running("kubelet"):
    state["node"] = {"name": "mlstack-node", "ip": os.environ["NODE_IP"], "podCidr": os.environ["POD_CIDR"],
                     "containerdAddress": os.path.join(d, "node", "containerd", "containerd.sock")}
    env.update(MLSTACK_NODE_IP=os.environ["NODE_IP"])
if running("pg"):
    pg = {"host": "127.0.0.1", "port": int(get("pg.port")), "user": get("pg.user"),
          "password": get("pg.password"), "database": "postgres"}
    state["pg"] = pg
    env.update(MLSTACK_PG_HOST=pg["host"], MLSTACK_PG_PORT=str(pg["port"]),
               MLSTACK_PG_USER=pg["user"], MLSTACK_PG_PASSWORD=pg["password"])
if running("gitea"):
    url = f"http://127.0.0.1:{get('git.port')}"
    state["git"] = {"url": url, "host": f"127.0.0.1:{get('git.port')}", "org": "mlstack",
                    "user": "mlstack-portal", "token": get("git.token"),
                    "adminUser": "mlstack-admin", "adminPassword": get("git.admin-password")}
    env.update(MLSTACK_GIT_URL=url, MLSTACK_GIT_HOST=state["git"]["host"], MLSTACK_GIT_ORG="mlstack",
               MLSTACK_GIT_USER="mlstack-portal", MLSTACK_GIT_TOKEN=get("git.token"))
with open(os.path.join(d, "harness.json"), "w") as f:
    json.dump(state, f, indent=2)
os.chmod(os.path.join(d, "harness.json"), 0o600)
with open(os.path.join(d, "harness.env"), "w") as f:
    for k, v in env.items():
        f.write(f"export {k}='{v}'\n")
os.chmod(os.path.join(d, "harness.env"), 0o600)
PY
}

# The services (as `down` names them) that are not running now.
not_running() {
  local s
  for s in "$@"; do
    case "$s" in
      s3) is_running minio || echo s3 ;;
      mlflow) is_running minio || echo s3; is_running mlflow || echo mlflow ;;
      kube) { is_running kube-apiserver && is_running etcd; } || echo kube ;;
      pg) is_running pg || echo pg ;;
      git) is_running gitea || echo git ;;
      node) { is_running kube-apiserver && is_running etcd; } || echo kube; is_running kubelet || echo node ;;
      argo) { is_running kube-apiserver && is_running etcd; } || echo kube; is_running kubelet || echo node; is_running workflow-controller || echo argo ;;
      kserve) { is_running kube-apiserver && is_running etcd; } || echo kube; is_running kubelet || echo node; is_running kserve-manager || echo kserve ;;
    esac
  done | sort -u
}

cmd_up() {
  local services=("$@")
  [ ${#services[@]} -gt 0 ] || services=(s3 mlflow kube pg git)
  # What this call starts is stopped again if a later service fails; services that were
  # already up (another test run, a portal) are left alone.
  UP_STARTING="$(not_running "${services[@]}" | tr '\n' ' ')"
  [[ " ${services[*]} " =~ \ (node|argo|kserve)\  ]] && export KUBE_NODE_MODE=1
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "harness up failed (exit $rc); stopping what it started: ${UP_STARTING:-nothing}"; [ -n "${UP_STARTING// /}" ] && cmd_down $UP_STARTING >/dev/null 2>&1 || true; fi' EXIT
  for s in "${services[@]}"; do
    case "$s" in
      s3) up_s3 ;;
      mlflow) up_s3; up_mlflow ;;
      kube) up_kube ;;
      pg) up_pg ;;
      git) up_git ;;
      node) up_kube; up_node ;;
      argo) up_kube; up_node; up_argo ;;
      kserve) up_kube; up_node; up_kserve ;;
      *) die "unknown harness service '$s' (known: s3, mlflow, kube, pg, git, node, argo, kserve)" ;;
    esac
  done
  is_running kubelet && expose_harness_services
  write_state
  trap - EXIT
  cmd_status
}

# Pods reach the harness's loopback services at the node's address, on the same ports.
expose_harness_services() {
  is_running minio && forward_to_pods s3 "$(state_get s3.port)"
  is_running mlflow && forward_to_pods mlflow "$(state_get mlflow.port)"
  is_running gitea && forward_to_pods git "$(state_get git.port)"
  forward_cluster_services
  return 0
}

cmd_expose() {
  [ $# -eq 2 ] && [[ "$1" =~ ^[a-z0-9-]+$ ]] && [[ "$2" =~ ^[0-9]+$ ]] || die "usage: harness.sh expose NAME PORT (NAME: lower-case letters, digits, -)"
  is_running kubelet || die "no node is running: harness.sh up kube node"
  forward_to_pods "$1" "$2"
  echo "pods reach 127.0.0.1:$2 at $NODE_IP:$2"
}

cmd_down() {
  if [ $# -eq 0 ]; then
    stop_kserve
    stop_argo
    stop_node
    stop_pg
    stop_one gitea
    stop_one mlflow
    stop_one kube-apiserver
    stop_one etcd
    stop_one minio
    rm -f "$HARNESS_DIR/harness.json" "$HARNESS_DIR/harness.env"
    return 0
  fi
  # Only the named services (what scripts/start.sh started), the others keep running.
  local s
  for s in "$@"; do
    case "$s" in s3 | mlflow | kube | pg | git | node | argo | kserve) ;; *) die "unknown harness service '$s' (known: s3, mlflow, kube, pg, git, node, argo, kserve)" ;; esac
  done
  if [[ " $* " =~ \ (kserve|node|kube)\  ]]; then stop_kserve; fi
  if [[ " $* " == *" argo "* || " $* " == *" node "* || " $* " == *" kube "* ]]; then stop_argo; fi
  if [[ " $* " == *" node "* || " $* " == *" kube "* ]]; then stop_node; fi
  [[ " $* " == *" pg "* ]] && stop_pg
  [[ " $* " == *" git "* ]] && stop_one gitea
  [[ " $* " == *" mlflow "* ]] && stop_one mlflow
  if [[ " $* " == *" kube "* ]]; then stop_one kube-apiserver; stop_one etcd; fi
  [[ " $* " == *" s3 "* ]] && stop_one minio
  write_state
}

cmd_status() {
  local any=0
  is_running minio && { echo "s3      http://127.0.0.1:$(state_get s3.port)  buckets: ${S3_BUCKETS[*]}"; any=1; }
  is_running mlflow && { echo "mlflow  http://127.0.0.1:$(state_get mlflow.port)"; any=1; }
  is_running kube-apiserver && { echo "kube    https://127.0.0.1:$(state_get kube.port)  KUBECONFIG=$HARNESS_DIR/kubeconfig"; any=1; }
  is_running pg && { echo "pg      postgresql://$(state_get pg.user)@127.0.0.1:$(state_get pg.port)  (password in harness.json)"; any=1; }
  is_running kubelet && { node_status; any=1; }
  is_running kserve-manager && { echo "kserve  controller manager $KSERVE_VERSION (Standard mode), webhooks on 127.0.0.1:$(state_get kserve.webhook-port)"; any=1; }
  is_running workflow-controller && { echo "argo    workflow controller $ARGO_VERSION (namespace $ARGO_NAMESPACE), executor $ARGOEXEC_IMAGE"; any=1; }
  is_running gitea && { echo "git     http://127.0.0.1:$(state_get git.port)  org: $GIT_ORG, service account: $GIT_PORTAL_USER (token in harness.json)"; any=1; }
  [ "$any" = 1 ] || echo "harness: nothing running"
  [ "$any" = 1 ] && echo "state:  $HARNESS_DIR/harness.json (source $HARNESS_DIR/harness.env for a shell)"
  return 0
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  expose) shift; cmd_expose "$@" ;;
  image) shift; MLSTACK_HARNESS_DIR="$HARNESS_DIR" exec bash "$MLSTACK_ROOT/scripts/harness/node/project-image.sh" "$@" ;;
  *) echo "usage: $0 up [s3|mlflow|kube|pg|git|node|argo|kserve ...] | down [s3|mlflow|kube|pg|git|node|argo|kserve ...] | status | expose NAME PORT | image PROJECT" >&2; exit 2 ;;
esac
