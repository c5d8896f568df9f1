"""Lineage: the tags that tie an MLflow run to its code, its data and the pipeline run.

* `mlflow.source.git.commit`  the commit the code came from (GIT_COMMIT, baked into the
  pipeline's image, else `git rev-parse HEAD`);
* `mlstack.io/dvc-data-hash`  DVC's hash of `data/prepared` (DVC_DATA_HASH, set by the
  pipeline's pull-data step, else read from dvc.lock);
* `mlstack.io/argo-workflow`  the Argo Workflow that ran the training (ARGO_WORKFLOW_NAME),
  `local` outside the cluster.

The portal reads them to draw data version -> pipeline run -> MLflow run -> model version.
"""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from . import config

GIT_COMMIT_TAG = "mlflow.source.git.commit"
DATA_HASH_TAG = "mlstack.io/dvc-data-hash"
WORKFLOW_TAG = "mlstack.io/argo-workflow"
FRAMEWORK_TAG = "mlstack.io/framework"


def git_commit() -> str:
    if os.environ.get("GIT_COMMIT"):
        return os.environ["GIT_COMMIT"]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=config.ROOT, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def data_hash(lock_path=None) -> str:
    """DVC's md5 of data/prepared, as recorded in dvc.lock by the `prepare` stage."""
    if os.environ.get("DVC_DATA_HASH"):
        return os.environ["DVC_DATA_HASH"]
    try:
        with open(lock_path or config.ROOT / "dvc.lock") as f:
            lock = yaml.safe_load(f) or {}
    except FileNotFoundError:
        return "unknown"
    for out in lock.get("stages", {}).get("prepare", {}).get("outs", []):
        if out.get("path") == "data/prepared":
            return out.get("md5", "unknown")
    return "unknown"


def workflow_name() -> str:
    return os.environ.get("ARGO_WORKFLOW_NAME") or "local"


def run_tags() -> dict[str, str]:
    return {
        GIT_COMMIT_TAG: git_commit(),
        DATA_HASH_TAG: data_hash(),
        WORKFLOW_TAG: workflow_name(),
        FRAMEWORK_TAG: config.FRAMEWORK,
    }


if __name__ == "__main__":
    # `python -m ${{ values.packageName }}.lineage data-hash` prints the data hash (pull-data step).
    what = sys.argv[1] if len(sys.argv) > 1 else "tags"
    if what == "data-hash":
        print(data_hash())
    else:
        for key, value in run_tags().items():
            print(f"{key}={value}")
