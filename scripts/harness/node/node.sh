# shellcheck shell=bash
# The harness's real one-node cluster, sourced by harness.sh: containerd (Debian's 1.6) with a
# CNI bridge, a kubelet, kube-controller-manager and kube-scheduler (built from the same
# k8s.io/kubernetes release as the API server), joined to the harness API server.
#
# What it owns, and removes again on `down` (nothing else on the host is touched):
#   - every state directory under $HARNESS_DIR/node (containerd root/state, runc root, network
#     namespaces, CNI config and IPAM state, the kubelet's root, pod logs)
#   - the CNI bridge mlstack-cni0, which also holds the node's address ($NODE_IP, the pods'
#     gateway: these VMs cannot create dummy interfaces), and the pods' veths
#   - iptables chains created while it ran (the kubelet's KUBE-*, the CNI plugins' CNI-*) and the
#     rules that jump to them, and its own rules tagged "mlstack-harness"
#   - the host sysctls the kubelet changes, and the host paths the kubelet or CNI create
#     (/var/lib/kubelet, /var/lib/cni, /var/log/pods, /var/log/containers, /run/containerd)
#     when they did not exist before
#   - the kubepods cgroups
# Pods reach the harness's loopback services through forwarders on $NODE_IP (socat), and the
# API server also as https://10.96.0.1 (the `kubernetes` Service, DNAT to its forwarder), so
# in-cluster clients (Argo's executor) work without kube-proxy. They also reach MLflow and MinIO
# by the in-cluster names and ports of the Minikube install (CLUSTER_SERVICES): a DNS server on
# $NODE_IP (dnsmasq, the pods' cluster DNS) answers those names with $NODE_IP, where forwarders
# listen on those ports, so a project made with the template's defaults runs here unchanged.

NODE_NAME=mlstack-node
POD_CIDR="${MLSTACK_POD_CIDR:-10.244.0.0/24}" # a /24; its first address is the node's
NODE_IP="${POD_CIDR%.*/*}.1"
KUBE_SERVICE_IP=10.96.0.1
CNI_BRIDGE=mlstack-cni0
PAUSE_IMAGE=registry.k8s.io/pause:3.10.2
NODE_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward)
NODE_HOST_PATHS=(/var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers /run/containerd /etc/cni /opt/cni)
IPTABLES_TOOL="$MLSTACK_ROOT/scripts/harness/node/iptables_owned.py"
# In-cluster name, port and harness service of what the Minikube install runs in the cluster
# (deploy/minikube/base: the template's default URLs).
CLUSTER_SERVICES=("mlflow.mlflow.svc.cluster.local 5000 mlflow" "minio.minio.svc.cluster.local 9000 s3")

node_dir() { printf '%s/node' "$HARNESS_DIR"; }
node_ctr() { ctr --address "$(node_dir)/containerd/containerd.sock" --namespace k8s.io "$@"; }

# The node's client certificate (system:node:<name>, group system:nodes: the API server's Node
# authorizer and NodeRestriction) and the API server's certificate for calling the kubelet
# (logs, exec).
make_node_pki() {
  local pki="$HARNESS_DIR/pki"
  [ -s "$pki/kubelet-client.crt" ] && [ -s "$pki/apiserver-kubelet-client.crt" ] && return 0
  (
    cd "$pki"
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:nodes/CN=system:node:$NODE_NAME" \
      -keyout kubelet-client.key -out kubelet-client.csr 2>/dev/null
    openssl x509 -req -in kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -out kubelet-client.crt 2>/dev/null
    # No group with rights at the API server: the kubelet (authorization AlwaysAllow) only
    # needs the CA's signature, and the certificate is good for nothing else.
    openssl req -newkey rsa:2048 -nodes -subj "/O=mlstack-harness:kubelet-api/CN=kube-apiserver-kubelet-client" \
      -keyout apiserver-kubelet-client.key -out apiserver-kubelet-client.csr 2>/dev/null
    openssl x509 -req -in apiserver-kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -days 365 -out apiserver-kubelet-client.crt 2>/dev/null
    chmod 600 ./*.key
  ) || die "creating the node's certificates with openssl failed"
}

# kubeconfig FILE [cert key | token] — a kubeconfig for the harness API server on loopback.
node_kubeconfig() {
  local file="$1" ca user
  ca="$(base64 -w0 <"$HARNESS_DIR/pki/ca.crt")"
  if [ $# -eq 3 ]; then
    user="client-certificate: $2
      client-key: $3"
  else
    user="token: $2"
  fi
  (umask 077 && cat >"$file" <<KCFG
apiVersion: v1
kind: Config
current-context: harness
clusters:
  - name: harness
    cluster:
      server: https://127.0.0.1:$(state_get kube.port)
      certificate-authority-data: $ca
users:
  - name: harness
    user:
      $user
contexts:
  - name: harness
    context: { cluster: harness, user: harness }
KCFG
  )
}

# One node per host: the bridge, the pod subnet, the DNAT rule, the kubelet's cgroup root and
# Argo's health port are host-wide. The harness folder that owns them is named here.
NODE_OWNER_FILE=/run/mlstack-node.owner

node_owner() { cat "$NODE_OWNER_FILE" 2>/dev/null || true; }
owns_node() { [ "$(node_owner)" = "$HARNESS_DIR" ]; }

claim_node() {
  local owner
  owner="$(node_owner)"
  if [ -n "$owner" ] && [ "$owner" != "$HARNESS_DIR" ]; then
    if [ -d "$owner/node/host-before" ]; then
      die "a harness node already runs on this host, owned by $owner (one per host: the bridge $CNI_BRIDGE, the pod subnet and the kubelet's cgroups are host-wide); stop it with MLSTACK_HARNESS_DIR=$owner scripts/harness/harness.sh down node"
    fi
    log "taking over the node from $owner, which left no state behind"
  fi
  printf '%s' "$HARNESS_DIR" >"$NODE_OWNER_FILE"
}

# What the host looked like before the node: written to a temporary folder and moved into place
# last, so a half-written record never exists (a missing record means: remove nothing).
record_host_state() {
  local d s p tmp
  d="$(node_dir)"
  [ -s "$d/host-before/complete" ] && return 0
  rm -rf "$d/host-before" "$d/host-before.tmp"
  tmp="$d/host-before.tmp"
  mkdir -p "$tmp"
  for s in "${NODE_SYSCTLS[@]}"; do
    printf '%s=%s\n' "$s" "$(sysctl -n "$s" 2>/dev/null || true)"
  done >"$tmp/sysctl"
  for p in "${NODE_HOST_PATHS[@]}"; do if [ -e "$p" ]; then echo "$p"; fi; done >"$tmp/paths"
  "$IPTABLES_TOOL" snapshot "$tmp/iptables.json" || die "recording the host's iptables chains failed"
  echo complete >"$tmp/complete"
  mv "$tmp" "$d/host-before"
}

# The sysctl values once the kubelet runs: `down` restores a key only while it still has the
# value the node gave it (a value someone else set since is theirs).
record_node_sysctls() {
  local s
  for s in "${NODE_SYSCTLS[@]}"; do
    printf '%s=%s\n' "$s" "$(sysctl -n "$s" 2>/dev/null || true)"
  done >"$(node_dir)/host-before/sysctl-with-node"
}

restore_host_state() {
  local d line key before now with_node p
  d="$(node_dir)"
  [ -s "$d/host-before/complete" ] || return 0
  "$IPTABLES_TOOL" remove-since "$d/host-before/iptables.json" "$POD_CIDR" \
    || log "could not remove every iptables rule the node added (see above)"
  while IFS= read -r line; do
    key="${line%%=*}"
    before="${line#*=}"
    [ -n "$before" ] || continue
    now="$(sysctl -n "$key" 2>/dev/null || true)"
    with_node="$(grep -m1 "^$key=" "$d/host-before/sysctl-with-node" 2>/dev/null | cut -d= -f2- || true)"
    [ "$now" = "$before" ] && continue
    if [ -n "$with_node" ] && [ "$now" != "$with_node" ]; then
      log "leaving $key=$now (changed since the node set it to $with_node)"
      continue
    fi
    sysctl -q -w "$key=$before" >/dev/null 2>&1 || log "could not restore $key=$before"
  done <"$d/host-before/sysctl"
  for p in "${NODE_HOST_PATHS[@]}"; do
    grep -qxF "$p" "$d/host-before/paths" && continue
    case "$p" in
      # The kubelet's and CNI's own trees: nothing else writes there.
      /var/lib/kubelet | /var/lib/cni | /var/log/pods | /var/log/containers) rm -rf "$p" ;;
      # containerd 1.6 puts its shims' sockets in /run/containerd/s whatever its state dir is;
      # anything else there belongs to another containerd and is kept.
      /run/containerd)
        rm -rf /run/containerd/s
        rmdir /run/containerd 2>/dev/null || log "keeping /run/containerd (another containerd uses it)" ;;
      *) rmdir "$p" 2>/dev/null || true ;;
    esac
  done
  rm -rf "$d/host-before"
}

setup_node_network() {
  # The bridge the CNI plugin would create on the first pod, made first so the node has its
  # address before the kubelet registers (the plugin keeps an existing bridge and gateway).
  ip link show "$CNI_BRIDGE" >/dev/null 2>&1 || ip link add "$CNI_BRIDGE" type bridge \
    || die "cannot create the bridge $CNI_BRIDGE (needs root)"
  # (the address list is read whole first: `grep -q` ends early, and under pipefail the
  # writer's SIGPIPE would read as "address missing")
  local addrs
  addrs="$(ip -o addr show dev "$CNI_BRIDGE")"
  [[ "$addrs" == *" $NODE_IP/"* ]] || ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$CNI_BRIDGE" \
    || die "cannot give the bridge $CNI_BRIDGE the node's address $NODE_IP"
  ip link set "$CNI_BRIDGE" up
  sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
  mkdir -p "$(node_dir)/cni/net.d" "$(node_dir)/cni/ipam"
  cat >"$(node_dir)/cni/net.d/10-mlstack.conflist" <<CNI
{
  "cniVersion": "0.4.0",
  "name": "mlstack",
  "plugins": [
    {
      "type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$POD_CIDR" }]],
                "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "$(node_dir)/cni/ipam" }
    }
  ]
}
CNI
}

teardown_node_network() {
  ip link del "$CNI_BRIDGE" 2>/dev/null || true
  rm -f "$NODE_OWNER_FILE"
}

up_containerd() {
  local d logf="$HARNESS_DIR/logs/containerd.log"
  d="$(node_dir)"
  need containerd "Debian package containerd (scripts/bootstrap/debian.sh node)"
  need runc "Debian package runc (scripts/bootstrap/debian.sh node)"
  [ -x /usr/lib/cni/bridge ] || die "the CNI plugins are missing: Debian package containernetworking-plugins (scripts/bootstrap/debian.sh node)"
  is_running containerd && return 0
  mkdir -p "$d/containerd" "$d/runc"
  cat >"$d/containerd/config.toml" <<TOML
version = 2
root = "$d/containerd/root"
state = "$d/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$d/containerd/containerd.sock"
[ttrpc]
  address = "$d/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # The VM drops CAP_SYS_RESOURCE: without this, runc cannot start a CRI container.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$d/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$d/cni/net.d"
TOML
  log "starting containerd (state under $d)"
  spawn containerd "$logf" containerd --config "$d/containerd/config.toml"
  local i
  for i in $(seq 1 60); do
    is_running containerd || fail_start containerd "$logf"
    node_ctr version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail_start containerd "$logf"
}

# import_node_images NAME... — build (once; images.sh keeps them by their inputs) and import.
import_node_images() {
  local images="$MLSTACK_TOOLS/node-images" name
  bash "$MLSTACK_ROOT/scripts/harness/node/images.sh" "$@" || die "building the node's images ($*) failed"
  for name in "$@"; do
    node_ctr images import "$images/$name.tar" >>"$HARNESS_DIR/logs/containerd.log" 2>&1 \
      || die "importing $images/$name.tar into the node's containerd failed (see $HARNESS_DIR/logs/containerd.log)"
  done
}

# forward NAME PORT — pods reach the loopback service on 127.0.0.1:PORT at $NODE_IP:PORT.
# forward_to_pods NAME PORT [TARGET] — pods connect to $NODE_IP:PORT, reaching 127.0.0.1:TARGET
# (default PORT).
forward_to_pods() {
  local name="fwd-$1" port="$2" target="${3:-$2}"
  if is_running "$name"; then
    [ "$(state_get "$name.port")" = "$port:$target" ] && return 0
    stop_one "$name" # the service restarted on another port
  fi
  need socat "Debian package socat (scripts/bootstrap/debian.sh node)"
  # Only pods may connect (range): the node's address is reachable from the host's other
  # interfaces too.
  spawn "$name" "$HARNESS_DIR/logs/forwarders.log" socat \
    "TCP-LISTEN:$port,bind=$NODE_IP,fork,reuseaddr,range=$POD_CIDR" "TCP:127.0.0.1:$target"
  # socat exits at once when it cannot listen (another server on the host holds the port on
  # all addresses): pods would reach that server instead.
  sleep 0.3
  is_running "$name" || die "pods cannot reach 127.0.0.1:$target at $NODE_IP:$port: socat could not listen there (is another server using port $port? $HARNESS_DIR/logs/forwarders.log)"
  state_set "$name.port" "$port:$target"
}

# The in-cluster names of CLUSTER_SERVICES, for the services that run: each name's port on
# $NODE_IP forwards to the service's loopback port (unless that is the same port, already
# forwarded by expose_harness_services).
forward_cluster_services() {
  local entry host port service target
  for entry in "${CLUSTER_SERVICES[@]}"; do
    read -r host port service <<<"$entry"
    case "$service" in mlflow) is_running mlflow || continue ;; s3) is_running minio || continue ;; esac
    target="$(state_get "$service.port")"
    [ "$target" = "$port" ] || forward_to_pods "$service-cluster-name" "$port" "$target"
  done
}

# The pods' cluster DNS: CLUSTER_SERVICES' names answer $NODE_IP, any other name under
# cluster.local does not exist, the rest goes to the host's resolvers.
up_cluster_dns() {
  is_running cluster-dns && return 0
  need dnsmasq "Debian package dnsmasq-base (scripts/bootstrap/debian.sh node)"
  local args=() entry host port service
  for entry in "${CLUSTER_SERVICES[@]}"; do
    read -r host port service <<<"$entry"
    args+=("--address=/$host/$NODE_IP")
  done
  spawn cluster-dns "$HARNESS_DIR/logs/cluster-dns.log" dnsmasq --keep-in-foreground --log-facility=- \
    --conf-file=/dev/null --no-hosts --pid-file="$(node_dir)/dnsmasq.pid" \
    --listen-address="$NODE_IP" --bind-interfaces --port=53 --local=/cluster.local/ "${args[@]}"
  local i
  for i in $(seq 1 50); do
    [ "$(dig_a "${CLUSTER_SERVICES[0]%% *}")" = "$NODE_IP" ] && return 0
    is_running cluster-dns || break
    sleep 0.2
  done
  fail_start cluster-dns "$HARNESS_DIR/logs/cluster-dns.log"
}

# The cluster DNS's A record for NAME (Python's stdlib has no resolver that takes a server).
dig_a() {
  python3 - "$1" "$NODE_IP" <<'PY' 2>/dev/null
import socket, struct, sys
name, server = sys.argv[1], sys.argv[2]
q = struct.pack(">HHHHHH", 0x4d4c, 0x0100, 1, 0, 0, 0) + b"".join(
    bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(q, (server, 53))
r = s.recv(512)
if struct.unpack(">H", r[6:8])[0] > 0:
    print(".".join(str(b) for b in r[-4:]))
PY
}

up_kubelet() {
  local d logf="$HARNESS_DIR/logs/kubelet.log"
  d="$(node_dir)"
  require_bin "$BIN/kubelet" kubelet "scripts/bootstrap/go-binaries.sh node"
  is_running kubelet && return 0
  make_node_pki
  mkdir -p "$d/kubelet" "$d/pod-logs"
  node_kubeconfig "$d/kubelet/kubeconfig" "$HARNESS_DIR/pki/kubelet-client.crt" "$HARNESS_DIR/pki/kubelet-client.key"
  # The host's resolvers, for pods with dnsPolicy Default (ClusterFirst pods get the cluster
  # DNS, $NODE_IP, which forwards other names to the host's resolvers), without loopback ones,
  # which a pod cannot reach.
  grep -E '^nameserver ' /etc/resolv.conf | grep -vE ' (127\.|::1)' >"$d/kubelet/resolv.conf" || true
  cat >"$d/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podCIDR: $POD_CIDR
resolvConf: $d/kubelet/resolv.conf
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
podLogsDir: $d/pod-logs
readOnlyPort: 0
port: $(state_get node.kubelet-port)
healthzPort: $(state_get node.kubelet-healthz-port)
healthzBindAddress: 127.0.0.1
address: $NODE_IP
containerRuntimeEndpoint: unix://$d/containerd/containerd.sock
staticPodPath: ""
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: false }
  x509: { clientCAFile: $HARNESS_DIR/pki/ca.crt }
authorization: { mode: AlwaysAllow }
evictionHard: { memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%" }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
registerNode: true
YAML
  log "starting the kubelet ($NODE_NAME at $NODE_IP, pods in $POD_CIDR)"
  spawn kubelet "$logf" "$BIN/kubelet" --config "$d/kubelet/config.yaml" \
    --kubeconfig "$d/kubelet/kubeconfig" --root-dir "$d/kubelet/root" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --cert-dir "$d/kubelet/pki" --v 1
}

up_control_plane_loops() {
  local d
  d="$(node_dir)"
  require_bin "$BIN/kube-controller-manager" kube-controller-manager "scripts/bootstrap/go-binaries.sh node"
  require_bin "$BIN/kube-scheduler" kube-scheduler "scripts/bootstrap/go-binaries.sh node"
  node_kubeconfig "$d/admin.kubeconfig" "$(state_get kube.admin-token)"
  if ! is_running kube-controller-manager; then
    log "starting kube-controller-manager"
    spawn kube-controller-manager "$HARNESS_DIR/logs/kube-controller-manager.log" "$BIN/kube-controller-manager" \
      --kubeconfig "$d/admin.kubeconfig" --bind-address 127.0.0.1 --secure-port "$(free_port)" \
      --service-account-private-key-file "$HARNESS_DIR/pki/sa.key" --root-ca-file "$HARNESS_DIR/pki/ca.crt" \
      --use-service-account-credentials=false --leader-elect=false \
      --controllers '*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle' --v 1
  fi
  if ! is_running kube-scheduler; then
    log "starting kube-scheduler"
    spawn kube-scheduler "$HARNESS_DIR/logs/kube-scheduler.log" "$BIN/kube-scheduler" \
      --kubeconfig "$d/admin.kubeconfig" --bind-address 127.0.0.1 --secure-port "$(free_port)" \
      --leader-elect=false --v 1
  fi
}

up_node() {
  [ "$(id -u)" -eq 0 ] || die "the node needs root (containerd, network namespaces, cgroups); run the harness as root"
  is_running kube-apiserver || die "the node joins the harness API server: start it with \`harness.sh up kube node\`"
  [ "$(state_get kube.mode)" = node ] || die "the API server was started without the node's settings (Node authorizer, ServiceAccount admission, kubelet client certificate); restart it: harness.sh down kube && harness.sh up kube node"
  # (a node started before the cluster DNS existed, or whose DNS server died, gets it back)
  if is_running kubelet && is_running containerd; then up_cluster_dns; return 0; fi
  claim_node
  record_host_state
  [ -s "$HARNESS_DIR/run/node.kubelet-port" ] || state_set node.kubelet-port "$(free_port)"
  [ -s "$HARNESS_DIR/run/node.kubelet-healthz-port" ] || state_set node.kubelet-healthz-port "$(free_port)"
  setup_node_network
  up_containerd
  import_node_images pause debian
  forward_to_pods kube "$(state_get kube.port)"
  up_cluster_dns
  "$IPTABLES_TOOL" ensure-pod-rules "$CNI_BRIDGE" "$KUBE_SERVICE_IP" 443 "$NODE_IP" "$(state_get kube.port)" \
    || die "adding the pods' iptables rules (the kubernetes Service's DNAT, no metadata service) failed"
  up_control_plane_loops
  # A Node object left from an earlier kubelet would read Ready before this one registers.
  is_running kubelet || "$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig" delete node "$NODE_NAME" --ignore-not-found >/dev/null 2>&1 || true
  up_kubelet
  local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig") i
  for i in $(seq 1 120); do
    is_running kubelet || fail_start kubelet "$HARNESS_DIR/logs/kubelet.log"
    if "${kc[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
      log "node $NODE_NAME is Ready"
      record_node_sysctls
      return 0
    fi
    sleep 1
  done
  fail_start kubelet "$HARNESS_DIR/logs/kubelet.log"
}

# Pods first (so CNI tears their networks down), then the node's processes, mounts, network
# and rules, then the host's sysctls and paths as they were.
stop_node() {
  local d kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig") i m
  d="$(node_dir)"
  # Only the folder that runs the node tears down what is host-wide.
  if ! owns_node && ! is_running kubelet && ! is_running containerd; then return 0; fi
  # The controllers first, so that nothing recreates the pods deleted below.
  stop_one kube-scheduler
  stop_one kube-controller-manager
  if is_running kubelet && is_running kube-apiserver; then
    "${kc[@]}" delete pods --all --all-namespaces --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
    # The kubelet stops each pod's containers, then its sandbox (CNI tears its network down).
    for i in $(seq 1 60); do
      [[ "$(node_ctr tasks ls 2>/dev/null)" == *RUNNING* ]] || break
      sleep 1
    done
    "${kc[@]}" delete node "$NODE_NAME" --wait=false >/dev/null 2>&1 || true
  fi
  stop_one kubelet
  local f
  for f in "$HARNESS_DIR"/run/fwd-*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
  stop_one cluster-dns
  # Containers the kubelet did not stop: kill their shims (they outlive containerd by design).
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $d/containerd/containerd.sock" 2>/dev/null || true
  stop_one containerd
  # Mounts under the node's directories (overlay rootfs, shm, netns, secret/configMap volumes).
  for i in 1 2 3; do
    mapfile -t m < <(awk -v p="$d/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r)
    [ ${#m[@]} -eq 0 ] && break
    for f in "${m[@]}"; do umount "$f" 2>/dev/null || umount -l "$f" 2>/dev/null || true; done
  done
  teardown_node_network
  restore_host_state
  # The kubelet's cgroups (cgroupfs driver, cgroup v1: one kubepods tree per controller): a
  # container process its shim left behind is killed first (runc sets no parent-death signal).
  local procs
  for f in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$f" ] || continue
    procs="$(find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)"
    [ -z "$procs" ] || kill -KILL $procs 2>/dev/null || true
    sleep 0.2
    find "$f" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  rm -rf "$d/containerd/state" "$d/runc" "$d/kubelet/root" "$d/pod-logs" "$d/cni/ipam"
  rm -f "$HARNESS_DIR/run/node.kubelet-port" "$HARNESS_DIR/run/node.kubelet-healthz-port"
}

node_status() {
  is_running kubelet && echo "node    $NODE_NAME at $NODE_IP (containerd, kubelet, controller-manager, scheduler); pods in $POD_CIDR"
  return 0
}
