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
# in-cluster clients (Argo's executor) work without kube-proxy.

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

node_dir() { printf '%s/node' "$HARNESS_DIR"; }
node_ctr() { ctr --address "$(node_dir)/containerd/containerd.sock" --namespace k8s.io "$@"; }

# The node's client certificate (system:node:<name>, group system:nodes: the API server's Node
# authorizer) and the API server's certificate for calling the kubelet (logs, exec).
make_node_pki() {
  local pki="$HARNESS_DIR/pki"
  [ -s "$pki/kubelet-client.crt" ] && [ -s "$pki/apiserver-kubelet-client.crt" ] && return 0
  (
    cd "$pki"
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:nodes/CN=system:node:$NODE_NAME" \
      -keyout kubelet-client.key -out kubelet-client.csr 2>/dev/null
    openssl x509 -req -in kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -out kubelet-client.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" \
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

record_host_state() {
  local d s p
  d="$(node_dir)"
  [ -s "$d/host-before/sysctl" ] && return 0
  mkdir -p "$d/host-before"
  for s in "${NODE_SYSCTLS[@]}"; do
    printf '%s=%s\n' "$s" "$(sysctl -n "$s" 2>/dev/null)"
  done >"$d/host-before/sysctl"
  for p in "${NODE_HOST_PATHS[@]}"; do [ -e "$p" ] && echo "$p"; done >"$d/host-before/paths" || true
  "$IPTABLES_TOOL" snapshot "$d/host-before/iptables.json" || die "recording the host's iptables chains failed"
}

restore_host_state() {
  local d line p
  d="$(node_dir)"
  [ -s "$d/host-before/sysctl" ] || return 0
  "$IPTABLES_TOOL" remove-since "$d/host-before/iptables.json" || log "could not remove every iptables rule the node added (see above)"
  while IFS= read -r line; do
    [ -n "${line#*=}" ] && sysctl -q -w "$line" >/dev/null 2>&1
  done <"$d/host-before/sysctl"
  for p in "${NODE_HOST_PATHS[@]}"; do
    grep -qxF "$p" "$d/host-before/paths" 2>/dev/null || rm -rf "$p"
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
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
CNI
}

teardown_node_network() {
  ip link del "$CNI_BRIDGE" 2>/dev/null || true
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
forward_to_pods() {
  local name="fwd-$1" port="$2"
  is_running "$name" && return 0
  need socat "Debian package socat (scripts/bootstrap/debian.sh node)"
  spawn "$name" "$HARNESS_DIR/logs/forwarders.log" socat \
    "TCP-LISTEN:$port,bind=$NODE_IP,fork,reuseaddr" "TCP:127.0.0.1:$port"
}

up_kubelet() {
  local d logf="$HARNESS_DIR/logs/kubelet.log"
  d="$(node_dir)"
  require_bin "$BIN/kubelet" kubelet "scripts/bootstrap/go-binaries.sh node"
  is_running kubelet && return 0
  make_node_pki
  mkdir -p "$d/kubelet" "$d/pod-logs"
  node_kubeconfig "$d/kubelet/kubeconfig" "$HARNESS_DIR/pki/kubelet-client.crt" "$HARNESS_DIR/pki/kubelet-client.key"
  # Pods resolve nothing in-cluster (no cluster DNS); they get the host's resolvers unless
  # those are loopback ones, which a pod cannot reach.
  grep -E '^nameserver ' /etc/resolv.conf | grep -vE ' (127\.|::1)' >"$d/kubelet/resolv.conf" || true
  cat >"$d/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
podCIDR: $POD_CIDR
resolvConf: $d/kubelet/resolv.conf
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
  if is_running kubelet && is_running containerd; then return 0; fi
  record_host_state
  [ -s "$HARNESS_DIR/run/node.kubelet-port" ] || state_set node.kubelet-port "$(free_port)"
  [ -s "$HARNESS_DIR/run/node.kubelet-healthz-port" ] || state_set node.kubelet-healthz-port "$(free_port)"
  setup_node_network
  up_containerd
  import_node_images pause debian
  forward_to_pods kube "$(state_get kube.port)"
  "$IPTABLES_TOOL" ensure-service-dnat "$KUBE_SERVICE_IP" 443 "$NODE_IP" "$(state_get kube.port)" \
    || die "adding the DNAT rule for the kubernetes Service failed"
  up_control_plane_loops
  up_kubelet
  local kc=("$BIN/kubectl" --kubeconfig "$HARNESS_DIR/kubeconfig") i
  for i in $(seq 1 120); do
    is_running kubelet || fail_start kubelet "$HARNESS_DIR/logs/kubelet.log"
    if "${kc[@]}" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
      log "node $NODE_NAME is Ready"
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
  stop_one kube-scheduler
  stop_one kube-controller-manager
  local f
  for f in "$HARNESS_DIR"/run/fwd-*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
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
  # The kubelet's cgroups (cgroupfs driver, cgroup v1: one kubepods tree per controller).
  for f in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$f" ] && find "$f" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "$d/containerd/state" "$d/runc" "$d/kubelet/root" "$d/pod-logs" "$d/cni/ipam"
  rm -f "$HARNESS_DIR/run/node.kubelet-port" "$HARNESS_DIR/run/node.kubelet-healthz-port"
}

node_status() {
  is_running kubelet && echo "node    $NODE_NAME at $NODE_IP (containerd, kubelet, controller-manager, scheduler); pods in $POD_CIDR"
  return 0
}
