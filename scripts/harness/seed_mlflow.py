#!/usr/bin/env python3
"""Seeds an MLflow tracking server with a small, known fraud-detection project.

Uses the real MLflow Python client, so what lands on the server is exactly what MLflow
itself writes. Run it with the project's venv:

    source .tools/harness/harness.env   # S3 settings, in case artifacts go straight to S3
    .tools/venv/bin/python scripts/harness/seed_mlflow.py --tracking-uri "$MLFLOW_TRACKING_URI" \
        [--prefix it-1234-]

It creates, with every name prefixed by --prefix:

* experiment `<prefix>fraud-detector`:
  - parent run `training-sweep` with 3 nested child runs (`lr-0.01`, `lr-0.1`, `lr-0.3`);
    each child logs params (learning_rate, n_estimators, max_depth), 20 steps of `loss` and
    `accuracy`, a `mlflow.source.git.commit` tag, a `mlstack.io/dvc-data-hash` tag (and, but
    for the third, a `mlstack.io/argo-workflow` tag), a dataset input, two artifacts
    (`reports/summary.json`, `notes.txt`) and a scikit-learn model (`name="model"`, an
    MLflow 3 logged model) registered as a version of `<prefix>fraud-detector`;
  - a FAILED run `oom-crash` and a RUNNING run `live-training` (left running);
* registered model `<prefix>fraud-detector`: versions 1..3 (one per child, in learning-rate
  order), alias `champion` on the most accurate child's version (lr 0.1, version 2) and
  `challenger` on the newest other version (version 3); a description and an `owner` tag;
* experiment `<prefix>fraud-detector-tuning` with two finished runs.

The experiment `<prefix>fraud-detector` and the registered model carry the tag
`mlstack.io/owner` = --owner (default `group:default/ml-team`, the example project's owner), as
the scaffolder writes it; the tuning experiment is left without one (an "unclaimed" object,
as on an MLflow server that predates the portal).

Everything MLflow prints goes to stderr; stdout carries one JSON document (the summary:
experiment ids, run ids, metric values, model versions, aliases, logged model ids) for tests
to compare against. The values are deterministic; only ids and timestamps vary.

Running it twice with the same prefix adds a second set of runs and versions (the
experiments and the registered model are reused): use a fresh prefix per test run, or
--if-missing (what scripts/start.sh does): when the registered model `<prefix>fraud-detector`
already carries its `mlstack.io/owner` tag (the seed's last write), nothing is written and the
summary is `{"skipped": true, ...}`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from typing import Any

# MLflow's telemetry thread sets and unsets an environment variable while the client's requests
# read the environment (KeyError: '_MLFLOW_TELEMETRY_SESSION_ID', now and then); a seed sends
# no telemetry.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow.entities import Metric
from sklearn.linear_model import LogisticRegression

STEPS = 20
USER = "alice@example.com"
CHILD_CONFIGS = [
    {"learning_rate": 0.01, "n_estimators": 50, "max_depth": 3},
    {"learning_rate": 0.1, "n_estimators": 100, "max_depth": 5},
    {"learning_rate": 0.3, "n_estimators": 200, "max_depth": 8},
]
# Fake but well-formed commits, so tests can look for exact values.
CHILD_COMMITS = [
    "1111111111111111111111111111111111111111",
    "2222222222222222222222222222222222222222",
    "3333333333333333333333333333333333333333",
]
PARENT_COMMIT = "0000000000000000000000000000000000000000"
# The lineage tags the template's pipeline writes (mlops-common lineage/api.ts): the DVC hash of
# the training data, and the Argo workflow that ran the training. Version 2 (the champion) was
# trained by the succeeded workflow packages/harness/src/seed/seedKube.ts creates, so its
# lineage is complete; version 1's workflow is gone (garbage-collected) and version 3's run has
# no workflow tag, so the Lineage tab shows both gaps.
DVC_DATA_HASH_TAG = "mlstack.io/dvc-data-hash"
ARGO_WORKFLOW_TAG = "mlstack.io/argo-workflow"
CHILD_DATA_HASHES = [
    "d41d8cd98f00b204e9800998ecf8427e",
    "9e107d9d372bb6826bd81d3542a419d6",
    "9e107d9d372bb6826bd81d3542a419d6",
]
CHILD_WORKFLOWS = ["fraud-detector-train-gc7x2", "fraud-detector-dag-82q7s", None]
# The tag the scaffolder writes on what it creates for an owner (see mlops-common ownership.ts).
OWNER_TAG = "mlstack.io/owner"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tracking-uri",
        default=os.environ.get("MLFLOW_TRACKING_URI"),
        help="MLflow tracking server URL (default: $MLFLOW_TRACKING_URI)",
    )
    parser.add_argument(
        "--prefix", default="", help="prepended to every experiment and model name"
    )
    parser.add_argument(
        "--owner",
        default="group:default/ml-team",
        help="the mlstack.io/owner tag of the experiment and the registered model",
    )
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when a complete seed with this prefix is already there",
    )
    args = parser.parse_args()
    if not args.tracking_uri:
        parser.error("--tracking-uri is required (or set MLFLOW_TRACKING_URI)")
    return args


def loss_at(learning_rate: float, step: int) -> float:
    """A decreasing curve; higher learning rates converge faster."""
    return round(1.0 / (1.0 + learning_rate * 10 * (step + 1)), 6)


def accuracy_at(learning_rate: float, step: int) -> float:
    """An increasing curve that the 0.1 learning rate wins (0.3 overshoots a bit)."""
    penalty = 0.08 if learning_rate >= 0.3 else 0.0
    return round(0.5 + 0.45 * (1.0 - loss_at(learning_rate, step)) - penalty, 6)


def metric_history(learning_rate: float) -> dict[str, list[float]]:
    return {
        "loss": [loss_at(learning_rate, s) for s in range(STEPS)],
        "accuracy": [accuracy_at(learning_rate, s) for s in range(STEPS)],
    }


def log_history(client, run_id: str, history: dict[str, list[float]]) -> None:
    # One second per step, ending now.
    start = int(time.time() * 1000) - len(next(iter(history.values()))) * 1000
    metrics = [
        Metric(key=key, value=value, timestamp=start + step * 1000, step=step)
        for key, values in history.items()
        for step, value in enumerate(values)
    ]
    client.log_batch(run_id, metrics=metrics)


def train_tiny_model(config: dict[str, Any]):
    """A real (tiny) scikit-learn model, so the logged model is a loadable one."""
    rng = np.random.default_rng(42)
    features = rng.normal(size=(200, 4))
    labels = (features[:, 0] + features[:, 1] > 0).astype(int)
    model = LogisticRegression(C=1.0 / config["learning_rate"], max_iter=200)
    model.fit(features, labels)
    return model, features


def log_artifacts(run_id: str, config: dict[str, Any], final: dict[str, float]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        notes = os.path.join(tmp, "notes.txt")
        with open(notes, "w", encoding="utf-8") as f:
            f.write(f"learning_rate={config['learning_rate']}\n")
        mlflow.log_artifact(notes, run_id=run_id)
    mlflow.log_dict(
        {"config": config, "final_metrics": final},
        "reports/summary.json",
        run_id=run_id,
    )


def seed_child(client, index: int, model_name: str) -> dict[str, Any]:
    config = CHILD_CONFIGS[index]
    learning_rate = config["learning_rate"]
    run_name = f"lr-{learning_rate}"
    tags = {
        "mlflow.source.git.commit": CHILD_COMMITS[index],
        "mlflow.user": USER,
        "team": "fraud",
        DVC_DATA_HASH_TAG: CHILD_DATA_HASHES[index],
    }
    if CHILD_WORKFLOWS[index]:
        tags[ARGO_WORKFLOW_TAG] = CHILD_WORKFLOWS[index]
    with mlflow.start_run(run_name=run_name, nested=True, tags=tags) as run:
        run_id = run.info.run_id
        mlflow.log_params(config)
        history = metric_history(learning_rate)
        log_history(client, run_id, history)
        final = {key: values[-1] for key, values in history.items()}

        model, features = train_tiny_model(config)
        dataset = mlflow.data.from_numpy(features, name="fraud-train")
        mlflow.log_input(dataset, context="training")
        log_artifacts(run_id, config, final)

        model_info = mlflow.sklearn.log_model(
            model,
            name="model",
            registered_model_name=model_name,
            pip_requirements=["scikit-learn"],
            params={"learning_rate": learning_rate},
            tags={"stage": "candidate"},
            serialization_format="cloudpickle",
            # MLflow links the run's metrics at this step to the logged model.
            step=STEPS - 1,
        )

    return {
        "runId": run_id,
        "runName": run_name,
        "params": {k: str(v) for k, v in config.items()},
        "gitCommit": CHILD_COMMITS[index],
        "finalMetrics": final,
        "history": history,
        "loggedModelId": model_info.model_id,
        "modelVersion": str(model_info.registered_model_version),
    }


def seed_fraud_detector(client, experiment_name: str, model_name: str) -> dict[str, Any]:
    experiment = mlflow.set_experiment(experiment_name)
    experiment_id = experiment.experiment_id

    parent_tags = {
        "mlflow.source.git.commit": PARENT_COMMIT,
        "mlflow.user": USER,
        "team": "fraud",
    }
    with mlflow.start_run(run_name="training-sweep", tags=parent_tags) as parent:
        mlflow.log_param("sweep", "learning_rate")
        children = [
            seed_child(client, i, model_name)
            for i in range(len(CHILD_CONFIGS))
        ]
        best = max(children, key=lambda c: c["finalMetrics"]["accuracy"])
        mlflow.log_metric("best_accuracy", best["finalMetrics"]["accuracy"])

    with mlflow.start_run(run_name="oom-crash", tags={"mlflow.user": USER}) as failed:
        failed_run_id = failed.info.run_id
        mlflow.log_params({"learning_rate": 1.0, "n_estimators": 5000, "max_depth": 20})
        for step in range(5):
            mlflow.log_metric("loss", loss_at(1.0, step), step=step)
        mlflow.end_run(status="FAILED")

    running = client.create_run(
        experiment_id,
        run_name="live-training",
        tags={"mlflow.user": USER, "team": "fraud"},
    )
    running_run_id = running.info.run_id
    client.log_param(running_run_id, "learning_rate", "0.05")
    for step in range(3):
        client.log_metric(running_run_id, "loss", loss_at(0.05, step), step=step)

    return {
        "experiment": {"id": experiment_id, "name": experiment_name},
        "parentRunId": parent.info.run_id,
        "children": children,
        "bestChildRunId": best["runId"],
        "failedRunId": failed_run_id,
        "runningRunId": running_run_id,
    }


def seed_tuning(experiment_name: str) -> dict[str, Any]:
    experiment = mlflow.set_experiment(experiment_name)
    run_ids = []
    for trial, learning_rate in enumerate([0.05, 0.2]):
        with mlflow.start_run(
            run_name=f"trial-{trial}", tags={"mlflow.user": USER}
        ) as run:
            mlflow.log_params({"learning_rate": learning_rate, "trial": trial})
            mlflow.log_metric("loss", loss_at(learning_rate, STEPS - 1))
            run_ids.append(run.info.run_id)
    return {
        "experiment": {"id": experiment.experiment_id, "name": experiment_name},
        "runIds": run_ids,
    }


def set_aliases(client, model_name: str, fraud: dict[str, Any]) -> dict[str, str]:
    """champion: the most accurate child; challenger: the newest other version."""
    children = fraud["children"]
    best = next(c for c in children if c["runId"] == fraud["bestChildRunId"])
    newest_first = sorted(children, key=lambda c: int(c["modelVersion"]), reverse=True)
    challenger = next(c for c in newest_first if c is not best)
    aliases = {"champion": best["modelVersion"], "challenger": challenger["modelVersion"]}
    for alias, version in aliases.items():
        client.set_registered_model_alias(model_name, alias, version)
    client.update_registered_model(
        model_name, description="Flags card transactions that look fraudulent."
    )
    client.set_registered_model_tag(model_name, "owner", "team-fraud")
    return aliases


def seed(tracking_uri: str, prefix: str, owner: str) -> dict[str, Any]:
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)

    model_name = f"{prefix}fraud-detector"
    fraud = seed_fraud_detector(client, f"{prefix}fraud-detector", model_name)
    tuning = seed_tuning(f"{prefix}fraud-detector-tuning")
    aliases = set_aliases(client, model_name, fraud)
    client.set_experiment_tag(fraud["experiment"]["id"], OWNER_TAG, owner)
    client.set_registered_model_tag(model_name, OWNER_TAG, owner)

    versions = [
        {
            "version": c["modelVersion"],
            "runId": c["runId"],
            "modelId": c["loggedModelId"],
        }
        for c in fraud["children"]
    ]
    return {
        "trackingUri": tracking_uri,
        "prefix": prefix,
        "owner": owner,
        "user": USER,
        "metricSteps": STEPS,
        "experiments": {
            "fraudDetector": fraud["experiment"],
            "tuning": tuning["experiment"],
        },
        "runs": {
            "parent": fraud["parentRunId"],
            "children": fraud["children"],
            "bestChild": fraud["bestChildRunId"],
            "failed": fraud["failedRunId"],
            "running": fraud["runningRunId"],
            "tuning": tuning["runIds"],
        },
        "registeredModel": {
            "name": model_name,
            "versions": versions,
            "aliases": aliases,
        },
        "loggedModels": [
            {"modelId": c["loggedModelId"], "name": "model", "sourceRunId": c["runId"]}
            for c in fraud["children"]
        ],
    }


def already_seeded(tracking_uri: str, prefix: str) -> bool:
    """The seed's last write (the registered model's owner tag) is there."""
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        model = client.get_registered_model(f"{prefix}fraud-detector")
    except MlflowException as e:
        if e.error_code == "RESOURCE_DOES_NOT_EXIST":
            return False
        raise
    return OWNER_TAG in (model.tags or {})


def main() -> int:
    args = parse_args()
    tracking_uri = args.tracking_uri.rstrip("/")
    # MLflow and scikit-learn print progress and warnings; keep stdout for the summary only.
    with contextlib.redirect_stdout(sys.stderr):
        if args.if_missing and already_seeded(tracking_uri, args.prefix):
            summary = {"skipped": True, "trackingUri": tracking_uri, "prefix": args.prefix}
        else:
            summary = seed(tracking_uri, args.prefix, args.owner)
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
