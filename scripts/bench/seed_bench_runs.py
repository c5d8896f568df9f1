"""Seed one MLflow experiment with many runs for `yarn bench` (default 10,000 runs x 20 metrics).

Uses the real MLflow client (create_run, log_batch, set_terminated per run) on a few threads.
Idempotent: an experiment that already holds the wanted number of runs is left alone.
Prints the experiment id.
"""
import argparse
import contextlib
import sys
import random
import time
from concurrent.futures import ThreadPoolExecutor

from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient


def count_runs(client: MlflowClient, experiment_id: str, limit: int) -> int:
    seen, token = 0, None
    while seen < limit:
        page = client.search_runs([experiment_id], max_results=1000, page_token=token)
        seen += len(page)
        token = page.token
        if not token:
            break
    return seen


def seed_run(client: MlflowClient, experiment_id: str, index: int, metrics: int) -> None:
    rng = random.Random(index)
    run = client.create_run(experiment_id, run_name=f"bench-{index:05d}")
    now = int(time.time() * 1000)
    client.log_batch(
        run.info.run_id,
        metrics=[Metric(f"metric_{m:02d}", rng.random(), now, 0) for m in range(metrics)],
        params=[Param("learning_rate", str(rng.choice([0.01, 0.05, 0.1]))),
                Param("n_estimators", str(rng.choice([50, 100, 200])))],
        tags=[RunTag("mlflow.source.git.commit", f"{index:040x}")],
    )
    client.set_terminated(run.info.run_id, "FINISHED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--experiment", default="bench-10k")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    # MLflow prints a line per finished run; keep stdout for the experiment id alone.
    with contextlib.redirect_stdout(sys.stderr):
        experiment_id = seed(args)
    print(experiment_id)


def seed(args: argparse.Namespace) -> str:
    client = MlflowClient(tracking_uri=args.tracking_uri)
    experiment = client.get_experiment_by_name(args.experiment)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(args.experiment)
    have = count_runs(client, experiment_id, args.runs)
    if have < args.runs:
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            list(pool.map(lambda i: seed_run(client, experiment_id, i, args.metrics), range(have, args.runs)))
    return experiment_id


if __name__ == "__main__":
    main()
