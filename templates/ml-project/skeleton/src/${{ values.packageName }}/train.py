"""Stage `train`: one MLflow run per candidate in params.yaml (`train.candidates`).

Each run records its parameters, the validation metrics after every step (boosting stage or
epoch), the training data as an MLflow dataset input (data/prepared: its DVC hash as digest,
its place on the DVC remote as source), the lineage tags (lineage.py), and the model itself as
an MLflow 3 LoggedModel (`log_model(..., name="model")`). The run ids and model ids go to
reports/train_runs.json for the `evaluate` stage.
"""

from __future__ import annotations

import time

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric
from sklearn.model_selection import train_test_split

from . import config, lineage, model


def load_split(path) -> tuple[pd.DataFrame, pd.Series]:
    """Features as float64 (the model's signature: numbers, missing values allowed) and the label."""
    df = pd.read_csv(path)
    return df.drop(columns=[config.TARGET]).astype("float64"), df[config.TARGET]


def train_candidates(params: dict, tags: dict[str, str] | None = None) -> list[dict]:
    """Trains every candidate in the current MLflow experiment; returns what was logged."""
    tags = {**lineage.run_tags(), **(tags or {})}
    x, y = load_split(config.TRAIN_CSV)
    train_params = params["train"]
    x_train, x_val, y_train, y_val = train_test_split(
        x,
        y,
        test_size=train_params["validation_size"],
        stratify=y,
        random_state=train_params["seed"],
    )
    # data/prepared as MLflow's dataset input: digest = its DVC hash, source = its place on the
    # DVC remote (lineage.training_dataset); the schema and profile are of train.csv.
    dataset = lineage.training_dataset(pd.concat([x, y], axis=1), tags[lineage.DATA_HASH_TAG], config.TRAIN_CSV)
    dataset_tags = {lineage.DATA_FILE_TAG: str(config.TRAIN_CSV.relative_to(config.ROOT))}
    client = MlflowClient()
    results = []
    for index, candidate in enumerate(train_params["candidates"]):
        run_name = f"{tags[lineage.WORKFLOW_TAG]}-candidate-{index}"
        with mlflow.start_run(run_name=run_name, tags={**tags, "mlstack.io/candidate": str(index)}) as run:
            mlflow.log_params({**candidate, "seed": train_params["seed"], "framework": config.FRAMEWORK})
            mlflow.log_params({f"data.{k}": v for k, v in params["data"].items()})
            mlflow.log_input(dataset, context="training", tags=dataset_tags)
            history: list[Metric] = []

            def on_step(step: int, metrics: dict[str, float]) -> None:
                now = int(time.time() * 1000)
                history.extend(Metric(k, float(v), now, step) for k, v in metrics.items())

            fitted = model.fit(candidate, x_train, y_train, x_val, y_val, train_params["seed"], on_step)
            # One request for the whole history, in batches of the server's limit.
            for start in range(0, len(history), 1000):
                client.log_batch(run.info.run_id, metrics=history[start : start + 1000])
            final = {m.key: m.value for m in history if m.step == max(h.step for h in history)}
            mlflow.log_metrics({f"final_{k}": v for k, v in final.items()})
            info = model.log_model(fitted, x_val)
            results.append(
                {
                    "candidate": index,
                    "run_id": run.info.run_id,
                    "model_id": info.model_id,
                    "model_uri": info.model_uri,
                    "params": candidate,
                }
            )
            print(f"train: candidate {index} -> run {run.info.run_id}, model {info.model_id}")
    return results


def main() -> None:
    params = config.load_params()
    mlflow.set_experiment(config.experiment_name())
    results = train_candidates(params)
    config.write_json(config.TRAIN_RUNS_JSON, {"experiment": config.experiment_name(), "runs": results})


if __name__ == "__main__":
    main()
