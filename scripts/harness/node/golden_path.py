"""The golden path's checks through the portal's own routes (called by test-golden-path.sh).

  golden_path.py task --base URL --values JSON --out DIR
      The ml-project template as a real task (POST /api/scaffolder/v2/tasks): it must complete
      and link the repository it published and the entity it registered. Writes the
      repository's URL to DIR/repository-url.

  golden_path.py pipeline --base URL --entity component:default/NAME --out DIR
      Submits the project's WorkflowTemplate from the Pipelines route (POST .../argo/
      workflow-templates/NAME/submit), follows the run through GET .../argo/workflows/RUN until
      it ends, and checks that it Succeeded with every step's pod node Succeeded and each step's
      real logs read through the logs route; with --data-hash, that pull-data pulled the data
      with DVC and reports that hash (dvc.lock's), and that the lineage's data is it. Then the Serving route (GET .../kserve/
      inference-services): the project's InferenceService Ready, its URL, the model Loaded, the
      artifacts it serves = the registered version's (the register step's outputs); and the
      lineage route for that version: data -> the run -> MLflow run -> version -> the service,
      with no gap in that chain.

  golden_path.py failing --base URL --entity component:default/NAME --out DIR
      Submits the pipeline again while its S3 credentials are wrong (the caller broke them): the
      run must fail at pull-data with its exit code, its real log saying DVC's error, and no
      later step run. Writes the run's name to DIR/failed-run.

  golden_path.py canary --base URL --entity component:default/NAME --namespace NS --out DIR
      Registers the pipeline's other candidate model as a second version in MLflow (its REST
      API: what a user registering a model in MLflow's UI does), then deploys it
      from the Serving route as a 20 % canary beside the version the pipeline deployed (POST
      .../kserve/deploy, Standard mode: its own Deployment), and follows the Serving route until
      the canary's predictor is Ready. Writes the version to DIR/canary-version.

  golden_path.py promote --base URL --entity component:default/NAME --out DIR
      Promotes the canary from the Serving route (POST .../inference-services/NAME/promote) and
      follows the Serving route until it records the canary's version as serving all traffic,
      with no canary left (the Deployment, its rollout and its artifacts: test-golden-path.sh).

The portal token is read from MLSTACK_PORTAL_TOKEN (not an argument: other processes can read
those). Prints `ok`/`FAIL` lines and `TIMING <seconds> <what>`; exits with the number of failures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "template"))
from real_task import FAILURES, check, http, link, run_task  # noqa: E402

STEPS = ["pull-data", "train", "select-and-register", "deploy"]
PIPELINE_TIMEOUT_S = 1200


def entity_api(base: str, entity: str) -> str:
    kind, rest = entity.split(":", 1)
    namespace, name = rest.split("/", 1)
    return f"{base}/api/mlops/entities/{kind}/{namespace}/{name}"


def task(args) -> None:
    values = json.loads(args.values)
    result = run_task(args, values, "golden path task")
    if result.get("status") != "completed":
        return
    repo = link(result, "Repository")
    check(bool(repo), "the task links the published repository", json.dumps(result["output"])[:400])
    entity = next((l.get("entityRef") for l in result["output"].get("links", []) if l.get("title") == "Open in catalog"), "")
    check(entity == f"component:default/{values['name']}", f"the task links the new entity {entity} in the catalog",
          json.dumps(result["output"])[:400])
    Path(args.out, "repository-url").write_text(repo)


def wait_for_entity(args, name: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        status, _ = http("GET", f"{args.base}/api/catalog/entities/by-name/component/default/{name}", args.token)
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    check(status == 200, f"the catalog holds component:default/{name}", f"HTTP {status}")



def submit_and_follow(args, api: str, template: str, saved_as: str) -> tuple[str, dict] | None:
    """Submits the WorkflowTemplate from the Pipelines route and follows the run through it until
    it ends; saves the last answer under OUT/saved_as. Returns (run name, workflow)."""
    started = time.monotonic()
    status, submitted = http("POST", f"{api}/argo/workflow-templates/{template}/submit", args.token, {"parameters": {}})
    if not check(status == 201 and isinstance(submitted, dict) and submitted.get("name"),
                 f"the Pipelines route submits {template} (201 and the run's name)", f"HTTP {status} {str(submitted)[:400]}"):
        return None
    run = submitted["name"]
    print(f"     run {run}", flush=True)
    workflow: dict = {}
    last = ""
    while time.monotonic() - started < PIPELINE_TIMEOUT_S:
        status, workflow = http("GET", f"{api}/argo/workflows/{run}", args.token)
        if status != 200:
            check(False, f"GET workflows/{run} answers 200", f"HTTP {status} {str(workflow)[:300]}")
            return None
        progress = " ".join(f"{n['displayName']}={n['phase']}" for n in workflow["nodes"] if n.get("type") == "Pod")
        if progress != last:
            print(f"     {time.monotonic() - started:6.0f} s  {workflow['phase']}  {progress}", flush=True)
            last = progress
        if workflow.get("phase") in ("Succeeded", "Failed", "Error"):
            break
        time.sleep(3)
    Path(args.out, saved_as).write_text(json.dumps(workflow, indent=2))
    print(f"TIMING {time.monotonic() - started:.1f} the pipeline run (submit until {workflow.get('phase')})", flush=True)
    return run, workflow


def step_logs(args, api: str, run: str, node: dict) -> tuple[int, dict]:
    """A step's logs through the Pipelines route's logs route."""
    return http("GET", f"{api}/argo/workflows/{run}/nodes/{urllib.parse.quote(node['id'], safe='')}/logs", args.token)


def pipeline(args) -> None:
    api = entity_api(args.base, args.entity)
    name = args.entity.split("/", 1)[1]
    wait_for_entity(args, name)
    template = f"{name}-pipeline"
    status, templates = http("GET", f"{api}/argo/workflow-templates", args.token)
    listed = [t.get("name") for t in templates.get("templates", [])] if isinstance(templates, dict) else []
    check(status == 200 and template in listed, f"the Pipelines route lists the project's WorkflowTemplate {template}",
          f"HTTP {status} {str(templates)[:300]}")
    submitted = submit_and_follow(args, api, template, "workflow.json")
    if submitted is None:
        return
    run, workflow = submitted
    pods = {n["displayName"]: n for n in workflow.get("nodes", []) if n.get("type") == "Pod"}
    check(workflow.get("phase") == "Succeeded", f"the run {run} Succeeded", f"{workflow.get('phase')}: {workflow.get('message')}")
    logs: dict[str, str] = {}
    for step in STEPS:
        node = pods.get(step)
        if not check(node is not None and node["phase"] == "Succeeded", f"step {step}: a pod node, Succeeded",
                     json.dumps(node)[:300] if node else "no such node"):
            continue
        status, body = step_logs(args, api, run, node)
        text = body.get("text", "") if isinstance(body, dict) else ""
        logs[step] = text
        Path(args.out, f"logs-{step}.txt").write_text(text)
        check(status == 200 and body.get("available") is True and body.get("podName") == node.get("podName"),
              f"step {step}: the logs route reads its pod's logs ({len(text)} characters)", f"HTTP {status} {str(body)[:300]}")
    for step, node in pods.items():
        if node["phase"] != "Succeeded":
            print(f"     {step} {node['phase']}: {node.get('message')}\n" + "\n".join(
                "       | " + line for line in logs.get(step, "").splitlines()[-30:]), flush=True)

    # The data: pulled from MinIO by DVC (the repository's dvc.lock, pushed before the image was
    # built), not generated in the pod; the hash it reports is the one dvc.lock records.
    pulled = {p["name"]: p.get("value") for p in
              ((pods.get("pull-data") or {}).get("outputs") or {}).get("parameters", [])}
    if args.data_hash:
        pull_log = logs.get("pull-data")
        check(pull_log is not None and "no dvc.lock in the image" not in pull_log,
              "pull-data pulled the data with DVC (dvc.lock in the image), not the generated sample",
              (pull_log or "its logs were not read")[-400:])
        check(pulled.get("data-hash") == args.data_hash,
              f"pull-data's data hash is dvc.lock's {args.data_hash}", json.dumps(pulled))

    registered = {p["name"]: p.get("value") for p in
                  ((pods.get("select-and-register") or {}).get("outputs") or {}).get("parameters", [])}
    version, storage_uri = registered.get("model-version"), registered.get("storage-uri")
    check(bool(version) and bool(storage_uri), f"select-and-register output model version {version} at {storage_uri}",
          json.dumps(registered))

    # The Serving route: the service the deploy step applied, Ready, serving what was registered.
    status, services = http("GET", f"{api}/kserve/inference-services", args.token)
    Path(args.out, "inference-services.json").write_text(json.dumps(services, indent=2))
    items = services.get("services", []) if isinstance(services, dict) else []
    service = next((s for s in items if s.get("name") == name), None)
    if check(status == 200 and service is not None, f"the Serving route lists the InferenceService {name}",
             f"HTTP {status} {json.dumps(services)[:400]}"):
        state = service.get("modelState") or {}
        check(service.get("ready") is True and bool(service.get("url")),
              f"the Serving route shows it Ready at {service.get('url')}", json.dumps(service)[:400])
        check(state.get("activeModelState") == "Loaded" and state.get("transitionStatus") == "UpToDate",
              "the Serving route shows the model Loaded, UpToDate", json.dumps(state))
        check(service.get("predictor", {}).get("storageUri") == storage_uri,
              "it serves the registered version's artifacts", f"{service.get('predictor', {}).get('storageUri')} != {storage_uri}")

    # The lineage route: the registered version's story, from the run's data to the service.
    if version:
        status, lineage = http("GET", f"{api}/lineage?model={urllib.parse.quote(name)}&version={version}", args.token)
        Path(args.out, "lineage.json").write_text(json.dumps(lineage, indent=2))
        if check(status == 200 and isinstance(lineage, dict), f"the lineage route answers for {name} v{version}",
                 f"HTTP {status} {str(lineage)[:300]}"):
            nodes = {n["id"]: n for n in lineage.get("nodes", [])}
            kinds = {n["kind"] for n in nodes.values()}
            for kind in ("data", "workflow", "run", "modelVersion", "inferenceService"):
                check(kind in kinds, f"the lineage has a {kind} node", f"kinds {sorted(kinds)}")
            workflow_labels = [n["label"] for n in nodes.values() if n["kind"] == "workflow"]
            check(any(run in label for label in workflow_labels), f"its workflow node is the run {run}", str(workflow_labels))
            served = [(e["from"], e["to"]) for e in lineage.get("edges", [])
                      if nodes.get(e["from"], {}).get("kind") == "modelVersion"
                      and nodes.get(e["to"], {}).get("kind") == "inferenceService"]
            check(bool(served), f"version {version} links to the InferenceService that serves it",
                  json.dumps(lineage.get("edges"))[:400])
            if args.data_hash:
                hashes = [f.get("value") for n in nodes.values() if n["kind"] == "data"
                          for f in n.get("fields", []) if f.get("label") == "DVC data hash"]
                check(hashes == [args.data_hash], f"the lineage's data is DVC's {args.data_hash}", str(hashes))
            gaps = lineage.get("gaps", [])
            for gap in gaps:
                print(f"     lineage gap: {gap.get('reason')}: {gap.get('message')}", flush=True)
            check(gaps == [], "no gap in the lineage: data, commit, workflow, run, version, service all linked",
                  json.dumps(gaps)[:400])


def failing(args) -> None:
    """The pipeline submitted while its S3 credentials are wrong (test-golden-path.sh broke the
    project's Secret): the run Failed at pull-data, whose node says its exit code and whose real
    log (read through the logs route) says DVC's reason; nothing after it ran."""
    api = entity_api(args.base, args.entity)
    name = args.entity.split("/", 1)[1]
    submitted = submit_and_follow(args, api, f"{name}-pipeline", "failed-workflow.json")
    if submitted is None:
        return
    run, workflow = submitted
    Path(args.out, "failed-run").write_text(run)
    check(workflow.get("phase") == "Failed", f"the run {run} Failed", f"{workflow.get('phase')}: {workflow.get('message')}")
    pods = {n["displayName"]: n for n in workflow.get("nodes", []) if n.get("type") == "Pod"}
    node = pods.get("pull-data")
    if not check(node is not None and node["phase"] == "Failed" and "exit code" in (node.get("message") or ""),
                 f"step pull-data: Failed, with its exit code ({(node or {}).get('message')})",
                 json.dumps(node)[:300] if node else "no such node"):
        return
    check(sorted(pods) == ["pull-data"], "no step after pull-data ran", str(sorted(pods)))
    status, body = step_logs(args, api, run, node)
    text = body.get("text", "") if isinstance(body, dict) else ""
    Path(args.out, "logs-failed-pull-data.txt").write_text(text)
    errors = [line for line in text.splitlines() if line.startswith("ERROR")]
    for line in errors:
        print(f"       | {line}", flush=True)
    # The reason must be the wrong key (S3 answers 403), not any other failure of the step.
    refused = [line for line in errors if "403" in line or "Forbidden" in line or "SignatureDoesNotMatch" in line]
    check(status == 200 and bool(refused), "its logs, read through the logs route, say DVC's error: S3 refused the key (403)",
          text[-600:])


SERVING_TIMEOUT_S = 600


def service_of(base: str, entity: str, token: str, name: str) -> tuple[int, dict | None]:
    status, services = http("GET", f"{entity_api(base, entity)}/kserve/inference-services", token)
    items = services.get("services", []) if isinstance(services, dict) else []
    return status, next((s for s in items if s.get("name") == name), None)


def follow_service(args, name: str, what: str, done) -> dict | None:
    """Polls the Serving route until done(service) holds; prints what changes."""
    started, last, service = time.monotonic(), "", None
    while time.monotonic() - started < SERVING_TIMEOUT_S:
        status, service = service_of(args.base, args.entity, args.token, name)
        if status != 200 or service is None:
            check(False, f"the Serving route lists {name}", f"HTTP {status}")
            return None
        shown = json.dumps({"ready": service.get("ready"), "canaries": [
            {k: c.get(k) for k in ("name", "trafficPercent", "ready")} for c in service.get("canaries", [])],
            "served": (service.get("servedModel") or {}).get("version"),
            "canary": (service.get("canaryModel") or {}).get("version")})
        if shown != last:
            print(f"     {time.monotonic() - started:6.0f} s  {shown}", flush=True)
            last = shown
        if done(service):
            print(f"TIMING {time.monotonic() - started:.1f} {what}", flush=True)
            return service
        time.sleep(3)
    check(False, what, f"not within {SERVING_TIMEOUT_S} s: {json.dumps(service)[:600]}")
    return None


def canary(args) -> None:
    name = args.entity.split("/", 1)[1]
    mlflow = os.environ.get("MLSTACK_MLFLOW_URL") or sys.exit("MLSTACK_MLFLOW_URL is not set")
    status, got = http("GET", f"{mlflow}/api/2.0/mlflow/model-versions/get?name={urllib.parse.quote(name)}&version=1")
    if not check(status == 200, f"MLflow has {name} v1", f"HTTP {status} {str(got)[:300]}"):
        return
    v1 = got["model_version"]
    # The runner-up: the pipeline trained two candidates and registered the better one as v1;
    # the other's logged model (another run, other artifacts) becomes v2, as a user registering
    # it from MLflow's UI would.
    status, run = http("GET", f"{mlflow}/api/2.0/mlflow/runs/get?run_id={v1.get('run_id', '')}")
    if not check(status == 200, f"MLflow has v1's run {v1.get('run_id')}", f"HTTP {status} {str(run)[:300]}"):
        return
    experiment = run["run"]["info"]["experiment_id"]
    status, found = http("POST", f"{mlflow}/api/2.0/mlflow/logged-models/search", None,
                         {"experiment_ids": [experiment], "max_results": 50})
    v1_model = v1.get("model_id") or v1["source"].removeprefix("models:/")
    others = [m["info"] for m in (found or {}).get("models", []) if m["info"]["model_id"] != v1_model]
    if not check(status == 200 and bool(others), "the pipeline logged a second candidate model besides v1's",
                 f"HTTP {status} {str(found)[:300]}"):
        return
    runner_up = others[0]
    body = {"name": name, "source": f"models:/{runner_up['model_id']}", "model_id": runner_up["model_id"],
            "run_id": runner_up.get("source_run_id", "")}
    status, made = http("POST", f"{mlflow}/api/2.0/mlflow/model-versions/create", None, body)
    if not check(status == 200, f"MLflow registers a second version of {name}", f"HTTP {status} {str(made)[:300]}"):
        return
    version = made["model_version"]["version"]
    Path(args.out, "canary-version").write_text(version)
    # The model version must be READY before a deploy resolves it.
    for _ in range(60):
        status, got = http("GET", f"{mlflow}/api/2.0/mlflow/model-versions/get?name={urllib.parse.quote(name)}&version={version}")
        if status == 200 and got["model_version"].get("status") == "READY":
            break
        time.sleep(1)
    deploy = {"source": {"type": "modelVersion", "modelName": name, "version": version},
              "target": {"cluster": "default", "namespace": args.namespace},
              "serviceName": name, "mode": "Standard", "canaryTrafficPercent": 20}
    status, answer = http("POST", f"{entity_api(args.base, args.entity)}/kserve/deploy", args.token, deploy)
    Path(args.out, "canary-deploy.json").write_text(json.dumps(answer, indent=2))
    if not check(status == 201 and isinstance(answer, dict), f"the Serving route deploys {name} v{version} as a 20 % canary",
                 f"HTTP {status} {str(answer)[:500]}"):
        return

    # KServe v0.20 reports a Standard-mode canary's readiness (status.canaryStatuses[].ready, the
    # CanaryPredictorReady condition) but no model states for it: the prediction the test script
    # asks of the canary's pod next shows its model loaded.
    def canary_ready(service: dict) -> bool:
        canaries = service.get("canaries", [])
        return bool(canaries) and canaries[0].get("ready") is True

    service = follow_service(args, name, "the canary's predictor Ready", canary_ready)
    if service is None:
        return
    Path(args.out, "service-canary.json").write_text(json.dumps(service, indent=2))
    first = service["canaries"][0]
    check(first.get("trafficPercent") == 20, "the Serving route shows the canary's 20 % share", json.dumps(first)[:300])
    check((service.get("canaryModel") or {}).get("version") == version,
          f"the Serving route shows the canary serving v{version}", json.dumps(service.get("canaryModel")))
    check(service.get("ready") is True, "the service stays Ready beside its canary", json.dumps(service.get("conditions"))[:400])
    print(f"     canary {first.get('name')}", flush=True)
    Path(args.out, "canary-name").write_text(first.get("name", ""))


def promote(args) -> None:
    name = args.entity.split("/", 1)[1]
    version = Path(args.out, "canary-version").read_text()
    status, service = service_of(args.base, args.entity, args.token, name)
    if not check(status == 200 and service is not None, f"the Serving route lists {name}", f"HTTP {status}"):
        return
    status, answer = http("POST", f"{entity_api(args.base, args.entity)}/kserve/inference-services/{name}/promote",
                          args.token, {"resourceVersion": service.get("resourceVersion")})
    if not check(status == 200, f"the Serving route promotes the canary of {name}", f"HTTP {status} {str(answer)[:500]}"):
        return

    def promoted(service: dict) -> bool:
        state = service.get("modelState") or {}
        # (KServe v0.20 leaves a Standard service's observedGeneration behind: the test script
        # then waits for the Deployments to show the promotion)
        return not service.get("canaries") and service.get("ready") is True and \
            (service.get("servedModel") or {}).get("version") == version and \
            state.get("activeModelState") == "Loaded" and state.get("transitionStatus") == "UpToDate"

    # KServe's status here may still be the one from before the promotion (a Standard service's
    # observedGeneration is its Deployment's): the test script checks the promoted Deployment,
    # its rollout and the artifacts its pod serves.
    service = follow_service(args, name, f"the Serving route records v{version} as serving all traffic, no canary",
                             promoted)
    if service is not None:
        Path(args.out, "service-promoted.json").write_text(json.dumps(service, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["task", "pipeline", "failing", "canary", "promote"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--values")
    parser.add_argument("--entity")
    parser.add_argument("--namespace")
    parser.add_argument("--data-hash", help="pipeline: the md5 dvc.lock records for data/prepared")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    args.token = os.environ.get("MLSTACK_PORTAL_TOKEN") or sys.exit("MLSTACK_PORTAL_TOKEN is not set")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    {"task": task, "pipeline": pipeline, "failing": failing, "canary": canary, "promote": promote}[args.command](args)
    sys.exit(len(FAILURES))


if __name__ == "__main__":
    main()
