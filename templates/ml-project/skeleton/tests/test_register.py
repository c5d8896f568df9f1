"""Selection and registration: MLflow 3 aliases, and no duplicate versions."""

import mlflow
import mlflow.sklearn
import numpy as np
import pytest
from mlflow.entities.model_registry import ModelVersion
from sklearn.dummy import DummyClassifier

from ${{ values.packageName }} import register

OWNER_TAG = "mlstack.io/owner"
PARAMS = {
    "select": {"metric": "roc_auc", "greater_is_better": True, "min_improvement": 0.0},
    "model": {"name": "unit-test-model", "alias": "champion"},
}


def logged_candidate(score: float) -> dict:
    """A real logged model (a dummy classifier) with a given test score."""
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(
            DummyClassifier().fit(np.zeros((4, 2)), [0, 1, 0, 1]),
            name="model",
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_PICKLE,
            pip_requirements=["scikit-learn"],
        )
        mlflow.log_metric("test_roc_auc", score)
    return {"run_id": run.info.run_id, "model_id": info.model_id, "model_uri": info.model_uri,
            "metrics": {"roc_auc": score}}


def versions(client) -> list[str]:
    return sorted(str(v.version) for v in client.search_model_versions("name='unit-test-model'"))


def test_registers_only_what_beats_the_champion(local_mlflow):
    first = logged_candidate(0.80)
    out = register.select_and_register(local_mlflow, [first], PARAMS)
    assert (out["registered"], out["model-version"]) == ("true", "1")
    assert str(local_mlflow.get_model_version_by_alias("unit-test-model", "champion").version) == "1"

    # The same candidates again: nothing new.
    again = register.select_and_register(local_mlflow, [first], PARAMS)
    assert (again["registered"], again["model-version"]) == ("false", "1")
    assert versions(local_mlflow) == ["1"]

    # A worse model: nothing new, the champion stays.
    worse = register.select_and_register(local_mlflow, [logged_candidate(0.70)], PARAMS)
    assert (worse["registered"], worse["model-version"]) == ("false", "1")
    assert versions(local_mlflow) == ["1"]

    # A better one: version 2, read from what MLflow returned, and the alias moves.
    better = logged_candidate(0.90)
    out = register.select_and_register(local_mlflow, [logged_candidate(0.85), better], PARAMS)
    assert (out["registered"], out["model-version"], out["model-id"]) == ("true", "2", better["model_id"])
    champion = local_mlflow.get_model_version_by_alias("unit-test-model", "champion")
    assert str(champion.version) == "2"
    assert champion.tags[register.SCORE_TAG] == "0.9"
    assert out["model-format"] in ("sklearn", "mlflow")
    assert versions(local_mlflow) == ["1", "2"]


def test_registers_into_the_existing_model_and_keeps_its_owner_tag(local_mlflow):
    """The portal creates the registered model, tagged with its owner, before any version."""
    params = {**PARAMS, "model": {"name": "owned-model", "alias": "champion"}}
    local_mlflow.create_registered_model("owned-model", tags={OWNER_TAG: "group:default/ml-team"})
    out = register.select_and_register(local_mlflow, [logged_candidate(0.80)], params)
    assert (out["registered"], out["model-name"], out["model-version"]) == ("true", "owned-model", "1")
    model = local_mlflow.get_registered_model("owned-model")
    assert model.tags[OWNER_TAG] == "group:default/ml-team"
    assert [str(v.version) for v in local_mlflow.search_model_versions("name='owned-model'")] == ["1"]


def fake_version(model_id="m-1", score=None, source=None) -> ModelVersion:
    tags = {}
    if score is not None:
        tags = {register.METRIC_TAG: "roc_auc", register.SCORE_TAG: str(score)}
    from mlflow.entities.model_registry import ModelVersionTag

    return ModelVersion("m", "3", 0, model_id=model_id, source=source, tags=[ModelVersionTag(k, v) for k, v in tags.items()])


@pytest.mark.parametrize(
    "score,champion_score,min_improvement,greater,expected",
    [
        (0.9, 0.8, 0.0, True, True),
        (0.8, 0.8, 0.0, True, False),
        (0.85, 0.8, 0.1, True, False),
        (0.1, 0.2, 0.0, False, True),
        (0.3, 0.2, 0.0, False, False),
    ],
)
def test_decide(score, champion_score, min_improvement, greater, expected):
    best = {"model_id": "m-2", "metrics": {"roc_auc": score}}
    decision = register.decide(best, fake_version(), champion_score, "roc_auc", greater, min_improvement)
    assert decision.register is expected, decision.reason


def test_decide_without_champion_and_with_the_same_model():
    best = {"model_id": "m-1", "metrics": {"roc_auc": 0.5}}
    assert register.decide(best, None, None, "roc_auc", True, 0.0).register
    assert not register.decide(best, fake_version("m-1"), 0.1, "roc_auc", True, 0.0).register
    # A registry that does not return model_id: the source models:/<id> tells.
    assert not register.decide(best, fake_version(None, source="models:/m-1"), 0.1, "roc_auc", True, 0.0).register


def test_storage_uri_maps_proxied_artifacts_to_the_bucket(monkeypatch):
    class Client:
        def get_model_version_download_uri(self, name, version):
            return "mlflow-artifacts:/1/models/m-abc/artifacts"

    assert (
        register.storage_uri(Client(), "m", "1", "s3://mlflow-artifacts/")
        == "s3://mlflow-artifacts/1/models/m-abc/artifacts"
    )
