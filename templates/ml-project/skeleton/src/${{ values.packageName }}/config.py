"""Paths, parameters and settings shared by every stage."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

# The project's root: the working directory (dvc repro and the container both run from it).
ROOT = Path(os.environ.get("PROJECT_ROOT", ".")).resolve()

PREPARED_DIR = ROOT / "data" / "prepared"
TRAIN_CSV = PREPARED_DIR / "train.csv"
TEST_CSV = PREPARED_DIR / "test.csv"
REPORTS_DIR = ROOT / "reports"
TRAIN_RUNS_JSON = REPORTS_DIR / "train_runs.json"
CANDIDATES_JSON = REPORTS_DIR / "candidates.json"
REGISTRATION_JSON = REPORTS_DIR / "registration.json"
METRICS_DIR = ROOT / "metrics"
EVALUATE_METRICS_JSON = METRICS_DIR / "evaluate.json"

EXPERIMENT_NAME = ${{ values.name | dump }}
FRAMEWORK = ${{ values.framework | dump }}
# KServe's modelFormat for the logged model: the scikit-learn server loads model.pkl; a PyTorch
# model is served as an MLflow model by MLServer.
MODEL_FORMAT = "mlflow" if FRAMEWORK == "pytorch" else "sklearn"
TARGET = "is_fraud"


def load_params(path: Path | None = None) -> dict[str, Any]:
    with open(path or ROOT / "params.yaml") as f:
        return yaml.safe_load(f)


def experiment_name() -> str:
    return os.environ.get("MLFLOW_EXPERIMENT_NAME") or EXPERIMENT_NAME


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def read_json(path: Path) -> Any:
    with open(path) as f:
        return json.load(f)
