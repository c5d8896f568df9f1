"""Stage `evaluate`: scores every candidate's logged model on the held-out test set.

The model is loaded back from MLflow (what was logged is what is judged), its test metrics
are logged to its run and linked to its LoggedModel (`model_id=`), and
reports/candidates.json lists every candidate with its metrics for the `register` stage.
metrics/evaluate.json holds the best candidate's metrics (`dvc metrics show`).
"""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from . import config, lineage, model
from .train import load_split


def test_metrics(y_true: pd.Series, proba: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    predicted = (proba >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y_true, proba)),
        "average_precision": float(average_precision_score(y_true, proba)),
        "f1": float(f1_score(y_true, predicted, zero_division=0)),
        "precision": float(precision_score(y_true, predicted, zero_division=0)),
        "recall": float(recall_score(y_true, predicted, zero_division=0)),
        "accuracy": float(accuracy_score(y_true, predicted)),
    }


def rank(candidates: list[dict], metric: str, greater_is_better: bool) -> list[dict]:
    """Best first."""
    return sorted(candidates, key=lambda c: c["metrics"][metric], reverse=greater_is_better)


def evaluate_runs(runs: list[dict]) -> list[dict]:
    x_test, y_test = load_split(config.TEST_CSV)
    # The metrics' dataset (MLflow 3 also lists it among the run's inputs): test.csv, with DVC's
    # md5 of it as digest and its object on the DVC remote as source (lineage.file_dataset).
    dataset = lineage.file_dataset(pd.concat([x_test, y_test], axis=1), config.TEST_CSV, lineage.data_hash())
    evaluated = []
    for run in runs:
        loaded = model.load_model(run["model_uri"])
        metrics = test_metrics(y_test, model.predict_proba(loaded, x_test))
        with mlflow.start_run(run_id=run["run_id"]):
            mlflow.log_metrics(
                {f"test_{k}": v for k, v in metrics.items()}, model_id=run["model_id"], dataset=dataset
            )
        evaluated.append({**run, "metrics": metrics})
        print(f"evaluate: run {run['run_id']}: " + ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))
    return evaluated


def main() -> None:
    params = config.load_params()
    mlflow.set_experiment(config.experiment_name())
    runs = config.read_json(config.TRAIN_RUNS_JSON)["runs"]
    evaluated = rank(evaluate_runs(runs), params["select"]["metric"], params["select"]["greater_is_better"])
    config.write_json(config.CANDIDATES_JSON, {"experiment": config.experiment_name(), "candidates": evaluated})
    config.write_json(config.EVALUATE_METRICS_JSON, {"best": evaluated[0]["metrics"], "candidates": len(evaluated)})


if __name__ == "__main__":
    main()
