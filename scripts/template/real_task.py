"""A real scaffolder task of templates/ml-project through the portal (called by test-template.sh).

  real_task.py --base URL --token T --values JSON --kubectl KUBECTL --kubeconfig F --out DIR [--secret S]...

Creates the task (POST /api/scaffolder/v2/tasks, templateRef template:default/ml-project),
polls it until it completes or fails (events printed on failure), then checks what it made in
the real services: the bucket (tagged mlstack.io/owner), the MLflow experiment (the id of the
task's link), the registered model (tagged mlstack.io/owner, no version yet), the namespace, WorkflowTemplate, Secret (compared with the harness credentials,
never printed), the project's service accounts, roles, role bindings and artifact repository,
the deployer's rights (kubectl auth can-i, and a server-side dry-run apply as that identity),
the bare repository's `main` (catalog-info.yaml, no credential) and its recorded owner. Then the same values as a
second task: it completes and changes nothing (same experiment, model and bucket reused, every object
`unchanged`, nothing pushed). Then a task for an owner the user does not belong to: it fails
at its first claim and makes nothing. Neither task's events nor outputs hold a credential.

Environment: MLSTACK_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MLSTACK_MLFLOW_URL
(harness.env). Prints `ok`/`FAIL` lines and `TIMING <seconds> <what>`; the exit status is the
number of failures. Needs boto3 and PyYAML.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

FAILURES: list[str] = []
TIMEOUT_S = 120


def check(ok: bool, what: str, why: str = "") -> bool:
    if ok:
        print(f"ok   {what}", flush=True)
    else:
        FAILURES.append(what)
        print(f"FAIL {what}{': ' + why if why else ''}", flush=True)
    return ok


def http(method: str, url: str, token: str | None = None, body: dict | None = None) -> tuple[int, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            text = res.read().decode()
            return res.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text


class Secrets:
    """The credentials nothing may show: looked for as they are and base64-encoded."""

    def __init__(self, values: list[str]):
        self.values = [v for v in values if v]
        self.forms = [f for v in self.values for f in (v, base64.b64encode(v.encode()).decode())]

    def found_in(self, text: str | bytes) -> bool:
        if isinstance(text, bytes):
            return any(f.encode() in text for f in self.forms)
        return any(f in text for f in self.forms)


def run_task(args, values: dict, label: str) -> dict:
    """Creates the task and waits for it; returns {id, status, seconds, output, events, task}."""
    started = time.monotonic()
    status, created = http("POST", f"{args.base}/api/scaffolder/v2/tasks", args.token,
                           {"templateRef": "template:default/ml-project", "values": values})
    if not check(status == 201 and isinstance(created, dict) and "id" in created,
                 f"{label}: POST /api/scaffolder/v2/tasks answers 201 with a task id",
                 f"HTTP {status} {str(created)[:400]}"):
        return {"status": "not created", "events": [], "output": {}, "seconds": 0}
    task_id = created["id"]
    task: dict = {}
    while time.monotonic() - started < TIMEOUT_S:
        status, task = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{task_id}", args.token)
        if status == 200 and task.get("status") in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    _, events = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{task_id}/events", args.token)
    events = events if isinstance(events, list) else []
    completion = next((e for e in events if e.get("type") == "completion"), {})
    output = (completion.get("body") or {}).get("output") or task.get("output") or {}
    result = {"id": task_id, "status": task.get("status"), "seconds": seconds, "output": output,
              "events": events, "task": task}
    (Path(args.out) / f"{label.replace(' ', '-')}.json").write_text(json.dumps(result, indent=2))
    ok = check(result["status"] == "completed",
               f"{label}: task {task_id} completed in {seconds:.1f} s", f"status {result['status']!r}")
    if not ok:
        for e in events:
            body = e.get("body") or {}
            print(f"     [{body.get('stepId', '-')}] {body.get('message', '')}"[:600])
    print(f"TIMING {seconds:.1f} {label} (POST /api/scaffolder/v2/tasks until {result['status']})", flush=True)
    return result


def messages(result: dict, step: str) -> list[str]:
    return [(e.get("body") or {}).get("message", "") for e in result["events"]
            if (e.get("body") or {}).get("stepId") == step]


def link(result: dict, title: str) -> str:
    return next((l.get("url", "") for l in result["output"].get("links", []) if l.get("title") == title), "")


APPLIED = re.compile(r"^(\w+) '([^']+)' in namespace '([^']+)' on cluster '[^']+': (created|configured|unchanged)$")


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def applied(result: dict) -> dict[tuple[str, str], str]:
    out = {}
    for m in messages(result, "apply"):
        # the task log's lines carry the level, coloured: "\x1b[32minfo\x1b[39m: ..."
        hit = APPLIED.match(re.sub(r"^(info|warn): ", "", ANSI.sub("", m).strip()))
        if hit:
            out[(hit.group(1), hit.group(2))] = hit.group(4)
    return out


def kubectl(args, *cmd: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([args.kubectl, "--kubeconfig", args.kubeconfig, *cmd], input=stdin,
                          capture_output=True, text=True)


def get(args, ns: str, kind: str, name: str) -> dict | None:
    out = kubectl(args, "-n", ns, "get", kind, name, "-o", "json")
    return json.loads(out.stdout) if out.returncode == 0 else None


def can_i(args, ns: str, sa: str, verb: str, what: str) -> str:
    """`kubectl auth can-i --as` the service account. For a kind the API server does not serve
    (the harness has no workflowtaskresults CRD), kubectl would ask about a resource named
    `workflowtaskresults.argoproj.io` in the core group: then the same question goes as a
    SubjectAccessReview with the group spelled out (RBAC does not need the CRD)."""
    out = kubectl(args, "auth", "can-i", f"--as=system:serviceaccount:{ns}:{sa}", verb, what, "-n", ns)
    if "doesn't have a resource type" not in out.stderr:
        return out.stdout.strip() or out.stderr.strip()
    kind, _, name = what.partition("/")
    resource, _, group = kind.partition(".")
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": {
        "user": f"system:serviceaccount:{ns}:{sa}",
        "groups": ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"],
        "resourceAttributes": {"namespace": ns, "verb": verb, "group": group, "resource": resource,
                               **({"name": name} if name else {})}}}
    out = kubectl(args, "create", "-o", "json", "-f", "-", stdin=json.dumps(review))
    if out.returncode != 0:
        return out.stderr.strip()
    return "yes" if json.loads(out.stdout).get("status", {}).get("allowed") else "no"


def git(bare: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "--git-dir", bare, *cmd], capture_output=True)


def check_first(args, values: dict, result: dict, secrets: Secrets) -> dict:
    name, ns, bucket, owner = values["name"], values["namespace"], values["bucket"], values["owner"]
    facts: dict = {}

    # MLflow: the experiment of the task's link.
    url = link(result, "MLflow experiment")
    m = re.search(r"/experiments/([^/?#]+)$", url)
    facts["experiment_id"] = m.group(1) if m else None
    q = urllib.parse.urlencode({"experiment_name": name})
    status, body = http("GET", f"{os.environ['MLSTACK_MLFLOW_URL']}/api/2.0/mlflow/experiments/get-by-name?{q}")
    exp = (body or {}).get("experiment", {}) if status == 200 else {}
    tags = {t["key"]: t["value"] for t in exp.get("tags", [])}
    check(bool(facts["experiment_id"]) and exp.get("experiment_id") == facts["experiment_id"],
          f"MLflow experiment {name} exists, id {exp.get('experiment_id')} = the task's link ({url})",
          f"HTTP {status}")
    check(tags.get("mlstack.io/owner") == owner and tags.get("mlstack.io/catalog-entity") == f"component:default/{name}",
          "the experiment is tagged with its owner and catalog entity",
          json.dumps({k: v for k, v in tags.items() if k.startswith("mlstack")}))

    # MLflow: the registered model the project registers into, claimed for the owner before
    # its first version (mlops:mlflow:create-registered-model).
    q = urllib.parse.urlencode({"name": name})
    status, body = http("GET", f"{os.environ['MLSTACK_MLFLOW_URL']}/api/2.0/mlflow/registered-models/get?{q}")
    model = (body or {}).get("registered_model", {}) if status == 200 else {}
    model_tags = {t["key"]: t["value"] for t in model.get("tags", [])}
    check(model.get("name") == name and not model.get("latest_versions"),
          f"MLflow registered model {name} exists, without versions yet", f"HTTP {status}")
    check(model_tags.get("mlstack.io/owner") == owner
          and model_tags.get("mlstack.io/catalog-entity") == f"component:default/{name}",
          f"the registered model is tagged mlstack.io/owner={owner} and its catalog entity",
          json.dumps({k: v for k, v in model_tags.items() if k.startswith("mlstack")}))
    check(link(result, "MLflow registered model").endswith(f"/#/models/{name}"),
          "the task links the registered model", link(result, "MLflow registered model"))

    # S3: the new bucket, tagged with its owner.
    import boto3

    s3 = boto3.client("s3", endpoint_url=os.environ["MLSTACK_S3_ENDPOINT"])
    try:
        s3.head_bucket(Bucket=bucket)
        tagset = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    except Exception as e:  # noqa: BLE001 - reported as a failure
        tagset = {"error": type(e).__name__}
    check(tagset.get("mlstack.io/owner") == owner, f"bucket {bucket} exists, tagged mlstack.io/owner={owner}",
          json.dumps(tagset))
    check(link(result, "DVC bucket") == f"s3://{bucket}/{name}", "the task links the DVC remote s3://<bucket>/<name>",
          link(result, "DVC bucket"))

    # Kubernetes: every object, in the project's namespace.
    namespace = json.loads(kubectl(args, "get", "namespace", ns, "-o", "json").stdout or "{}")
    check(bool(namespace), f"namespace {ns} exists")
    ns_owner = (namespace.get("metadata", {}).get("annotations") or {}).get("mlstack.io/owner")
    check(ns_owner == owner, f"the namespace is annotated mlstack.io/owner={owner}", repr(ns_owner))
    wft = get(args, ns, "workflowtemplates.argoproj.io", f"{name}-pipeline")
    if check(wft is not None, f"WorkflowTemplate {name}-pipeline exists in {ns}"):
        deploy = next(t for t in wft["spec"]["templates"] if t["name"] == "deploy")
        check(wft["spec"].get("serviceAccountName") == f"{name}-pipeline"
              and deploy.get("serviceAccountName") == f"{name}-deployer"
              and wft["spec"].get("artifactRepositoryRef") == {"configMap": f"{name}-artifact-repository", "key": "s3"},
              "it runs as the project's service accounts and names the project's artifact repository",
              json.dumps({"sa": wft["spec"].get("serviceAccountName"), "deploy": deploy.get("serviceAccountName"),
                          "ref": wft["spec"].get("artifactRepositoryRef")}))
    secret = get(args, ns, "secret", f"{name}-s3")
    if check(secret is not None, f"Secret {name}-s3 exists in {ns}"):
        data = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
        # compared, never printed
        check(data.get("AWS_ACCESS_KEY_ID") == os.environ["AWS_ACCESS_KEY_ID"]
              and data.get("AWS_SECRET_ACCESS_KEY") == os.environ["AWS_SECRET_ACCESS_KEY"],
              "the Secret holds the harness's S3 credentials (compared, not printed)",
              f"keys {sorted(data)}")
    for kind, obj in [("serviceaccount", f"{name}-pipeline"), ("serviceaccount", f"{name}-deployer"),
                      ("serviceaccount", f"{name}-predictor"),
                      ("roles.rbac.authorization.k8s.io", f"{name}-argo-executor"),
                      ("roles.rbac.authorization.k8s.io", f"{name}-deployer"),
                      ("rolebindings.rbac.authorization.k8s.io", f"{name}-argo-executor"),
                      ("rolebindings.rbac.authorization.k8s.io", f"{name}-deployer"),
                      ("configmap", f"{name}-artifact-repository")]:
        check(get(args, ns, kind, obj) is not None, f"{kind.split('.')[0]} {obj} exists in {ns}")
    predictor = get(args, ns, "serviceaccount", f"{name}-predictor") or {}
    check(predictor.get("secrets") == [{"name": f"{name}-s3"}], f"{name}-predictor lists the Secret {name}-s3",
          json.dumps(predictor.get("secrets")))
    cm = get(args, ns, "configmap", f"{name}-artifact-repository") or {}
    repo = yaml.safe_load((cm.get("data") or {}).get("s3", "{}")) or {}
    check(repo.get("s3", {}).get("accessKeySecret", {}).get("name") == f"{name}-s3"
          and repo.get("s3", {}).get("bucket") == "argo-artifacts",
          f"the artifact repository reads the Secret {name}-s3 the task created, bucket argo-artifacts",
          json.dumps(repo.get("s3", {}).get("accessKeySecret")))

    # The rights, as the API server's authorizer sees them.
    isvc = f"inferenceservices.serving.kserve.io/{name}"
    for sa, verb, what, want in [
        (f"{name}-deployer", "patch", isvc, "yes"),
        (f"{name}-deployer", "get", isvc, "yes"),
        (f"{name}-deployer", "delete", isvc, "no"),
        (f"{name}-deployer", "update", isvc, "no"),
        (f"{name}-deployer", "patch", "inferenceservices.serving.kserve.io/another-model", "no"),
        (f"{name}-deployer", "create", "inferenceservices.serving.kserve.io", "no"),
        (f"{name}-deployer", "list", "inferenceservices.serving.kserve.io", "no"),
        (f"{name}-deployer", "create", "workflowtaskresults.argoproj.io", "yes"),
        (f"{name}-pipeline", "create", "workflowtaskresults.argoproj.io", "yes"),
        (f"{name}-pipeline", "patch", "workflowtaskresults.argoproj.io", "yes"),
        (f"{name}-pipeline", "patch", isvc, "no"),
        (f"{name}-pipeline", "get", "secrets", "no"),
        (f"{name}-predictor", "get", isvc, "no"),
    ]:
        got = can_i(args, ns, sa, verb, what)
        check(got == want, f"can-i --as {sa} {verb} {what}: {got}", f"expected {want}")
    # What the deploy step sends: a server-side apply as the deployer creates the service (a
    # dry run: stored nothing); a plain create (POST, no name) is refused.
    manifest = yaml.safe_dump({
        "apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"predictor": {"serviceAccountName": f"{name}-predictor", "model": {
            "modelFormat": {"name": "sklearn"}, "storageUri": "s3://mlflow-artifacts/1/models/m-0/artifacts"}}}})
    as_deployer = f"--as=system:serviceaccount:{ns}:{name}-deployer"
    out = kubectl(args, as_deployer, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-",
                  stdin=manifest)
    check(out.returncode == 0, f"as {name}-deployer, `kubectl apply --server-side` of InferenceService {name} is allowed "
          "(dry run)", out.stderr.strip()[:300])
    out = kubectl(args, as_deployer, "create", "--dry-run=server", "-f", "-", stdin=manifest)
    check(out.returncode != 0 and "forbidden" in out.stderr.lower(),
          f"as {name}-deployer, `kubectl create` (POST) of it is forbidden", (out.stdout + out.stderr).strip()[:300])
    other = manifest.replace(f"name: {name}\n", "name: another-model\n", 1)
    out = kubectl(args, as_deployer, "apply", "--server-side", "--dry-run=server", "-f", "-", stdin=other)
    check(out.returncode != 0 and "forbidden" in out.stderr.lower(),
          f"as {name}-deployer, a server-side apply of another InferenceService is forbidden", out.stderr.strip()[:300])

    # The apply step's report.
    objects = applied(result)
    expected = {("Namespace", ns), ("Secret", f"{name}-s3"), ("ServiceAccount", f"{name}-predictor"),
                ("ServiceAccount", f"{name}-pipeline"), ("ServiceAccount", f"{name}-deployer"),
                ("ConfigMap", f"{name}-artifact-repository"), ("Role", f"{name}-argo-executor"),
                ("Role", f"{name}-deployer"), ("RoleBinding", f"{name}-argo-executor"),
                ("RoleBinding", f"{name}-deployer"), ("WorkflowTemplate", f"{name}-pipeline")}
    check(set(objects) == expected and set(objects.values()) == {"created"},
          f"the apply step reports the {len(expected)} objects (namespace included) created",
          json.dumps({f"{k}/{n}": r for (k, n), r in objects.items()}))

    # The repository.
    bare = values["remoteUrl"]
    head = git(bare, "rev-parse", "--verify", "refs/heads/main")
    facts["commit"] = head.stdout.decode().strip()
    if check(head.returncode == 0, f"{bare} has a branch main ({facts['commit'][:12]})"):
        files = git(bare, "ls-tree", "-r", "--name-only", "main").stdout.decode().split()
        check({"catalog-info.yaml", "argo/pipeline-rbac.yaml", "argo/artifact-repository.yaml",
               "argo/workflow-template.yaml"} <= set(files), f"main holds catalog-info.yaml and the argo/ manifests ({len(files)} files)")
        recorded = git(bare, "config", "--local", "--get", "mlstack.owner").stdout.decode().strip()
        check(recorded == owner, f"the bare repository records its owner (git config mlstack.owner={owner})",
              repr(recorded))
        archive = git(bare, "archive", "main").stdout
        check(bool(archive) and not secrets.found_in(archive), "no credential in `git archive main`")
    return facts


def check_second(args, values: dict, first: dict, facts: dict, result: dict) -> None:
    name = values["name"]
    url = link(result, "MLflow experiment")
    check(facts.get("experiment_id") is not None and url.endswith(f"/experiments/{facts['experiment_id']}"),
          f"again: the same experiment ({facts.get('experiment_id')})", url)
    check(any("reusing it" in m for m in messages(result, "create-experiment")),
          "again: the experiment is reused", json.dumps(messages(result, "create-experiment")))
    check(any("reusing it" in m for m in messages(result, "create-model")),
          "again: the registered model is reused", json.dumps(messages(result, "create-model")))
    check(any("reusing it" in m for m in messages(result, "create-bucket")),
          f"again: the bucket {values['bucket']} is reused", json.dumps(messages(result, "create-bucket")))
    objects, before = applied(result), applied(first)
    check(bool(objects) and set(objects) == set(before) and set(objects.values()) == {"unchanged"},
          f"again: all {len(objects)} objects unchanged", json.dumps({f"{k}/{n}": r for (k, n), r in objects.items()}))
    head = git(values["remoteUrl"], "rev-parse", "--verify", "refs/heads/main").stdout.decode().strip()
    check(head == facts.get("commit") and any("nothing to push" in m for m in messages(result, "publish-local")),
          f"again: nothing pushed, main is still {head[:12]}", json.dumps(messages(result, "publish-local")))


def check_refused(args, values: dict) -> None:
    """A task for an owner the signed-in user does not belong to: refused at its first claim
    (the bucket), nothing made."""
    other = {**values, "owner": "group:default/not-my-team", "name": f"{values['name']}-x",
             "bucket": f"{values['bucket']}-x", "remoteUrl": values["remoteUrl"].replace(".git", "-x.git")}
    started = time.monotonic()
    status, created = http("POST", f"{args.base}/api/scaffolder/v2/tasks", args.token,
                           {"templateRef": "template:default/ml-project", "values": other})
    if not check(status == 201, "another owner: the task is created (refused when it runs)", f"HTTP {status}"):
        return
    task: dict = {}
    while time.monotonic() - started < TIMEOUT_S:
        _, task = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{created['id']}", args.token)
        if task.get("status") in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.5)
    _, events = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{created['id']}/events", args.token)
    text = " ".join((e.get("body") or {}).get("message", "") for e in (events or []))
    check(task.get("status") == "failed" and "is not group:default/not-my-team nor a member of it" in text,
          "another owner: the task fails, saying the user is not a member of the owner", text[-400:])
    import boto3

    s3 = boto3.client("s3", endpoint_url=os.environ["MLSTACK_S3_ENDPOINT"])
    names = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    check(other["bucket"] not in names, f"another owner: no bucket {other['bucket']} was made")
    q = urllib.parse.urlencode({"name": other["name"]})
    status, _ = http("GET", f"{os.environ['MLSTACK_MLFLOW_URL']}/api/2.0/mlflow/registered-models/get?{q}")
    check(status == 404, f"another owner: no registered model {other['name']} was made", f"HTTP {status}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--values", required=True, help="the form's values, JSON")
    p.add_argument("--kubectl", required=True)
    p.add_argument("--kubeconfig", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--secret", action="append", default=[])
    args = p.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    values = json.loads(args.values)
    secrets = Secrets([os.environ.get("AWS_SECRET_ACCESS_KEY", ""), *args.secret])

    first = run_task(args, values, "real task")
    facts: dict = {}
    if first["status"] == "completed":
        facts = check_first(args, values, first, secrets)
        second = run_task(args, values, "same values again")
        if second["status"] == "completed":
            check_second(args, values, first, facts, second)
    else:
        second = None
    check_refused(args, values)
    for label, result in (("real task", first), ("second task", second)):
        if result and result.get("events") is not None:
            text = json.dumps({"events": result["events"], "output": result["output"], "task": result.get("task")})
            check(bool(secrets.values) and not secrets.found_in(text),
                  f"{label}: no credential in the task, its events and its output ({len(result['events'])} events)")
    sys.exit(len(FAILURES))


if __name__ == "__main__":
    main()
