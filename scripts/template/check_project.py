"""Assertions on a project generated from templates/ml-project (called by test-template.sh).

  check_project.py rendered DIR --name N --namespace NS --framework F --schema dvcyaml-schema.json
      the rendered files: complete, no template leftovers, no credential, one namespace
      spelling, catalog annotations, dvc.yaml against its JSON schema, the deploy step's
      InferenceService in step with kserve/inference-service.yaml. Writes DIR/../<name>-deploy-isvc.yaml
      (the deploy step's manifest with sample parameters) for the API server to validate.
  check_project.py mlflow DIR --name N [--commit C]  after `dvc repro`: runs, lineage, champion
  check_project.py register-twice DIR --name N   runs `register` twice: no new version
  check_project.py dvc-remote DIR --bucket B --prefix P   the pushed objects are in the bucket
  check_project.py dataset-input DIR --name N --bucket B --prefix P   after `dvc push`: each run's
      MLflow dataset input (REST runs/get): digest = its DVC data-hash tag, source = the DVC
      remote's object, and that object in the bucket

Each failed check prints `FAIL <what>: <why>`; the exit status is the number of failures.
Needs PyYAML and jsonschema (rendered), mlflow and boto3 (the others).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

FAILURES: list[str] = []


def check(ok: bool, what: str, why: str = "") -> bool:
    if ok:
        print(f"ok   {what}")
    else:
        FAILURES.append(what)
        print(f"FAIL {what}{': ' + why if why else ''}")
    return ok


# Annotations of plugins/mlops-common/src/annotations.ts the entity must carry.
ANNOTATIONS = [
    "mlflow.org/experiment-name",
    "mlflow.org/registered-model-name",
    "mlflow.org/instance",
    "argoworkflows.argoproj.io/workflow-selector",
    "mlstack.io/argo-workflow-template",
    "mlstack.io/kserve-inference-service",
    "backstage.io/kubernetes-namespace",
    "mlstack.io/kubernetes-cluster",
]


def load_all(path: Path) -> list[dict]:
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def rendered(args) -> None:
    root = Path(args.dir)
    pkg = args.name.replace("-", "_")
    expected = [
        "README.md", ".gitignore", ".dockerignore", ".dvcignore", ".dvc/config", ".dvc/.gitignore",
        "Dockerfile", "params.yaml", "dvc.yaml", "requirements.txt", "pyproject.toml",
        "catalog-info.yaml", "argo/workflow-template.yaml", "argo/run.yaml",
        "argo/pipeline-rbac.yaml", "argo/artifact-repository.yaml",
        "kserve/inference-service.yaml", "tests/conftest.py", "tests/test_prepare.py",
        "tests/test_train.py", "tests/test_register.py", "tests/test_lineage.py",
    ] + [f"src/{pkg}/{m}.py" for m in
         ("__init__", "config", "prepare", "model", "train", "evaluate", "register", "lineage")]
    missing = [p for p in expected if not (root / p).is_file()]
    check(not missing, "every skeleton file is rendered", f"missing {missing}")

    files = [p for p in root.rglob("*") if p.is_file() and ".git/" not in str(p)]
    leftovers = [str(p.relative_to(root)) for p in files
                 if re.search(r"\$\{\{|\{%|%\}|\{#", p.read_text(errors="replace"))]
    check(not leftovers, "no template syntax left in the rendered files", f"in {leftovers}")

    secrets = [s for s in (os.environ.get("AWS_SECRET_ACCESS_KEY"), os.environ.get("AWS_ACCESS_KEY_ID"),
                           *args.secret) if s]
    leaked = [str(p.relative_to(root)) for p in files for s in secrets if s in p.read_text(errors="replace")]
    check(bool(secrets) and not leaked, f"none of the {len(secrets)} harness credentials is in the rendered files",
          f"found in {leaked}" if leaked else "no credential to look for")
    check(not (root / ".dvc/config.local").exists(), "no .dvc/config.local in the repository")

    # One namespace spelling: every object's namespace and the entity's annotation.
    docs = {p: load_all(root / p) for p in
            ("argo/workflow-template.yaml", "argo/run.yaml", "kserve/inference-service.yaml",
             "argo/pipeline-rbac.yaml", "argo/artifact-repository.yaml")}
    wft = docs["argo/workflow-template.yaml"][0]
    deploy = next(t for t in wft["spec"]["templates"] if t["name"] == "deploy")
    deploy_isvc = yaml.safe_load(deploy["resource"]["manifest"])
    namespaces = {d["metadata"].get("namespace") for ds in docs.values() for d in ds}
    namespaces.add(deploy_isvc["metadata"].get("namespace"))
    entity = load_all(root / "catalog-info.yaml")[0]
    annotations = entity["metadata"]["annotations"]
    namespaces.add(annotations.get("backstage.io/kubernetes-namespace"))
    check(namespaces == {args.namespace}, "one namespace spelling everywhere", f"saw {sorted(map(str, namespaces))}")
    # Every place a namespace is named, in any file: YAML keys, kubectl flags, service DNS names
    # of the project's own objects (MLflow's and MinIO's services live in their namespaces).
    all_text = "\n".join(p.read_text(errors="replace") for p in files)
    named = set(re.findall(r"namespace:\s*['\"]?([a-z0-9-]+)", all_text))
    named |= set(re.findall(r"(?:\s-n|--namespace[= ])\s*([a-z0-9-]+)", all_text))
    named |= {m for m in re.findall(r"\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?", all_text)
              if m not in ("mlflow", "minio")}
    check(named == {args.namespace}, "every namespace named in any file is the form's",
          f"saw {sorted(named)}")

    absent = [a for a in ANNOTATIONS if not annotations.get(a)]
    check(not absent, "catalog-info.yaml carries every MLStack annotation", f"missing {absent}")
    check(entity["spec"]["type"] == "ml-project" and entity["metadata"]["name"] == args.name,
          "the entity is a Component of type ml-project named after the project")
    selector = annotations.get("argoworkflows.argoproj.io/workflow-selector", "")
    key, _, value = selector.partition("=")
    check(wft["spec"].get("workflowMetadata", {}).get("labels", {}).get(key) == value,
          "workflows from the template carry the label of the entity's workflow-selector", selector)
    check(annotations.get("mlstack.io/argo-workflow-template") == wft["metadata"]["name"],
          "the entity names the WorkflowTemplate")
    isvc = docs["kserve/inference-service.yaml"][0]
    check(annotations.get("mlstack.io/kserve-inference-service") == isvc["metadata"]["name"] == deploy_isvc["metadata"]["name"],
          "the entity, the deploy step and kserve/ name the same InferenceService")

    # What a portal user may set when submitting the WorkflowTemplate: never the image; every
    # other parameter pinned to its own value (each pattern matches it whole, and nothing else:
    # a dot is a dot).
    raw = (wft["metadata"].get("annotations") or {}).get("mlstack.io/submittable-parameters", "")
    try:
        submittable = json.loads(raw)
    except ValueError as e:
        submittable = {}
        check(False, "the mlstack.io/submittable-parameters annotation is a JSON object", str(e))
    params = {p["name"]: p.get("value") for p in wft["spec"]["arguments"]["parameters"]}
    check("image" in params and "image" not in submittable,
          "the image parameter is not submittable from the portal", raw)
    check(set(submittable) == set(params) - {"image"},
          "every other parameter is listed in mlstack.io/submittable-parameters", f"{sorted(submittable)} vs {sorted(params)}")
    for name, pattern in submittable.items():
        value = str(params.get(name))
        tampered = [value + "x", "x" + value, value.replace(".", "x", 1) if "." in value else value + "/"]
        check(bool(re.fullmatch(pattern, value)) and not any(re.fullmatch(pattern, t) for t in tampered)
              and pattern.startswith("^") and pattern.endswith("$"),
              f"the pattern of {name} accepts its value {value!r} only", pattern)

    # Credentials only through secretKeyRef.
    envs = [e for t in wft["spec"]["templates"] for e in (t.get("container") or {}).get("env", [])]
    aws = [e for e in envs if e["name"].startswith("AWS_")]
    check(aws and all("valueFrom" in e and "secretKeyRef" in e["valueFrom"] and "value" not in e for e in aws),
          "S3 credentials reach the steps only through secretKeyRef")

    # The deploy step: idempotent apply, waits for the model, passes the registration's outputs.
    resource = deploy["resource"]
    check(resource["action"] == "apply" and "successCondition" in resource and "failureCondition" in resource,
          "deploy applies (not creates) and waits with success/failure conditions")
    check("--server-side" in resource.get("flags", []),
          "deploy applies server-side (a PATCH naming the object: the role can limit create by name)",
          str(resource.get("flags")))

    check_project_objects(args, wft, deploy, docs["argo/pipeline-rbac.yaml"], docs["argo/artifact-repository.yaml"])
    step_args = {p["name"]: p["value"] for s in wft["spec"]["templates"][0]["steps"] for st in s
                 if st["name"] == "deploy" for p in st["arguments"]["parameters"]}
    check(set(step_args) == {"model-name", "model-version", "model-format", "storage-uri"}
          and all("select-and-register.outputs.parameters" in v for v in step_args.values()),
          "deploy gets model name, version, format and storage URI from select-and-register")

    # The deploy step's InferenceService and kserve/inference-service.yaml agree.
    def comparable(obj: dict) -> dict:
        o = json.loads(json.dumps(obj))
        o["metadata"].pop("annotations", None)
        o["spec"]["predictor"]["model"].pop("storageUri", None)
        o["spec"]["predictor"]["model"]["modelFormat"].pop("name", None)
        return o
    check(comparable(isvc) == comparable(deploy_isvc),
          "the deploy step's InferenceService matches kserve/inference-service.yaml")
    check(isvc["metadata"]["annotations"].get("serving.kserve.io/deploymentMode")
          == deploy_isvc["metadata"]["annotations"].get("serving.kserve.io/deploymentMode") == args.deployment_mode,
          f"deployment mode annotation is {args.deployment_mode}")
    name = isvc["metadata"]["name"]
    check(all(o["metadata"]["annotations"].get("mlstack.io/entity-ref") == f"component:default/{name}"
              and o["metadata"]["labels"].get("backstage.io/kubernetes-id") == name for o in (isvc, deploy_isvc)),
          "both InferenceServices carry the marks a portal deploy sets (mlstack.io/entity-ref, backstage.io/kubernetes-id)")
    fmt = "mlflow" if args.framework == "pytorch" else "sklearn"
    check(isvc["spec"]["predictor"]["model"]["modelFormat"]["name"] == fmt, f"model format is {fmt}")
    sample = json.dumps(deploy_isvc)
    for key, value in {"model-name": args.name, "model-version": "1", "model-format": fmt,
                       "storage-uri": "s3://mlflow-artifacts/1/models/m-0123/artifacts"}.items():
        sample = sample.replace("{{inputs.parameters.%s}}" % key, value)
    sample = sample.replace("{{workflow.name}}", f"{args.name}-pipeline-abcde")
    check("{{" not in sample, "the deploy manifest uses only the step's inputs and the workflow name")
    (root.parent / f"{root.name}-deploy-isvc.yaml").write_text(yaml.safe_dump(json.loads(sample)))

    # dvc.yaml: its JSON schema, and a stage chain prepare -> train -> evaluate -> register.
    import jsonschema

    with open(args.schema) as f:
        schema = json.load(f)
    dvc = load_all(root / "dvc.yaml")[0]
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(dvc)]
    check(not errors, "dvc.yaml is valid against dvcyaml-schema.json", "; ".join(errors[:3]))
    check(list(dvc["stages"]) == ["prepare", "train", "evaluate", "register"], "dvc.yaml stages in order")
    dvc_config = (root / ".dvc/config").read_text()
    check(f"url = s3://{args.bucket}/{args.prefix}" in dvc_config and f"endpointurl = {args.endpoint}" in dvc_config,
          "the DVC remote is the form's bucket, prefix and endpoint", dvc_config)
    check(not re.search(r"access_key_id|secret_access_key\s*=", dvc_config.split("#")[0]),
          "no credential key in .dvc/config")
    reqs = [l for l in (root / "requirements.txt").read_text().splitlines() if l and not l.startswith("#")]
    check(all("==" in l for l in reqs), "every requirement is pinned", str([l for l in reqs if "==" not in l]))
    check(("torch==" in "\n".join(reqs)) == (args.framework == "pytorch"), "torch only for the pytorch framework")


def check_project_objects(args, wft: dict, deploy: dict, rbac: list[dict], repository: list[dict]) -> None:
    """The project's own service accounts, roles, bindings and artifact repository: named after
    it, used by the WorkflowTemplate, granting no more than the pipeline needs."""
    name = args.name
    objects = rbac + repository
    check(all(o["metadata"]["name"].startswith(f"{name}-") for o in objects),
          f"every object of argo/pipeline-rbac.yaml and argo/artifact-repository.yaml is named {name}-...",
          str([o["metadata"]["name"] for o in objects]))
    sas = {o["metadata"]["name"] for o in rbac if o["kind"] == "ServiceAccount"}
    runner, deployer = wft["spec"].get("serviceAccountName"), deploy.get("serviceAccountName")
    check(sas == {f"{name}-pipeline", f"{name}-deployer"} and runner == f"{name}-pipeline" and deployer == f"{name}-deployer",
          f"the steps run as {name}-pipeline, deploy as {name}-deployer, both made by argo/pipeline-rbac.yaml",
          f"service accounts {sorted(sas)}, steps {runner}, deploy {deployer}")
    other_sas = [t["name"] for t in wft["spec"]["templates"] if t.get("serviceAccountName") not in (None, deployer)]
    check(not other_sas, "no other step names a service account", str(other_sas))
    roles = {o["metadata"]["name"]: o for o in rbac if o["kind"] == "Role"}
    bindings = [o for o in rbac if o["kind"] == "RoleBinding"]
    granted: dict[str, list[dict]] = {}
    for b in bindings:
        ref = b["roleRef"]
        check(ref["kind"] == "Role" and ref["name"] in roles,
              f"RoleBinding {b['metadata']['name']} binds a Role of the file", str(ref))
        for sub in b.get("subjects", []):
            check(sub["kind"] == "ServiceAccount" and sub["name"] in sas and sub.get("namespace") == args.namespace,
                  f"RoleBinding {b['metadata']['name']} binds {sub['name']}, a service account of the project", str(sub))
            granted.setdefault(sub["name"], []).extend(roles.get(ref["name"], {}).get("rules", []))

    def rules_of(sa: str) -> set[tuple]:
        return {(g, r, v, tuple(rule.get("resourceNames") or ())) for rule in granted.get(sa, [])
                for g in rule["apiGroups"] for r in rule["resources"] for v in rule["verbs"]}

    executor = {("argoproj.io", "workflowtaskresults", v, ()) for v in ("create", "patch")}
    isvc = {("serving.kserve.io", "inferenceservices", v, (name,)) for v in ("get", "list", "watch", "create", "patch")}
    check(rules_of(f"{name}-pipeline") == executor,
          f"{name}-pipeline may only create and patch workflowtaskresults", str(sorted(rules_of(f"{name}-pipeline"))))
    check(rules_of(f"{name}-deployer") == executor | isvc,
          f"{name}-deployer may also get/list/watch/create/patch the InferenceService {name} only (resourceNames), never delete",
          str(sorted(rules_of(f"{name}-deployer"))))

    ref = wft["spec"].get("artifactRepositoryRef") or {}
    cms = {o["metadata"]["name"]: o for o in repository if o["kind"] == "ConfigMap"}
    cm = cms.get(ref.get("configMap"))
    if not check(cm is not None and ref.get("key") in cm.get("data", {}),
                 f"the WorkflowTemplate's artifactRepositoryRef names the ConfigMap {name}-artifact-repository and its key",
                 f"ref {ref}, ConfigMaps {sorted(cms)}"):
        return
    repo = yaml.safe_load(cm["data"][ref["key"]])
    s3 = repo.get("s3", {})
    endpoint = args.endpoint.split("://", 1)[1].split("/", 1)[0]
    secret = f"{name}-s3"
    check(s3.get("bucket") == "argo-artifacts" and s3.get("endpoint") == endpoint
          and s3.get("insecure") is args.endpoint.startswith("http://"),
          f"the artifact repository is s3://argo-artifacts at {endpoint} (insecure: {args.endpoint.startswith('http://')})",
          json.dumps(s3))
    check(s3.get("accessKeySecret") == {"name": secret, "key": "AWS_ACCESS_KEY_ID"}
          and s3.get("secretKeySecret") == {"name": secret, "key": "AWS_SECRET_ACCESS_KEY"},
          f"the artifact repository's credentials are the Secret {secret}'s",
          json.dumps({k: s3.get(k) for k in ("accessKeySecret", "secretKeySecret")}))
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for t in wft["spec"]["templates"]
            for e in (t.get("container") or {}).get("env", []) if "secretKeyRef" in e.get("valueFrom", {})}
    check(refs == {secret}, f"the steps read the same Secret {secret}", str(sorted(refs)))


def mlflow_client():
    from mlflow import MlflowClient

    return MlflowClient()


def check_mlflow(args) -> None:
    root = Path(args.dir)
    client = mlflow_client()
    experiment = client.get_experiment_by_name(args.name)
    if not check(experiment is not None, f"MLflow experiment {args.name} exists"):
        return
    runs = client.search_runs([experiment.experiment_id])
    params = yaml.safe_load((root / "params.yaml").read_text())
    n = len(params["train"]["candidates"])
    check(len(runs) == n and all(r.info.status == "FINISHED" for r in runs), f"{n} finished runs, one per candidate",
          f"{[(r.info.run_id, r.info.status) for r in runs]}")
    lock = yaml.safe_load((root / "dvc.lock").read_text())
    data_hash = next(o["md5"] for o in lock["stages"]["prepare"]["outs"] if o["path"] == "data/prepared")
    commit = args.commit or subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                           text=True).stdout.strip()
    for r in runs:
        tags = r.data.tags
        check(tags.get("mlstack.io/argo-workflow") == "local"
              and tags.get("mlflow.source.git.commit") == commit
              and tags.get("mlstack.io/dvc-data-hash") == data_hash,
              f"run {r.info.run_id} carries the lineage tags (workflow, commit {commit[:8]}, data {data_hash})",
              json.dumps({k: v for k, v in tags.items() if k.startswith(("mlstack", "mlflow.source.git"))}))
        steps = client.get_metric_history(r.info.run_id, "val_roc_auc")
        check(len(steps) > 1, f"run {r.info.run_id} has val_roc_auc per step ({len(steps)} steps)")
        check("test_roc_auc" in r.data.metrics, f"run {r.info.run_id} has its test metrics")
        check(bool(r.inputs.dataset_inputs), f"run {r.info.run_id} records its training dataset")
    # The versions went into the registered model the portal's task claimed for the owner
    # (mlops:mlflow:create-registered-model): register_model keeps its tags.
    if args.owner:
        model = client.get_registered_model(args.name)
        check(model.tags.get("mlstack.io/owner") == args.owner,
              f"registered model {args.name} is still tagged mlstack.io/owner={args.owner} after dvc repro registered into it",
              json.dumps(model.tags))
    champion = client.get_model_version_by_alias(args.name, "champion")
    check(champion.status == "READY" and champion.source.startswith("models:/m-"),
          f"registered model {args.name} version {champion.version} has the alias champion (source {champion.source})")
    registration = json.loads((root / "reports/registration.json").read_text())
    check(registration["model-version"] == champion.version and registration["model-name"] == args.name,
          "reports/registration.json names the champion", json.dumps(registration))
    check(registration["storage-uri"].startswith("s3://mlflow-artifacts/"),
          "the storage URI is an s3:// folder for KServe", registration["storage-uri"])
    print("MLFLOW " + json.dumps({"experiment_id": experiment.experiment_id, "runs": [r.info.run_id for r in runs],
                                  "champion": {"version": champion.version, "source": champion.source,
                                               "run_id": champion.run_id},
                                  "storage_uri": registration["storage-uri"]}))
    # The storage URI holds exactly one model file, what KServe's server loads.
    bucket, _, prefix = registration["storage-uri"][len("s3://"):].partition("/")
    keys = list_keys(bucket, prefix)
    model_files = [k for k in keys if k.endswith((".pkl", ".joblib", ".pickle", ".pth", ".pt"))]
    check(len(model_files) == 1 and any(k.endswith("/MLmodel") for k in keys),
          f"{registration['storage-uri']} holds MLmodel and exactly one model file", str(keys))
    print("S3 " + json.dumps(sorted(k[len(prefix):] for k in keys)))


def register_twice(args) -> None:
    root = Path(args.dir)
    client = mlflow_client()
    before = sorted(v.version for v in client.search_model_versions(f"name='{args.name}'"))
    pkg = args.name.replace("-", "_")
    for attempt in (1, 2):
        out = subprocess.run([sys.executable, "-m", f"{pkg}.register"], cwd=root, capture_output=True, text=True)
        if not check(out.returncode == 0, f"register run {attempt} exits 0", out.stderr[-2000:]):
            return
        result = json.loads(out.stdout[out.stdout.index("{"):])
        check(result["registered"] == "false", f"register run {attempt} registers nothing new: {result['reason']}")
    after = sorted(v.version for v in client.search_model_versions(f"name='{args.name}'"))
    check(after == before, f"no duplicate version (versions {after})", f"before {before}")


def list_keys(bucket: str, prefix: str) -> list[str]:
    import boto3

    s3 = boto3.client("s3", endpoint_url=os.environ["MLSTACK_S3_ENDPOINT"])
    keys, token = [], None
    while True:
        kw = {"Bucket": bucket, "Prefix": prefix, **({"ContinuationToken": token} if token else {})}
        page = s3.list_objects_v2(**kw)
        keys += [o["Key"] for o in page.get("Contents", [])]
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


def dvc_remote(args) -> None:
    root = Path(args.dir)
    lock = yaml.safe_load((root / "dvc.lock").read_text())
    out = next(o for o in lock["stages"]["prepare"]["outs"] if o["path"] == "data/prepared")
    keys = list_keys(args.bucket, args.prefix.rstrip("/") + "/")
    digest = out["md5"].removesuffix(".dir")
    dir_key = f"{args.prefix}/files/md5/{digest[:2]}/{digest[2:]}.dir"
    check(dir_key in keys, f"the data/prepared listing {dir_key} is in s3://{args.bucket}", str(keys[:10]))
    check(len(keys) >= out["nfiles"] + 1, f"{out['nfiles']} data files + the listing pushed ({len(keys)} objects)")
    print("DVC " + json.dumps(sorted(keys)))


def mlflow_rest(method: str, path: str, body: dict | None = None) -> dict:
    """The MLflow tracking server's REST API (MLFLOW_TRACKING_URI), as the portal reads it."""
    import urllib.request

    url = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + path
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def dataset_input(args) -> None:
    """After `dvc repro` and `dvc push`: every run's MLflow training dataset input is
    data/prepared, its digest the run's mlstack.io/dvc-data-hash tag (dvc.lock's hash), its source
    the DVC remote's object for that hash; its test-set input is test.csv's own DVC object; the
    .dir object is in the bucket and lists the files of data/prepared with their md5s, each of
    them in the bucket too. Read from the REST API (GET /api/2.0/mlflow/runs/get)."""
    import hashlib
    from urllib.parse import quote

    import boto3

    root = Path(args.dir)
    lock = yaml.safe_load((root / "dvc.lock").read_text())
    data_hash = next(o["md5"] for o in lock["stages"]["prepare"]["outs"] if o["path"] == "data/prepared")
    prefix = args.prefix.strip("/")
    # DVC 3's remote layout, written out here (the project computes it with DVC's own classes).
    key = f"{prefix}/files/md5/{data_hash[:2]}/{data_hash[2:]}"
    expected_source = f"s3://{args.bucket}/{key}"
    experiment = mlflow_rest("GET", f"/api/2.0/mlflow/experiments/get-by-name?experiment_name={quote(args.name)}")
    runs = mlflow_rest("POST", "/api/2.0/mlflow/runs/search",
                       {"experiment_ids": [experiment["experiment"]["experiment_id"]], "max_results": 100}).get("runs", [])
    check(len(runs) > 0, f"runs of experiment {args.name} found through the REST API")
    train_rows = sum(1 for _ in open(root / "data/prepared/train.csv")) - 1
    # DVC 3's md5 of a file is the md5 of its bytes: the .dir listing below must name these.
    local = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in (root / "data/prepared").iterdir()}
    for summary in runs:
        run_id = summary["info"]["run_id"]
        run = mlflow_rest("GET", f"/api/2.0/mlflow/runs/get?run_id={run_id}")["run"]
        tags = {t["key"]: t["value"] for t in run["data"].get("tags", [])}
        inputs = run.get("inputs", {}).get("dataset_inputs", [])
        training = [i for i in inputs if {"key": "mlflow.data.context", "value": "training"} in i.get("tags", [])]
        if not check(len(training) == 1, f"run {run_id}: one dataset input with context training in runs/get",
                     json.dumps(inputs)[:800]):
            continue
        dataset = training[0]["dataset"]
        input_tags = {t["key"]: t["value"] for t in training[0].get("tags", [])}
        source = json.loads(dataset["source"])
        check(dataset["digest"] == tags.get("mlstack.io/dvc-data-hash") == data_hash,
              f"run {run_id}: dataset digest == its mlstack.io/dvc-data-hash tag == dvc.lock's {data_hash}",
              json.dumps({"digest": dataset["digest"], "tag": tags.get("mlstack.io/dvc-data-hash")}))
        check(dataset["source_type"] == "s3" and source == {"uri": expected_source},
              f"run {run_id}: dataset source is the DVC remote's object {expected_source}",
              json.dumps({"source_type": dataset["source_type"], "source": source}))
        check(dataset["name"] == "data/prepared" and input_tags.get("mlstack.io/dvc-file") == "data/prepared/train.csv",
              f"run {run_id}: dataset data/prepared, file data/prepared/train.csv",
              json.dumps({"name": dataset["name"], "tags": input_tags}))
        profile = json.loads(dataset.get("profile") or "{}")
        check(profile.get("num_rows") == train_rows and "mlflow_colspec" in json.loads(dataset.get("schema") or "{}"),
              f"run {run_id}: dataset schema and profile of train.csv ({train_rows} rows)", json.dumps(profile))
        print("DATASET " + json.dumps({"run_id": run_id, "name": dataset["name"], "digest": dataset["digest"],
                                       "source": source["uri"]}))
        # evaluate's test metrics name their dataset; MLflow 3 lists it among the inputs too.
        test = [i["dataset"] for i in inputs if i["dataset"]["name"] == "data/prepared/test.csv"]
        test_md5 = local["test.csv"]
        test_source = f"s3://{args.bucket}/{prefix}/files/md5/{test_md5[:2]}/{test_md5[2:]}"
        check(len(test) == 1 and test[0]["digest"] == test_md5 and json.loads(test[0]["source"]) == {"uri": test_source},
              f"run {run_id}: test-set input data/prepared/test.csv, digest {test_md5}, source {test_source}",
              json.dumps(test)[:800])
    # The object is really there: the folder's listing, naming files that are there too and are
    # the files trained and tested on.
    s3 = boto3.client("s3", endpoint_url=os.environ["MLSTACK_S3_ENDPOINT"])
    try:
        listing = json.loads(s3.get_object(Bucket=args.bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        check(False, f"{expected_source} exists in MinIO", "NoSuchKey")
        return
    check(True, f"{expected_source} exists in MinIO")
    listed = {e["relpath"]: e["md5"] for e in listing}
    check(listed == local, f"it lists data/prepared's files with their md5 ({', '.join(sorted(listed))})",
          json.dumps({"listed": listed, "local": local}))
    for relpath, md5 in sorted(listed.items()):
        file_key = f"{prefix}/files/md5/{md5[:2]}/{md5[2:]}"
        head = s3.head_object(Bucket=args.bucket, Key=file_key)
        check(head["ContentLength"] == (root / "data/prepared" / relpath).stat().st_size,
              f"{relpath} is in MinIO at s3://{args.bucket}/{file_key} ({head['ContentLength']} bytes)")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["rendered", "mlflow", "register-twice", "dvc-remote", "dataset-input"])
    p.add_argument("dir")
    p.add_argument("--name")
    p.add_argument("--namespace")
    p.add_argument("--framework", default="sklearn")
    p.add_argument("--deployment-mode", default="Standard")
    p.add_argument("--schema")
    p.add_argument("--bucket", default="dvc")
    p.add_argument("--prefix")
    p.add_argument("--endpoint", default="http://minio.minio.svc.cluster.local:9000")
    p.add_argument("--secret", action="append", default=[])
    p.add_argument("--owner", help="mlflow: the owner the registered model must be tagged with")
    p.add_argument("--commit", help="the commit the runs were trained from (default: HEAD)")
    args = p.parse_args()
    {"rendered": rendered, "mlflow": check_mlflow, "register-twice": register_twice, "dvc-remote": dvc_remote,
     "dataset-input": dataset_input}[args.what](args)
    sys.exit(len(FAILURES))


if __name__ == "__main__":
    main()
