"""Seed MLflow with a registered model of many versions for `yarn bench lineage` (default 200).

Uses the real MLflow client. Experiment `<name>` and registered model `<name>` (both tagged
`mlstack.io/owner`), one FINISHED run per version with the lineage tags (DVC data hash, git
commit, and `mlstack.io/argo-workflow` shared by --runs-per-workflow runs; every 25th run has
none, a gap), a dataset input whose source is the DVC remote object (context `training`), and
a version registered from the run with source `<storage-prefix>/v<n>` (the URI the bench's
InferenceServices serve). Idempotent: a model already tagged `mlstack.io/bench-versions` =
--versions is left alone. Prints one JSON line: experiment id, model, versions, workflows.
"""
import argparse
import contextlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

OWNER_TAG = "mlstack.io/owner"
SEEDED_TAG = "mlstack.io/bench-versions"


def workflow_of(index: int, runs_per_workflow: int) -> str | None:
    """The Argo workflow a run names; every 25th run names none."""
    if index % 25 == 24:
        return None
    return f"bench-lineage-train-{index // runs_per_workflow:04d}"


def seed_run(client: MlflowClient, experiment_id: str, index: int, runs_per_workflow: int) -> str:
    data_hash = f"{index // 10:08x}d41d8cd98f00b204e980"
    run = client.create_run(experiment_id, run_name=f"bench-lineage-{index:03d}")
    tags = [
        RunTag("mlstack.io/dvc-data-hash", data_hash),
        RunTag("mlflow.source.git.commit", f"{index // 10:040x}"),
    ]
    workflow = workflow_of(index, runs_per_workflow)
    if workflow:
        tags.append(RunTag("mlstack.io/argo-workflow", workflow))
    client.log_batch(
        run.info.run_id,
        metrics=[Metric("auc", 0.8 + index / 2000, 0, 0)],
        params=[Param("max_depth", str(4 + index % 4))],
        tags=tags,
    )
    source = f"s3://dvc/bench-lineage/files/md5/{data_hash[:2]}/{data_hash[2:]}.dir"
    dataset_input = DatasetInput(
        Dataset(
            name="transactions",
            digest=data_hash[:8],
            source_type="s3",
            source=json.dumps({"uri": source}),
        ),
        tags=[InputTag("mlflow.data.context", "training")],
    )
    try:
        client.log_inputs(run.info.run_id, datasets=[dataset_input])
    except MlflowException as error:
        # Runs sharing a dataset race to insert it (UNIQUE experiment, name, digest); once one
        # has, the others reuse it. Any other failure, or a second one, is raised.
        if "UNIQUE constraint" not in str(error):
            raise
        client.log_inputs(run.info.run_id, datasets=[dataset_input])
    client.set_terminated(run.info.run_id, "FINISHED")
    return run.info.run_id


def seed(args: argparse.Namespace) -> dict:
    client = MlflowClient(tracking_uri=args.tracking_uri)
    experiment = client.get_experiment_by_name(args.name)
    experiment_id = (
        experiment.experiment_id
        if experiment
        else client.create_experiment(args.name, tags={OWNER_TAG: args.owner})
    )
    summary = {
        "experimentId": experiment_id,
        "model": args.name,
        "versions": args.versions,
        "workflows": sorted(
            {w for i in range(args.versions) if (w := workflow_of(i, args.runs_per_workflow))}
        ),
    }
    models = client.search_registered_models(filter_string=f"name = '{args.name}'")
    if models and models[0].tags.get(SEEDED_TAG) == str(args.versions):
        return {**summary, "seeded": 0}
    if not models:
        client.create_registered_model(args.name, tags={OWNER_TAG: args.owner})
    have = len(client.search_model_versions(f"name = '{args.name}'", max_results=10_000))
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        run_ids = list(
            pool.map(
                lambda i: seed_run(client, experiment_id, i, args.runs_per_workflow),
                range(have, args.versions),
            )
        )
    # Registered in order, so version n is run n - 1.
    for offset, run_id in enumerate(run_ids):
        client.create_model_version(
            args.name, f"{args.storage_prefix}/v{have + offset + 1}", run_id=run_id
        )
    client.set_registered_model_alias(args.name, "champion", str(args.versions))
    client.set_registered_model_tag(args.name, SEEDED_TAG, str(args.versions))
    return {**summary, "seeded": len(run_ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--name", default="bench-lineage")
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--runs-per-workflow", type=int, default=5)
    parser.add_argument("--storage-prefix", default="s3://mlflow-artifacts/bench-lineage")
    parser.add_argument("--owner", default="group:default/ml-team")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    # MLflow prints a line per finished run; keep stdout for the summary alone.
    with contextlib.redirect_stdout(sys.stderr):
        summary = seed(args)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
