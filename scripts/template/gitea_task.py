"""The ml-project template's real task to the portal's Git server (called by test-template.sh).

  gitea_task.py --base URL --token T --values JSON --out DIR [--secret S]...

The values choose repoTarget `gitea`: the task creates a repository named after the project in
the harness Gitea's organisation (mlops.git.defaultRemoteBase) and registers it in the catalog.
Checks: the task completes with register-gitea done and its "Open in catalog" link naming the
entity; the entity is read back through the catalog API (kind, owner, type, the MLflow, Argo,
KServe and Kubernetes annotations the entity's tabs read, and the location it came from: the
Gitea URL of catalog-info.yaml, its source-location the repository's tree); the repository
through the Gitea API (its catalog-info.yaml = the catalog's entity, public, one commit); the
repository's catalog-info.yaml through the catalog's own URL reader (POST
/api/catalog/locations?dryRun=true: the integration reads it); then the same values again: the
task fails at publish-gitea with the "already exists" conflict, nothing is pushed (same single
commit) and the catalog still holds one entity. No credential (the Gitea token among them) in
any task's events or output.

Environment: MLSTACK_GIT_URL, MLSTACK_GIT_ORG, MLSTACK_GIT_TOKEN (harness.env).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from real_task import FAILURES, Secrets, check, http, link, messages, run_task  # noqa: E402


def gitea(path: str) -> tuple[int, object]:
    url = f"{os.environ['MLSTACK_GIT_URL']}/api/v1{path}"
    req = urllib.request.Request(url, headers={"Authorization": f"token {os.environ['MLSTACK_GIT_TOKEN']}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read().decode() or "null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--values", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--secret", action="append", default=[])
    args = p.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    values = json.loads(args.values)
    name, owner, ns = values["name"], values["owner"], values["namespace"]
    git_url, org = os.environ["MLSTACK_GIT_URL"], os.environ["MLSTACK_GIT_ORG"]
    secrets = Secrets([*args.secret, os.environ["MLSTACK_GIT_TOKEN"]])
    entity_ref = f"component:default/{name}"
    contents = f"{git_url}/{org}/{name}/src/branch/main/"

    first = run_task(args, values, "gitea task")
    steps = {
        (e.get("body") or {}).get("stepId"): (e.get("body") or {}).get("status")
        for e in first["events"]
        if (e.get("body") or {}).get("status")
    }
    check(steps.get("publish-gitea") == "completed" and steps.get("register-gitea") == "completed"
          and steps.get("publish-local") == "skipped" and steps.get("register") == "skipped",
          "gitea task: publish-gitea and register-gitea completed, publish-local and register skipped",
          json.dumps({k: v for k, v in steps.items() if k and ("publish" in k or "register" in k)}))
    links = {l.get("title"): l for l in first["output"].get("links", [])}
    check(links.get("Open in catalog", {}).get("entityRef") == entity_ref,
          f"gitea task: 'Open in catalog' is {entity_ref}", json.dumps(links.get("Open in catalog")))
    check(link(first, "Repository") == f"{git_url}/{org}/{name}",
          f"gitea task: 'Repository' is the Gitea repository's page {git_url}/{org}/{name}", link(first, "Repository"))
    publish_log = "\n".join(messages(first, "publish-gitea"))
    check(f"Created the Gitea repository {org}/{name}" in publish_log,
          "gitea task: the publish step's log says it created the repository", publish_log[-400:])

    # The entity, through the catalog API (catalog:register has added the location; its first
    # processing may take a moment).
    entity: dict = {}
    started = time.monotonic()
    while time.monotonic() - started < 60:
        status, body = http("GET", f"{args.base}/api/catalog/entities/by-name/component/default/{name}", args.token)
        if status == 200 and isinstance(body, dict):
            entity = body
            break
        time.sleep(1)
    print(f"TIMING {time.monotonic() - started:.1f} the new entity readable through the catalog API", flush=True)
    ann = (entity.get("metadata") or {}).get("annotations") or {}
    spec = entity.get("spec") or {}
    check(bool(entity), f"catalog: GET /api/catalog/entities/by-name/component/default/{name} answers the entity")
    check(spec.get("owner") == owner and spec.get("type") == "ml-project",
          f"catalog: the entity is an ml-project owned by {owner}", json.dumps(spec))
    want = {
        "mlflow.org/experiment-name": name,
        "mlflow.org/registered-model-name": name,
        "mlflow.org/instance": values["mlflowInstance"],
        "mlstack.io/kserve-inference-service": name,
        "backstage.io/kubernetes-namespace": ns,
        "mlstack.io/kubernetes-cluster": values["cluster"],
        "argoworkflows.argoproj.io/workflow-selector": f"app.kubernetes.io/part-of={name}",
        "backstage.io/managed-by-location": f"url:{contents}catalog-info.yaml",
        "backstage.io/managed-by-origin-location": f"url:{contents}catalog-info.yaml",
        "backstage.io/source-location": f"url:{contents}",
    }
    wrong = {k: (ann.get(k), v) for k, v in want.items() if ann.get(k) != v}
    check(not wrong, "catalog: the entity's annotations (MLflow, Argo, KServe, Kubernetes; its location and "
          "source-location on the Gitea server)", json.dumps(wrong))
    check("mlstack.io/argo-workflow-template" in ann, "catalog: the entity names its Argo WorkflowTemplate")

    # The repository, through the Gitea API.
    status, repo = gitea(f"/repos/{org}/{name}")
    check(status == 200 and isinstance(repo, dict) and repo.get("private") is False
          and repo.get("default_branch") == "main" and not repo.get("empty"),
          f"Gitea: repository {org}/{name} exists, public, default branch main, not empty",
          f"HTTP {status} {str(repo)[:300]}")
    status, commits = gitea(f"/repos/{org}/{name}/commits?sha=main&limit=5")
    commit_count = len(commits) if isinstance(commits, list) else -1
    check(commit_count == 1, "Gitea: main has exactly one commit", f"HTTP {status}, {commit_count} commits")
    status, file_ = gitea(f"/repos/{org}/{name}/contents/catalog-info.yaml?ref=main")
    text = base64.b64decode(file_["content"]).decode() if status == 200 and isinstance(file_, dict) else ""
    published = yaml.safe_load(text) if text else {}
    check((published.get("metadata") or {}).get("name") == name
          and (published.get("spec") or {}).get("owner") == owner,
          "Gitea: catalog-info.yaml readable back through the Gitea API, naming the project and its owner",
          f"HTTP {status} {text[:200]}")
    repo_text = json.dumps(repo) + json.dumps(commits) + text
    check(not secrets.found_in(repo_text), "Gitea: no credential in the repository's catalog-info.yaml or metadata")

    # The catalog's URL reader (the gitea integration) reads the file: a dry-run location.
    status, dry = http("POST", f"{args.base}/api/catalog/locations?dryRun=true", args.token,
                       {"type": "url", "target": f"{contents}catalog-info.yaml"})
    dry_entities = [e.get("metadata", {}).get("name") for e in (dry or {}).get("entities", [])] if isinstance(dry, dict) else []
    check(status in (200, 201) and name in dry_entities,
          "catalog: its URL reader reads catalog-info.yaml from the Gitea server (locations?dryRun=true)",
          f"HTTP {status} {str(dry)[:300]}")

    # The same values again: refused at publish-gitea, nothing pushed, still one entity.
    # run_task reports a failed task as a FAIL; this one must fail: run it by hand.
    status, created = http("POST", f"{args.base}/api/scaffolder/v2/tasks", args.token,
                           {"templateRef": "template:default/ml-project", "values": values})
    task_id = created.get("id") if isinstance(created, dict) else None
    task: dict = {}
    started = time.monotonic()
    while task_id and time.monotonic() - started < 120:
        _, task = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{task_id}", args.token)
        if isinstance(task, dict) and task.get("status") in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.5)
    _, events = http("GET", f"{args.base}/api/scaffolder/v2/tasks/{task_id}/events", args.token) if task_id else (0, [])
    events = events if isinstance(events, list) else []
    (Path(args.out) / "gitea-task-again.json").write_text(json.dumps({"task": task, "events": events}, indent=2))
    print(f"TIMING {time.monotonic() - started:.1f} gitea task again (until {task.get('status')})", flush=True)
    failed_step = next(((e.get("body") or {}).get("stepId") for e in events
                        if (e.get("body") or {}).get("status") == "failed"), None)
    all_text = "\n".join((e.get("body") or {}).get("message", "") or json.dumps(e.get("body")) for e in events)
    check(task.get("status") == "failed" and failed_step == "publish-gitea",
          "gitea task again (same name): fails at publish-gitea",
          f"status {task.get('status')!r}, failed step {failed_step!r}")
    check(f"Gitea repository {org}/{name} on {git_url} already exists" in all_text and "Nothing was pushed" in all_text,
          "gitea task again: its log says the repository already exists and nothing was pushed",
          all_text[-500:])
    steps2 = {(e.get("body") or {}).get("stepId"): (e.get("body") or {}).get("status") for e in events
              if (e.get("body") or {}).get("status")}
    check(steps2.get("register-gitea") in (None, "skipped"), "gitea task again: nothing registered",
          json.dumps(steps2))
    _, commits2 = gitea(f"/repos/{org}/{name}/commits?sha=main&limit=5")
    check(isinstance(commits2, list) and isinstance(commits, list) and len(commits2) == 1
          and commits2[0].get("sha") == commits[0].get("sha"),
          "gitea task again: nothing pushed (main still has the first task's single commit)")
    q = urllib.parse.urlencode({"filter": f"kind=component,metadata.name={name}"})
    status, found = http("GET", f"{args.base}/api/catalog/entities?{q}", args.token)
    check(status == 200 and isinstance(found, list) and len(found) == 1,
          "catalog: still exactly one entity of that name", f"HTTP {status} {str(found)[:200]}")

    for label, result in (("gitea task", first), ("gitea task again", {"events": events, "output": task.get("output") or {}})):
        dumped = json.dumps(result["events"]) + json.dumps(result["output"])
        check(not secrets.found_in(dumped), f"{label}: no credential (the Gitea token among them) in its events or output")

    sys.exit(len(FAILURES))


if __name__ == "__main__":
    main()
