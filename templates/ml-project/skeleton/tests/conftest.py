"""Shared fixtures: a project root in a temporary folder, and a local MLflow (SQLite)."""

from __future__ import annotations

import shutil
from pathlib import Path

import mlflow
import pytest

from ${{ values.packageName }} import config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def params() -> dict:
    """params.yaml, with a dataset small enough for a unit test."""
    p = config.load_params(ROOT / "params.yaml")
    p["data"]["n_samples"] = 600
    for candidate in p["train"]["candidates"]:
        for key in ("n_estimators", "epochs"):
            if key in candidate:
                candidate[key] = min(candidate[key], 5)
    return p


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points every path of `config` into tmp_path, with the project's .dvc/config (its remote:
    where a DVC hash is stored; nothing connects to it)."""
    (tmp_path / ".dvc").mkdir()
    shutil.copy(ROOT / ".dvc" / "config", tmp_path / ".dvc" / "config")
    for name in dir(config):
        value = getattr(config, name)
        if isinstance(value, Path) and name != "ROOT":
            monkeypatch.setattr(config, name, tmp_path / value.relative_to(config.ROOT))
    monkeypatch.setattr(config, "ROOT", tmp_path)
    monkeypatch.delenv("DVC_DATA_HASH", raising=False)
    monkeypatch.delenv("ARGO_WORKFLOW_NAME", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def mlflow_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite store for the session: creating its schema is the slow part."""
    root = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    mlflow.MlflowClient(uri, uri).search_experiments()
    return uri


@pytest.fixture
def local_mlflow(mlflow_db: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A real MLflow tracking store and model registry in SQLite, artifacts on local disk;
    a fresh experiment per test."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_db)
    mlflow.set_tracking_uri(mlflow_db)
    mlflow.set_registry_uri(mlflow_db)
    experiment_id = mlflow.create_experiment(
        f"{request.node.name}-{tmp_path.name}", artifact_location=(tmp_path / "artifacts").as_uri()
    )
    mlflow.set_experiment(experiment_id=experiment_id)
    yield mlflow.MlflowClient(mlflow_db, mlflow_db)
    mlflow.set_tracking_uri(None)
    mlflow.set_registry_uri(None)
