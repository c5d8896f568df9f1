#!/usr/bin/env bash
# The harness's real node, end to end, in a harness directory of its own:
#   1. `harness.sh up kube node`: the node registers and goes Ready
#   2. a pod scheduled by kube-scheduler (no nodeName) runs the locally built Debian image to
#      Succeeded; `kubectl logs` returns what it printed (the API server reaches the kubelet);
#      from inside it reaches the API server as the `kubernetes` Service and authenticates with
#      its ServiceAccount token (kube-controller-manager made the ServiceAccount, the kubelet
#      mounted the token), and reaches a service on the host's loopback through a forwarder
#   3. a pod whose command fails is Failed with its exit code and its output in the logs
#   4. Argo (`harness.sh up argo`): a WorkflowTemplate's two-step DAG runs in real pods, the
#      second step gets the first's output parameter; a failing step fails the workflow with
#      its exit code and its logs
#   5. the portal (packages/backend/src/realRun.node.test.ts): the real backend submits the run as
#      a signed-in owner, and its routes show it Succeeded with every node and the real logs;
#      a failing step Failed with its exit code and logs
#   6. KServe (`harness.sh up s3 kserve`): a scikit-learn model trained in a pod is put in MinIO;
#      an InferenceService for it (Standard mode) becomes a Deployment and a Service, its pod
#      mutator webhook adds the storage initializer (locally built, model-servers.sh), which
#      downloads the model from MinIO with the ServiceAccount's S3 credentials; the
#      scikit-learn server loads it, the InferenceService goes Ready (Loaded, UpToDate, a URL),
#      and V1 and V2 inference requests to the predictor return the right classes; an MLflow
#      model (modelFormat mlflow, as the template's pytorch projects deploy) is served the same
#      way by MLServer's MLflow runtime (kserve-mlserver, built here) and answers V2; the
#      validating webhook refuses an invalid spec
#   7. `harness.sh down`: no process, mount, network interface, iptables chain or rule, host
#      path or sysctl change is left behind (each compared with a snapshot taken before `up`)
# Needs root (containerd, network namespaces, cgroups). Prints each step's time.
source "$(dirname "$0")/../../lib.sh"
cd "$MLSTACK_ROOT"
[ "$(id -u)" -eq 0 ] || die "the node test needs root"

dir="$(mktemp -d /tmp/mlstack-node-test.XXXXXX)"
export MLSTACK_HARNESS_DIR="$dir/harness"
harness=(bash scripts/harness/harness.sh)
kc=("$MLSTACK_TOOLS/bin/kubectl" --kubeconfig "$MLSTACK_HARNESS_DIR/kubeconfig")
start_ts=$(date +%s)
step() { log "node test: $1 ($(($(date +%s) - start_ts)) s)"; }
fail() { echo "NODE TEST FAILED: $*" >&2; exit 1; }
cleanup() {
  local rc=$?
  "${harness[@]}" down >/dev/null 2>&1 || true
  [ "$rc" -eq 0 ] || tail -n 30 "$MLSTACK_HARNESS_DIR/logs/kubelet.log" 2>/dev/null >&2 || true
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT

# What the host looks like before: compared again after `down`.
snapshot() (
  set +e +o pipefail # an empty grep is an answer here
  {
    echo "## links"; ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
    echo "## addresses"; ip -o addr show | awk '{print $2, $4}' | sort
    echo "## mounts"; awk '{print $2}' /proc/mounts | sort
    echo "## iptables"; { iptables-save 2>/dev/null; ip6tables-save 2>/dev/null; } | grep -E '^(\*|:|-A)' | sed 's/\[[0-9:]*\]//' | sort
    echo "## sysctls"; sysctl vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops net.ipv4.ip_forward kernel.keys.root_maxkeys kernel.keys.root_maxbytes 2>/dev/null
    echo "## paths"; for p in /var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers /run/containerd /etc/cni /opt/cni; do [ -e "$p" ] && echo "$p"; done
    # This test's processes (their arguments name its folder) and the pods' forwarders: another
    # harness running meanwhile (a developer's, a test's) is not this one's leftover.
    echo "## processes"; ps -eo args= | grep -E "$dir|socat .*bind=10\.244\.0\.1" | grep -v grep | sort
    echo "## cgroups"; ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null
    echo "## processes in pod cgroups"; ps -e --no-headers -o cgroup,args | grep kubepods | grep -v grep
    echo "## node owner"; cat /run/mlstack-node.owner 2>/dev/null
  } >"$1"
  exit 0
)
snapshot "$dir/before"

step "up kube node"
"${harness[@]}" up kube node >"$dir/up.log" 2>&1 || { cat "$dir/up.log" >&2; fail "harness.sh up kube node failed"; }
node_ip="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["node"]["ip"])' "$MLSTACK_HARNESS_DIR/harness.json")"
[ "$("${kc[@]}" get node mlstack-node -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
  || fail "the node is not Ready"
[ "$("${kc[@]}" get node mlstack-node -o jsonpath='{.status.nodeInfo.kubeletVersion}')" = "$(cat "$MLSTACK_TOOLS/bin/.kubelet.version")" ] \
  || fail "the node does not report the kubelet's release"

step "a pod that reaches the API server and a host service"
# A host service on loopback that pods can reach only through the harness's forwarder.
port="$(free_port)"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
http_pid=$!
echo "node test $port" >"$dir/probe.txt"
"${harness[@]}" expose probe "$port" >/dev/null || fail "harness.sh expose failed"
"${kc[@]}" create namespace node-test >/dev/null
for i in $(seq 1 30); do "${kc[@]}" -n node-test get serviceaccount default >/dev/null 2>&1 && break; sleep 1; done
cat <<YAML | "${kc[@]}" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: { name: probe, namespace: node-test }
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: mlstack.local/debian:bookworm
      imagePullPolicy: IfNotPresent
      resources: { limits: { memory: 64Mi, cpu: 200m } }
      command: [bash, -c]
      args:
        - |
          set -e
          echo "debian \$(cat /etc/debian_version) on \$(hostname)"
          sa=/var/run/secrets/kubernetes.io/serviceaccount
          code="\$(curl -sS -o /dev/null -w '%{http_code}' --cacert \$sa/ca.crt \\
            -H "Authorization: Bearer \$(cat \$sa/token)" \\
            "https://\$KUBERNETES_SERVICE_HOST:\$KUBERNETES_SERVICE_PORT/api/v1/namespaces/node-test/pods/probe")"
          echo "api server at \$KUBERNETES_SERVICE_HOST:\$KUBERNETES_SERVICE_PORT answered \$code to the mounted token"
          code="\$(curl -sS -o /dev/null -w '%{http_code}' --cacert \$sa/ca.crt \\
            -H "Authorization: Bearer \$(cat \$sa/token)" \\
            "https://\$KUBERNETES_SERVICE_HOST:\$KUBERNETES_SERVICE_PORT/api/v1/namespaces/kube-system/secrets")"
          echo "listing kube-system secrets with it: \$code"
          exec 4<>/dev/tcp/$node_ip/$port
          printf 'GET /probe.txt HTTP/1.0\r\n\r\n' >&4
          echo "host service says: \$(tail -n 1 <&4)"
          echo "cluster DNS: minio.minio.svc.cluster.local is \$(getent hosts minio.minio.svc.cluster.local | cut -d' ' -f1)"
          getent hosts nothing-here.svc.cluster.local || echo "cluster DNS: nothing-here.svc.cluster.local does not exist"
YAML
phase=""
for i in $(seq 1 90); do
  phase="$("${kc[@]}" -n node-test get pod probe -o jsonpath='{.status.phase}')"
  [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
  sleep 1
done
logs="$("${kc[@]}" -n node-test logs probe)"
echo "$logs" | sed 's/^/  pod: /'
[ "$phase" = Succeeded ] || fail "the probe pod ended $phase"
# TLS verified against the mounted CA (the API server's certificate names 10.96.0.1), the
# mounted token authenticated: 403 for reading its own pod (no RBAC grants the default
# ServiceAccount anything; a 401 would be a token refused), and 403 for secrets.
grep -q "api server at 10.96.0.1:443 answered 403 to the mounted token" <<<"$logs" \
  || fail "the pod did not authenticate at the API server with its mounted ServiceAccount token over verified TLS"
grep -q "listing kube-system secrets with it: 403" <<<"$logs" || fail "the pod's token was not refused what RBAC does not grant"
echo "$logs" | grep -q "host service says: node test $port" || fail "the pod did not reach the host service through the forwarder"
grep -qx "cluster DNS: minio.minio.svc.cluster.local is $node_ip" <<<"$logs" \
  || fail "the cluster DNS did not answer MinIO's in-cluster name with the node's address"
grep -qx "cluster DNS: nothing-here.svc.cluster.local does not exist" <<<"$logs" \
  || fail "the cluster DNS answered a cluster.local name it does not know"
# A ServiceAccount token is accepted at the address pods use for the API server (the forwarder).
token="$("${kc[@]}" -n node-test create token default --duration 10m)"
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$MLSTACK_HARNESS_DIR/pki/ca.crt" -H "Authorization: Bearer $token" \
  "https://$node_ip:$("${kc[@]}" config view -o jsonpath='{.clusters[0].cluster.server}' | sed 's/.*://')/api")" = 200 ] \
  || fail "a ServiceAccount token is not accepted through the pods' address of the API server"
kill "$http_pid" 2>/dev/null || true

step "a failing pod"
cat <<'YAML' | "${kc[@]}" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: { name: fails, namespace: node-test }
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: mlstack.local/debian:bookworm
      imagePullPolicy: IfNotPresent
      command: [bash, -c, 'echo "training data not found" >&2; exit 3']
YAML
for i in $(seq 1 60); do
  phase="$("${kc[@]}" -n node-test get pod fails -o jsonpath='{.status.phase}')"
  [ "$phase" = Failed ] && break
  sleep 1
done
[ "$phase" = Failed ] || fail "the failing pod ended ${phase:-nowhere}"
[ "$("${kc[@]}" -n node-test get pod fails -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')" = 3 ] \
  || fail "the failing pod's exit code is not 3"
grep -q "training data not found" <<<"$("${kc[@]}" -n node-test logs fails)" || fail "the failing pod's logs are missing"

step "Argo: a two-step workflow passes a value from one pod to the next; a failing step fails the workflow"
"${harness[@]}" up argo >"$dir/argo.log" 2>&1 || { cat "$dir/argo.log" >&2; fail "harness.sh up argo failed"; }
"${kc[@]}" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata: { name: runner, namespace: node-test }
---
# Upstream's executor minimum: report step results.
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: executor, namespace: node-test }
rules:
  - { apiGroups: [argoproj.io], resources: [workflowtaskresults], verbs: [create, patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: executor, namespace: node-test }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: executor }
subjects: [{ kind: ServiceAccount, name: runner, namespace: node-test }]
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: { name: relay, namespace: node-test }
spec:
  serviceAccountName: runner
  entrypoint: main
  arguments: { parameters: [{ name: fail, value: "no" }] }
  templates:
    - name: main
      dag:
        tasks:
          - { name: produce, template: produce }
          - name: consume
            template: consume
            dependencies: [produce]
            arguments: { parameters: [{ name: value, value: "{{tasks.produce.outputs.parameters.value}}" }] }
    - name: produce
      container:
        image: mlstack.local/debian:bookworm
        imagePullPolicy: IfNotPresent
        command: [bash, -c, 'echo "producing on $(hostname)"; echo -n 42 >/tmp/value']
      outputs: { parameters: [{ name: value, valueFrom: { path: /tmp/value } }] }
    - name: consume
      inputs: { parameters: [{ name: value }] }
      container:
        image: mlstack.local/debian:bookworm
        imagePullPolicy: IfNotPresent
        command: [bash, -c, 'echo "consumed {{inputs.parameters.value}}"; if [ "{{workflow.parameters.fail}}" = yes ]; then echo "model quality below threshold" >&2; exit 3; fi']
YAML
submit() {
  "${kc[@]}" create -o jsonpath='{.metadata.name}' -f - <<YAML
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: { generateName: relay-, namespace: node-test }
spec:
  workflowTemplateRef: { name: relay }
  arguments: { parameters: [{ name: fail, value: "$1" }] }
YAML
}
wait_workflow() {
  local phase="" i
  for i in $(seq 1 180); do
    phase="$("${kc[@]}" -n node-test get workflow "$1" -o jsonpath='{.status.phase}')"
    case "$phase" in Succeeded | Failed | Error) break ;; esac
    sleep 1
  done
  printf '%s' "$phase"
}
ok_wf="$(submit no)"
bad_wf="$(submit yes)"
[ "$(wait_workflow "$ok_wf")" = Succeeded ] || { "${kc[@]}" -n node-test get workflow "$ok_wf" -o yaml >&2; fail "workflow $ok_wf did not succeed"; }
consume_pod="$("${kc[@]}" -n node-test get pods -l "workflows.argoproj.io/workflow=$ok_wf" -o name | grep consume)"
grep -qx "consumed 42" <<<"$("${kc[@]}" -n node-test logs "$consume_pod" -c main)" || fail "the consume step did not log the value the produce step output"
[ "$(wait_workflow "$bad_wf")" = Failed ] || fail "workflow $bad_wf did not fail"
message="$("${kc[@]}" -n node-test get workflow "$bad_wf" -o jsonpath='{.status.nodes.*.message}')"
echo "  failed workflow's node messages: $message"
echo "$message" | grep -q "exit code 3" || fail "the failed step's message does not give its exit code"
bad_pod="$("${kc[@]}" -n node-test get pods -l "workflows.argoproj.io/workflow=$bad_wf" -o name | grep consume)"
grep -q "model quality below threshold" <<<"$("${kc[@]}" -n node-test logs "$bad_pod" -c main)" || fail "the failed step's logs are missing"

step "the portal: a real run submitted, watched and its logs read through the backend's routes"
(
  set -a; source "$MLSTACK_HARNESS_DIR/harness.env"; set +a
  use_project_node
  cd packages/backend
  CI=true yarn backstage-cli package test --testPathIgnorePatterns /node_modules/ --testMatch '**/*.node.test.ts' \
    --json --outputFile "$dir/real-run.json"
) || fail "the portal's real-run test failed (packages/backend/src/realRun.node.test.ts)"
# backstage-cli passes --passWithNoTests: a renamed file would pass with nothing run.
passed="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["numPassedTests"], r["numTotalTests"])' "$dir/real-run.json")"
[ "$passed" = "2 2" ] || fail "the portal's real-run test ran $passed (passed, total) tests, expected 2 2"

step "KServe: a scikit-learn model in MinIO is served by the real controller and answers V1 and V2 predictions, an MLflow model by MLServer; its webhooks inject the storage initializer and refuse an invalid spec"
"${harness[@]}" up s3 kserve >"$dir/kserve.log" 2>&1 || { cat "$dir/kserve.log" >&2; fail "harness.sh up s3 kserve failed"; }
state_value() { # KEY.PATH — a value of this harness's state file
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$MLSTACK_HARNESS_DIR/harness.json" "$1"
}
# serve_test_pod_phase POD SECONDS — waits until the pod ends (Succeeded or Failed); prints its phase
serve_test_pod_phase() {
  local phase="" i
  for i in $(seq 1 "$2"); do
    phase="$("${kc[@]}" -n serve-test get pod "$1" -o jsonpath='{.status.phase}')"
    [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
    sleep 1
  done
  echo "$phase"
}
# serve_test_predictor NAME — waits until the InferenceService NAME is Ready (or shows why not and
# fails); prints its predictor pod's name
serve_test_predictor() {
  if ! "${kc[@]}" -n serve-test wait --for condition=Ready --timeout=300s "inferenceservice/$1" >"$dir/isvc-$1-wait.log" 2>&1; then
    "${kc[@]}" -n serve-test get inferenceservice "$1" -o yaml >&2 || true
    "${kc[@]}" -n serve-test describe pods -l "serving.kserve.io/inferenceservice=$1" >&2 || true
    "${kc[@]}" -n serve-test logs -l "serving.kserve.io/inferenceservice=$1" --all-containers --tail 40 >&2 || true
    fail "the InferenceService $1 did not become Ready"
  fi
  "${kc[@]}" -n serve-test get pods -l "serving.kserve.io/inferenceservice=$1" -o jsonpath='{.items[0].metadata.name}'
}
# v2_predicts_iris POD_IP MODEL WHAT — a V2 request for a versicolor and a setosa flower to the
# model server at POD_IP must answer MODEL's classes 1 and 0
v2_predicts_iris() {
  local v2
  v2="$(curl -sS --max-time 10 -H 'content-type: application/json' "http://$1:8080/v2/models/$2/infer" \
    -d '{"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","data":[[6.8,2.8,4.8,1.4],[5.1,3.5,1.4,0.2]]}]}')" \
    || fail "the V2 inference request to $3 failed"
  echo "  V2 infer ($3): $v2"
  python3 - "$v2" "$2" <<'PY' || fail "$3's V2 answer does not predict versicolor (1) and setosa (0)"
import json, sys
answer = json.loads(sys.argv[1])
assert answer["model_name"] == sys.argv[2], answer
assert answer["outputs"][0]["data"] == [1, 0], answer
PY
}
"${kc[@]}" create namespace serve-test >/dev/null
for i in $(seq 1 30); do "${kc[@]}" -n serve-test get serviceaccount default >/dev/null 2>&1 && break; sleep 1; done
# What a platform team gives a project's predictors (deploy/minikube does the same): a Secret
# with the S3 credentials and KServe's endpoint annotations, listed by their ServiceAccount.
# (Credentials on stdin, not in arguments other processes can read.)
"${kc[@]}" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: s3-credentials
  namespace: serve-test
  annotations:
    serving.kserve.io/s3-endpoint: "minio.minio.svc.cluster.local:9000"
    serving.kserve.io/s3-usehttps: "0"
    serving.kserve.io/s3-region: us-east-1
stringData:
  AWS_ACCESS_KEY_ID: "$(state_value s3.accessKeyId)"
  AWS_SECRET_ACCESS_KEY: "$(state_value s3.secretAccessKey)"
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: kserve-s3, namespace: serve-test }
secrets: [{ name: s3-credentials }]
---
# The model: trained in a pod of the scikit-learn server's own image (its scikit-learn loads it)
# and put in MinIO through the pods' forwarder.
apiVersion: v1
kind: Pod
metadata: { name: train, namespace: serve-test }
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: kserve/sklearnserver:v0.20.0
      imagePullPolicy: IfNotPresent
      envFrom: [{ secretRef: { name: s3-credentials } }]
      env: [{ name: S3_ENDPOINT, value: "http://minio.minio.svc.cluster.local:9000" }]
      command: [python, -c]
      args:
        - |
          import io, os, boto3, joblib, sklearn
          from sklearn.datasets import load_iris
          from sklearn.linear_model import LogisticRegression
          X, y = load_iris(return_X_y=True)
          model = LogisticRegression(max_iter=500).fit(X, y)
          buf = io.BytesIO(); joblib.dump(model, buf)
          boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1").put_object(
              Bucket="mlflow-artifacts", Key="node-test/iris/model.joblib", Body=buf.getvalue())
          print(f"trained with scikit-learn {sklearn.__version__}, accuracy {model.score(X, y):.2f}, uploaded {len(buf.getvalue())} bytes")
YAML
phase="$(serve_test_pod_phase train 120)"
"${kc[@]}" -n serve-test logs train | sed 's/^/  train: /'
[ "$phase" = Succeeded ] || fail "the training pod ended '$phase'"
"${kc[@]}" apply -f - >/dev/null <<'YAML'
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: iris, namespace: serve-test }
spec:
  predictor:
    serviceAccountName: kserve-s3
    model:
      modelFormat: { name: sklearn }
      # As the template's: by format alone KServe would pick kserve-mlserver (priority 2).
      runtime: kserve-sklearnserver
      protocolVersion: v2
      storageUri: s3://mlflow-artifacts/node-test/iris
      resources: { requests: { cpu: 100m, memory: 256Mi }, limits: { cpu: "1", memory: 1Gi } }
YAML
pod="$(serve_test_predictor iris)"
init_image="$("${kc[@]}" -n serve-test get pod "$pod" -o jsonpath='{.spec.initContainers[*].image}')"
[ "$init_image" = kserve/storage-initializer:v0.20.0 ] || fail "the predictor pod has no storage initializer (pod mutator webhook): '$init_image'"
"${kc[@]}" -n serve-test get deployment iris-predictor >/dev/null || fail "KServe made no Deployment iris-predictor"
"${kc[@]}" -n serve-test get service iris-predictor >/dev/null || fail "KServe made no Service iris-predictor"
state="$("${kc[@]}" -n serve-test get inferenceservice iris -o jsonpath='{.status.modelStatus.states.activeModelState} {.status.modelStatus.transitionStatus} {.status.url}')"
echo "  InferenceService iris: $state"
[[ "$state" == "Loaded UpToDate http://"* ]] || fail "the InferenceService's model status is '$state', expected Loaded UpToDate and a URL"
"${kc[@]}" -n serve-test logs "$pod" -c storage-initializer | tail -n 3 | sed 's/^/  storage initializer: /'
# No kube-proxy: the predictor is called at its pod's address (the host is on the pods' bridge).
pod_ip="$("${kc[@]}" -n serve-test get pod "$pod" -o jsonpath='{.status.podIP}')"
v2_predicts_iris "$pod_ip" iris "the scikit-learn server"
v1="$(curl -sS --max-time 10 -H 'content-type: application/json' "http://$pod_ip:8080/v1/models/iris:predict" \
  -d '{"instances":[[6.8,2.8,4.8,1.4],[5.1,3.5,1.4,0.2]]}')" || fail "the V1 prediction request failed"
echo "  V1 predict: $v1"
[ "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["predictions"])' "$v1")" = "[1, 0]" ] \
  || fail "the V1 answer does not predict versicolor (1) and setosa (0)"
# The kserve-mlserver runtime (MLServer, built here by model-servers.sh) with an MLflow model, as
# the template's pytorch projects deploy theirs (modelFormat mlflow, V2): saved by MLServer's own
# MLflow (the init container, in the model server's image) and uploaded by the scikit-learn
# server's image (it has boto3, MLServer's has not).
"${kc[@]}" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: { name: train-mlflow, namespace: serve-test }
spec:
  restartPolicy: Never
  volumes: [{ name: model, emptyDir: {} }]
  initContainers:
    - name: save
      image: docker.io/seldonio/mlserver:1.7.1
      imagePullPolicy: IfNotPresent
      volumeMounts: [{ name: model, mountPath: /work }]
      command: [python, -c]
      args:
        - |
          import mlflow, mlflow.sklearn, numpy as np
          from mlflow.models import infer_signature
          from sklearn.datasets import load_iris
          from sklearn.linear_model import LogisticRegression
          X, y = load_iris(return_X_y=True)
          X = X.astype(np.float32)
          model = LogisticRegression(max_iter=500).fit(X, y)
          mlflow.sklearn.save_model(model, "/work/model", signature=infer_signature(X, model.predict(X)))
          print(f"saved with MLflow {mlflow.__version__}, accuracy {model.score(X, y):.2f}")
  containers:
    - name: upload
      image: kserve/sklearnserver:v0.20.0
      imagePullPolicy: IfNotPresent
      volumeMounts: [{ name: model, mountPath: /work }]
      envFrom: [{ secretRef: { name: s3-credentials } }]
      env: [{ name: S3_ENDPOINT, value: "http://minio.minio.svc.cluster.local:9000" }]
      command: [python, -c]
      args:
        - |
          import os, boto3
          s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1")
          for name in sorted(os.listdir("/work/model")):
              s3.upload_file(os.path.join("/work/model", name), "mlflow-artifacts", f"node-test/iris-mlflow/{name}")
              print("uploaded", name)
YAML
phase="$(serve_test_pod_phase train-mlflow 180)"
"${kc[@]}" -n serve-test logs train-mlflow --all-containers | sed 's/^/  train-mlflow: /'
[ "$phase" = Succeeded ] || fail "the MLflow model's pod ended '$phase'"
"${kc[@]}" apply -f - >/dev/null <<'YAML'
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: iris-mlflow, namespace: serve-test }
spec:
  predictor:
    serviceAccountName: kserve-s3
    model:
      modelFormat: { name: mlflow }
      runtime: kserve-mlserver
      protocolVersion: v2
      storageUri: s3://mlflow-artifacts/node-test/iris-mlflow
      resources: { requests: { cpu: 100m, memory: 512Mi }, limits: { cpu: "1", memory: 2Gi } }
YAML
pod="$(serve_test_predictor iris-mlflow)"
served_by="$("${kc[@]}" -n serve-test get pod "$pod" -o jsonpath='{.spec.containers[?(@.name=="kserve-container")].image} {.spec.containers[?(@.name=="kserve-container")].env[?(@.name=="MLSERVER_MODEL_IMPLEMENTATION")].value}')"
echo "  InferenceService iris-mlflow served by: $served_by"
[ "$served_by" = "docker.io/seldonio/mlserver:1.7.1 mlserver_mlflow.MLflowRuntime" ] \
  || fail "iris-mlflow is not served by MLServer's MLflow runtime: '$served_by'"
state="$("${kc[@]}" -n serve-test get inferenceservice iris-mlflow -o jsonpath='{.status.modelStatus.states.activeModelState} {.status.modelStatus.transitionStatus}')"
[ "$state" = "Loaded UpToDate" ] || fail "iris-mlflow's model status is '$state', expected Loaded UpToDate"
# (the log read whole first: grep -m1 would close a pipe kubectl still writes to, SIGPIPE under pipefail)
mlserver_log="$("${kc[@]}" -n serve-test logs "$pod" -c kserve-container)"
grep -m1 "Loaded model 'iris-mlflow' successfully" <<<"$mlserver_log" | sed 's/^/  mlserver: /' \
  || fail "MLServer's log does not say it loaded iris-mlflow"
pod_ip="$("${kc[@]}" -n serve-test get pod "$pod" -o jsonpath='{.status.podIP}')"
v2_predicts_iris "$pod_ip" iris-mlflow "MLServer (MLflow model)"
refusal="$("${kc[@]}" apply -f - 2>&1 <<'YAML' || true
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: badscale, namespace: serve-test }
spec:
  predictor:
    minReplicas: 3
    maxReplicas: 1
    model: { modelFormat: { name: sklearn }, storageUri: s3://mlflow-artifacts/x }
YAML
)"
grep -q "cannot be greater than MaxReplicas" <<<"$refusal" || fail "KServe's validating webhook did not refuse minReplicas > maxReplicas: $refusal"

step "down"
# What another tool makes while the node runs is not the node's: a chain with a rule jumping to
# it, and a file in a CNI folder. Both must survive `down`.
iptables -w -N MLSTACK-CANARY && iptables -w -A INPUT -s 192.0.2.1/32 -j MLSTACK-CANARY
canary_dir=""
[ -e /etc/cni ] || { mkdir -p /etc/cni/net.d && echo '{}' >/etc/cni/net.d/99-canary.conf && canary_dir=/etc/cni; }
"${harness[@]}" down >"$dir/down.log" 2>&1 || { cat "$dir/down.log" >&2; fail "harness.sh down failed"; }
iptables -w -C INPUT -s 192.0.2.1/32 -j MLSTACK-CANARY 2>/dev/null || fail "down removed another tool's iptables rule"
iptables -w -D INPUT -s 192.0.2.1/32 -j MLSTACK-CANARY && iptables -w -X MLSTACK-CANARY
if [ -n "$canary_dir" ]; then
  [ -s /etc/cni/net.d/99-canary.conf ] || fail "down removed another tool's file in /etc/cni"
  rm -rf "$canary_dir"
fi
snapshot "$dir/after"
if ! diff -u "$dir/before" "$dir/after" >"$dir/diff"; then
  cat "$dir/diff" >&2
  fail "harness.sh down left something behind (diff above: - before up, + after down)"
fi
step "passed: nothing left behind"
