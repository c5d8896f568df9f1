"""Training and evaluation on a tiny dataset, tracked in a local MLflow."""

import json
import re

import pandas as pd
import pytest

from ${{ values.packageName }} import config

if config.FRAMEWORK == "pytorch":
    pytest.importorskip("torch")

from ${{ values.packageName }} import evaluate, lineage, prepare, train  # noqa: E402


def remote_url() -> str:
    """The DVC remote's URL, as .dvc/config writes it."""
    return re.search(r"^\s*url = (\S+)$", (config.ROOT / ".dvc" / "config").read_text(), re.M).group(1)


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

        # MLflow's own lineage: data/prepared as the run's training dataset, digest = the DVC
        # hash tag, source = where the DVC remote keeps that hash (DVC 3: files/md5/<2>/<30>).
        [data_input] = run.inputs.dataset_inputs
        dataset = data_input.dataset
        input_tags = {t.key: t.value for t in data_input.tags}
        assert input_tags["mlflow.data.context"] == "training"
        assert input_tags[lineage.DATA_FILE_TAG] == "data/prepared/train.csv"
        assert (dataset.name, dataset.digest) == ("data/prepared", run.data.tags[lineage.DATA_HASH_TAG])
        assert dataset.source_type == "s3"
        assert json.loads(dataset.source) == {
            "uri": f"{remote_url()}/files/md5/01/23456789abcdef0123456789abcdef.dir"
        }
        assert json.loads(dataset.profile)["num_rows"] == len(pd.read_csv(config.TRAIN_CSV))
        columns = [c["name"] for c in json.loads(dataset.schema)["mlflow_colspec"]]
        assert columns == prepare.FEATURES + [config.TARGET]


def test_evaluate_scores_every_candidate_on_the_test_set(prepared, local_mlflow):
    # No dvc.lock and no DVC_DATA_HASH: no DVC hash, so the dataset input is the local file,
    # with MLflow's own digest (never "unknown", never mistaken for a DVC hash).
    results = train.train_candidates(prepared)
    run = local_mlflow.get_run(results[0]["run_id"])
    assert run.data.tags[lineage.DATA_HASH_TAG] == "unknown"
    [data_input] = run.inputs.dataset_inputs
    assert data_input.dataset.source_type == "local"
    assert json.loads(data_input.dataset.source)["uri"].endswith("data/prepared/train.csv")
    assert data_input.dataset.digest != "unknown" and not lineage.DVC_MD5.fullmatch(data_input.dataset.digest)
    evaluated = evaluate.rank(evaluate.evaluate_runs(results), "roc_auc", True)
    assert [c["metrics"]["roc_auc"] for c in evaluated] == sorted(
        (c["metrics"]["roc_auc"] for c in evaluated), reverse=True
    )
    best = evaluated[0]
    assert 0.5 < best["metrics"]["roc_auc"] <= 1.0
    # The test metrics' dataset is the run's second input: test.csv, local here (no DVC hash).
    inputs = {i.dataset.name: i.dataset for i in local_mlflow.get_run(best["run_id"]).inputs.dataset_inputs}
    assert sorted(inputs) == ["data/prepared", "data/prepared/test.csv"]
    assert json.loads(inputs["data/prepared/test.csv"].source)["uri"] == "data/prepared/test.csv"
    run = local_mlflow.get_run(best["run_id"])
    assert run.data.metrics["test_roc_auc"] == pytest.approx(best["metrics"]["roc_auc"])
