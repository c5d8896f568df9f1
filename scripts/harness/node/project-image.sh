#!/usr/bin/env bash
# A generated ML project's image, built and put on the harness's node (`harness.sh image`):
#
#   harness.sh image PROJECT
#
# PROJECT is a project's directory, or the name of a repository in the harness Gitea's
# organisation (what the ml-project template publishes; cloned with the portal's service account,
# whose token stays in the environment). Its own Dockerfile is built (build-image.sh: cached by
# content, GIT_COMMIT from its HEAD when it is a Git checkout) under the image name its
# WorkflowTemplate runs (argo/workflow-template.yaml, parameter `image`), and imported into the
# node's containerd, where `imagePullPolicy: IfNotPresent` pods find it. Prints the image name.
# The build runs the repository's Dockerfile as root with the host's network (build-image.sh):
# build only repositories you would run on this machine.
source "$(dirname "$0")/../../lib.sh"

[ $# -eq 1 ] || die "usage: harness.sh image PROJECT (a project directory, or a repository name in the harness's Gitea organisation)"
[ "$(id -u)" -eq 0 ] || die "building an image for the node needs root (buildah, the node's containerd)"
HARNESS_DIR="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
sock="$HARNESS_DIR/node/containerd/containerd.sock"
[ -S "$sock" ] || die "no node is running in $HARNESS_DIR: start it first (harness.sh up kube node, or scripts/start.sh --node)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -d "$1" ]; then
  project="$(cd "$1" && pwd)"
elif [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
  [ -s "$HARNESS_DIR/harness.env" ] || die "'$1' is not a directory, and no harness state ($HARNESS_DIR/harness.env) names a Gitea to clone it from"
  # (a subshell: only the Git server's address, organisation and token are read from the state)
  read -r git_url git_org < <(set -a; source "$HARNESS_DIR/harness.env"; printf '%s %s\n' "${MLSTACK_GIT_URL:-}" "${MLSTACK_GIT_ORG:-}")
  [ -n "$git_url" ] || die "the harness's Git server (Gitea) is not running: harness.sh up git"
  project="$work/project"
  (set -a; source "$HARNESS_DIR/harness.env"; set +a
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: token $MLSTACK_GIT_TOKEN" \
      git clone -q "$git_url/$git_org/$1.git" "$project") 2>"$work/clone.log" ||
    die "cloning $git_url/$git_org/$1.git failed: $(tail -n 3 "$work/clone.log")"
else
  die "'$1' is neither a directory nor a repository name"
fi
template="$project/argo/workflow-template.yaml"
[ -f "$project/Dockerfile" ] || die "$project has no Dockerfile"
[ -f "$template" ] || die "$project has no argo/workflow-template.yaml (the image name comes from its parameter 'image')"
image="$("$MLSTACK_TOOLS/venv/bin/python" - "$template" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
params = (doc.get("spec") or {}).get("arguments", {}).get("parameters", [])
image = next((p.get("value") for p in params if p.get("name") == "image"), None)
sys.exit(f"{sys.argv[1]} has no parameter 'image' with a value") if not image else print(image)
PY
)" || die "reading the image name from $template failed"
# Never under a name the node's own images have (pause, Argo's executor, KServe's storage
# initializer and model servers, the base images): a project would replace them for every pod
# on the node.
case "$image" in
  registry.k8s.io/* | quay.io/argoproj/* | kserve/* | docker.io/kserve/* | seldonio/* | docker.io/seldonio/* | \
    mlstack.local/* | python:* | docker.io/library/python:* | library/python:*)
    die "$template names the image '$image', which the node's own images use; give the project an image name of its own" ;;
esac
build_args=()
if git -C "$project" rev-parse --verify -q HEAD >/dev/null 2>&1; then
  build_args=(--build-arg "GIT_COMMIT=$(git -C "$project" rev-parse HEAD)")
fi
log "building $image from $project's Dockerfile"
archive="$(bash "$MLSTACK_ROOT/scripts/harness/node/build-image.sh" "$project" "$image" "${build_args[@]}")" ||
  die "building $image failed"
ctr --address "$sock" -n k8s.io images import "$archive" >"$work/import.log" 2>&1 ||
  die "importing $image into the node's containerd failed: $(tail -n 3 "$work/import.log")"
log "the node has $image"
echo "$image"
