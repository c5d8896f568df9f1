"""Trains the fraud detector, tracks it in MLflow and says where KServe finds the model.

The `train` step of the fraud-detector-train WorkflowTemplate. It runs in KServe's
scikit-learn server image, so the model file is written by the very scikit-learn build that
will load it when the model is served. That image has no MLflow client, so the script talks
to MLflow's REST API with the standard library:

* a run in the experiment EXPERIMENT_NAME with the hyper-parameters and test metrics;
* the model as `model/model.joblib`, uploaded through the tracking server's artifact proxy,
  so it lands in MinIO at ARTIFACTS_DESTINATION/<experiment id>/<run id>/artifacts/model/;
* a new version of the registered model MODEL_NAME whose source is that folder.

It writes, for Argo: OUTPUT_DIR/run-id, OUTPUT_DIR/model-version, OUTPUT_DIR/storage-uri
(the s3:// folder KServe's storage initializer downloads) and OUTPUT_DIR/metrics.json.

The data is synthetic (scikit-learn's make_classification, 3 % positives), so the pipeline
needs nothing but the cluster: no data download, no DVC checkout.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import joblib
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split

N_FEATURES = 8


class MlflowError(Exception):
    def __init__(self, status: int, body: str):
        super().__init__(f"MLflow answered HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body

    @property
    def error_code(self) -> str:
        try:
            return json.loads(self.body).get("error_code", "")
        except ValueError:
            return ""


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        sys.exit(f"train.py: the environment variable {name} is required")
    return value


TRACKING_URI = env("MLFLOW_TRACKING_URI").rstrip("/")


def request(method: str, path: str, body=None, data: bytes | None = None,
            content_type: str = "application/json") -> dict:
    url = TRACKING_URI + path
    if body is not None:
        data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            text = res.read().decode()
    except urllib.error.HTTPError as e:
        raise MlflowError(e.code, e.read().decode(errors="replace")) from None
    return json.loads(text) if text.strip() else {}


def api(method: str, endpoint: str, body=None) -> dict:
    return request(method, "/api/2.0/mlflow/" + endpoint, body=body)


def wait_for_mlflow(timeout_s: int = 180) -> None:
    deadline = time.time() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(TRACKING_URI + "/health", timeout=5):
                return
        except (urllib.error.URLError, OSError) as e:
            if time.time() > deadline:
                sys.exit(f"train.py: MLflow at {TRACKING_URI} did not answer: {e}")
            print(f"waiting for MLflow at {TRACKING_URI} ...", flush=True)
            time.sleep(5)


def experiment_id(name: str) -> str:
    query = urllib.parse.urlencode({"experiment_name": name})
    try:
        return api("GET", "experiments/get-by-name?" + query)["experiment"]["experiment_id"]
    except MlflowError as e:
        if e.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise
    try:
        return api("POST", "experiments/create", {"name": name})["experiment_id"]
    except MlflowError as e:  # created meanwhile by a concurrent run
        if e.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        return api("GET", "experiments/get-by-name?" + query)["experiment"]["experiment_id"]


def proxied_path(artifact_uri: str) -> str:
    """`mlflow-artifacts:/1/abc/artifacts` -> `1/abc/artifacts` (the proxy's path)."""
    parsed = urllib.parse.urlparse(artifact_uri)
    if parsed.scheme != "mlflow-artifacts":
        sys.exit(
            f"train.py: the run's artifact URI is {artifact_uri}; this pipeline needs an MLflow "
            "server started with --serve-artifacts (artifacts proxied to MinIO)"
        )
    return parsed.path.lstrip("/")


def upload(artifact_uri: str, relative: str, data: bytes) -> None:
    path = proxied_path(artifact_uri) + "/" + relative
    request("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + urllib.parse.quote(path),
            data=data, content_type="application/octet-stream")


def train(n_estimators: int, max_depth: int, seed: int):
    x, y = make_classification(
        n_samples=5000, n_features=N_FEATURES, n_informative=5, n_redundant=1,
        weights=[0.97], flip_y=0.01, class_sep=1.2, random_state=seed,
    )
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, stratify=y, random_state=seed)
    model = RandomForestClassifier(
        n_estimators=n_estimators, max_depth=max_depth, class_weight="balanced",
        random_state=seed, n_jobs=1,
    ).fit(x_train, y_train)
    predicted = model.predict(x_test)
    metrics = {
        "accuracy": accuracy_score(y_test, predicted),
        "precision": precision_score(y_test, predicted, zero_division=0),
        "recall": recall_score(y_test, predicted, zero_division=0),
        "f1": f1_score(y_test, predicted, zero_division=0),
        "roc_auc": roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]),
    }
    return model, {k: round(float(v), 6) for k, v in metrics.items()}, len(x_train)


def main() -> None:
    experiment_name = env("EXPERIMENT_NAME")
    model_name = env("MODEL_NAME")
    destination = env("ARTIFACTS_DESTINATION").rstrip("/")
    output_dir = env("OUTPUT_DIR")
    n_estimators = int(env("N_ESTIMATORS", "100"))
    max_depth = int(env("MAX_DEPTH", "6"))
    seed = int(env("SEED", "42"))
    run_name = os.environ.get("RUN_NAME") or f"train-{int(time.time())}"

    wait_for_mlflow()
    exp_id = experiment_id(experiment_name)
    now = int(time.time() * 1000)
    tags = [{"key": "mlflow.source.type", "value": "JOB"},
            {"key": "mlflow.source.name", "value": "deploy/minikube/pipelines/fraud-detector/train.py"}]
    if os.environ.get("WORKFLOW_NAME"):
        tags.append({"key": "argo.workflow", "value": os.environ["WORKFLOW_NAME"]})
    run = api("POST", "runs/create",
              {"experiment_id": exp_id, "run_name": run_name, "start_time": now, "tags": tags})["run"]
    run_id, artifact_uri = run["info"]["run_id"], run["info"]["artifact_uri"]
    print(f"MLflow run {run_id} in experiment {experiment_name!r} ({exp_id})", flush=True)

    try:
        model, metrics, n_train = train(n_estimators, max_depth, seed)
        params = {"model": "RandomForestClassifier", "n_estimators": n_estimators,
                  "max_depth": max_depth, "seed": seed, "n_features": N_FEATURES,
                  "n_train": n_train}
        ts = int(time.time() * 1000)
        api("POST", "runs/log-batch", {
            "run_id": run_id,
            "params": [{"key": k, "value": str(v)} for k, v in params.items()],
            "metrics": [{"key": k, "value": v, "timestamp": ts, "step": 0}
                        for k, v in metrics.items()],
        })

        buffer = io.BytesIO()
        joblib.dump(model, buffer)
        # Exactly one model file in the folder: KServe's sklearn server refuses several.
        upload(artifact_uri, "model/model.joblib", buffer.getvalue())
        upload(artifact_uri, "reports/metrics.json", json.dumps(metrics, indent=2).encode())
        storage_uri = f"{destination}/{proxied_path(artifact_uri)}/model"

        try:
            api("POST", "registered-models/create", {"name": model_name})
        except MlflowError as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        version = api("POST", "model-versions/create", {
            "name": model_name,
            "source": f"{artifact_uri}/model",
            "run_id": run_id,
            "tags": [{"key": "kserve.storage_uri", "value": storage_uri}],
        })["model_version"]["version"]
        api("POST", "runs/set-tag",
            {"run_id": run_id, "key": "kserve.storage_uri", "value": storage_uri})
        api("POST", "runs/update", {"run_id": run_id, "status": "FINISHED",
                                    "end_time": int(time.time() * 1000)})
    except BaseException:
        try:
            api("POST", "runs/update", {"run_id": run_id, "status": "FAILED",
                                        "end_time": int(time.time() * 1000)})
        except Exception as e:  # keep the original error
            print(f"train.py: could not mark run {run_id} FAILED: {e}", file=sys.stderr)
        raise

    os.makedirs(output_dir, exist_ok=True)
    outputs = {"run-id": run_id, "model-version": str(version), "storage-uri": storage_uri,
               "metrics.json": json.dumps(metrics, indent=2)}
    for name, value in outputs.items():
        with open(os.path.join(output_dir, name), "w") as f:
            f.write(value)
    print(json.dumps({"run_id": run_id, "model_version": version,
                      "storage_uri": storage_uri, "metrics": metrics}, indent=2), flush=True)


if __name__ == "__main__":
    main()
