"""Training and evaluation on a tiny dataset, tracked in a local MLflow."""

import pytest

from ${{ values.packageName }} import config

if config.FRAMEWORK == "pytorch":
    pytest.importorskip("torch")

from ${{ values.packageName }} import evaluate, lineage, prepare, train  # noqa: E402


@pytest.fixture
def prepared(project, params, monkeypatch):
    monkeypatch.setattr(config, "load_params", lambda path=None: params)
    prepare.main()
    return params


def test_each_candidate_is_a_run_with_step_metrics_lineage_and_a_model(prepared, local_mlflow, monkeypatch):
    monkeypatch.setenv("ARGO_WORKFLOW_NAME", "wf-test-123")
    monkeypatch.setenv("DVC_DATA_HASH", "0123456789abcdef0123456789abcdef.dir")
    results = train.train_candidates(prepared)

    assert len(results) == len(prepared["train"]["candidates"])
    for result in results:
        run = local_mlflow.get_run(result["run_id"])
        assert run.info.status == "FINISHED"
        assert run.data.tags[lineage.WORKFLOW_TAG] == "wf-test-123"
        assert run.data.tags[lineage.DATA_HASH_TAG] == "0123456789abcdef0123456789abcdef.dir"
        assert run.data.tags[lineage.GIT_COMMIT_TAG]
        history = local_mlflow.get_metric_history(result["run_id"], "val_roc_auc")
        assert len(history) >= 2 and [m.step for m in history] == sorted(m.step for m in history)
        logged = local_mlflow.get_logged_model(result["model_id"])
        assert logged.source_run_id == result["run_id"]
        assert result["model_uri"] == f"models:/{result['model_id']}"


def test_evaluate_scores_every_candidate_on_the_test_set(prepared, local_mlflow):
    results = train.train_candidates(prepared)
    evaluated = evaluate.rank(evaluate.evaluate_runs(results), "roc_auc", True)
    assert [c["metrics"]["roc_auc"] for c in evaluated] == sorted(
        (c["metrics"]["roc_auc"] for c in evaluated), reverse=True
    )
    best = evaluated[0]
    assert 0.5 < best["metrics"]["roc_auc"] <= 1.0
    run = local_mlflow.get_run(best["run_id"])
    assert run.data.metrics["test_roc_auc"] == pytest.approx(best["metrics"]["roc_auc"])
