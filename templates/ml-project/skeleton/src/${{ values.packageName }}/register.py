"""Stage `register`: the best candidate becomes the champion, if it beats the current one.

MLflow 3 registry, no stages: the served model is whichever version carries the alias
`champion` (params.yaml `model.alias`). The best candidate of reports/candidates.json (ranked by
`select.metric` on the test set) is registered as a new version only when

* there is no champion yet, or
* it is not already the champion's model, and it beats the champion's score by more than
  `select.min_improvement`.

Otherwise nothing is written to the registry: running this twice creates no duplicate.
The version number is the one MLflow returns from the registration, never guessed beforehand.

The registered model (params.yaml `model.name`) is made by the portal when the project is
created (mlops:mlflow:create-registered-model), tagged `mlstack.io/owner` with the project's
owner: `mlflow.register_model` adds the new version to that existing model and leaves its tags
as they are. Never delete and recreate it here: a model without the owner tag is one the
portal shows as unclaimed (and refuses under mlops.ownership.strict).

Prints, and writes to reports/registration.json (and to $ARGO_OUTPUT_DIR/<key> for the
pipeline's step outputs): model-name, model-version, model-format, storage-uri, registered.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import mlflow
from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException

from . import config, lineage

SCORE_TAG = "mlstack.io/selection-score"
METRIC_TAG = "mlstack.io/selection-metric"
LINEAGE_TAGS = (lineage.GIT_COMMIT_TAG, lineage.DATA_HASH_TAG, lineage.WORKFLOW_TAG)


@dataclass
class Decision:
    register: bool
    reason: str


def get_champion(client: MlflowClient, name: str, alias: str) -> ModelVersion | None:
    try:
        return client.get_model_version_by_alias(name, alias)
    except MlflowException as e:
        # No registered model yet, or no version with that alias.
        if e.error_code == "RESOURCE_DOES_NOT_EXIST" or "not found" in str(e).lower():
            return None
        raise


def champion_score(client: MlflowClient, champion: ModelVersion, metric: str) -> float | None:
    """The score the champion was selected with (its tag), else its run's test metric."""
    if champion.tags.get(METRIC_TAG) == metric and SCORE_TAG in champion.tags:
        return float(champion.tags[SCORE_TAG])
    if champion.run_id:
        value = client.get_run(champion.run_id).data.metrics.get(f"test_{metric}")
        if value is not None:
            return float(value)
    return None


def champion_model_id(champion: ModelVersion) -> str | None:
    """The LoggedModel behind a version: its model_id, else its `models:/<model id>` source."""
    if champion.model_id:
        return champion.model_id
    source = champion.source or ""
    return source[len("models:/"):] if source.startswith("models:/m-") else None


def decide(
    best: dict,
    champion: ModelVersion | None,
    current: float | None,
    metric: str,
    greater_is_better: bool,
    min_improvement: float,
) -> Decision:
    score = best["metrics"][metric]
    if champion is None:
        return Decision(True, "no champion yet")
    if champion_model_id(champion) == best["model_id"]:
        return Decision(False, f"the best candidate is already the champion (version {champion.version})")
    if current is None:
        return Decision(True, f"champion version {champion.version} has no {metric} to compare with")
    gain = score - current if greater_is_better else current - score
    if gain > min_improvement:
        return Decision(True, f"{metric} {score:.4f} beats the champion's {current:.4f}")
    return Decision(
        False, f"{metric} {score:.4f} does not beat champion version {champion.version} ({current:.4f})"
    )


def storage_uri(client: MlflowClient, name: str, version: str, artifacts_destination: str | None) -> str:
    """Where KServe's storage initializer finds the model version's files (an s3:// folder)."""
    uri = client.get_model_version_download_uri(name, version)
    parsed = urlparse(uri)
    if parsed.scheme == "mlflow-artifacts" and artifacts_destination:
        # A tracking server that proxies artifacts: mlflow-artifacts:/<path> is stored at
        # <its --artifacts-destination>/<path>.
        return artifacts_destination.rstrip("/") + "/" + parsed.path.lstrip("/")
    return uri


def select_and_register(
    client: MlflowClient,
    candidates: list[dict],
    params: dict,
    artifacts_destination: str | None = None,
) -> dict:
    select, model_params = params["select"], params["model"]
    name, alias, metric = model_params["name"], model_params["alias"], select["metric"]
    best = sorted(candidates, key=lambda c: c["metrics"][metric], reverse=select["greater_is_better"])[0]
    champion = get_champion(client, name, alias)
    current = champion_score(client, champion, metric) if champion else None
    decision = decide(best, champion, current, metric, select["greater_is_better"], select["min_improvement"])

    if decision.register:
        run_tags = client.get_run(best["run_id"]).data.tags
        registered: ModelVersion = mlflow.register_model(
            best["model_uri"],
            name,
            tags={
                METRIC_TAG: metric,
                SCORE_TAG: str(best["metrics"][metric]),
                "mlstack.io/run-id": best["run_id"],
                **{k: run_tags[k] for k in LINEAGE_TAGS if k in run_tags},
            },
        )
        # The version MLflow assigned, read from what it returned.
        version = registered.version
        client.set_registered_model_alias(name, alias, version)
        run_id, model_id = best["run_id"], best["model_id"]
    elif champion is not None:
        version, run_id, model_id = champion.version, champion.run_id, champion_model_id(champion)
    else:  # unreachable: no champion always registers
        raise RuntimeError("no model to serve")

    return {
        "model-name": name,
        "model-version": str(version),
        "model-format": config.MODEL_FORMAT,
        "storage-uri": storage_uri(client, name, str(version), artifacts_destination),
        "registered": "true" if decision.register else "false",
        "reason": decision.reason,
        "alias": alias,
        "run-id": run_id or "",
        "model-id": model_id or "",
    }


def write_outputs(outputs: dict) -> None:
    config.write_json(config.REGISTRATION_JSON, outputs)
    argo_dir = os.environ.get("ARGO_OUTPUT_DIR")
    if argo_dir:
        Path(argo_dir).mkdir(parents=True, exist_ok=True)
        for key, value in outputs.items():
            (Path(argo_dir) / key).write_text(str(value))


def main() -> None:
    params = config.load_params()
    candidates = config.read_json(config.CANDIDATES_JSON)["candidates"]
    outputs = select_and_register(
        MlflowClient(), candidates, params, os.environ.get("MLFLOW_ARTIFACTS_DESTINATION")
    )
    write_outputs(outputs)
    print(json.dumps(outputs, indent=2))


if __name__ == "__main__":
    main()
