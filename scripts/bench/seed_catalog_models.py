"""Seed MLflow with many registered models for `yarn bench catalog-models` (default 1,000).

Uses the real MLflow client. Registered models `<prefix>0000` … `<prefix>0999`, each tagged
`mlstack.io/owner` = --owner (what the catalog's model provider checks a claim against) and
with a description. Idempotent: the models already there (listed by name prefix, 1,000 a page)
are left alone; the missing ones are created on a few threads. Prints one JSON line: the
prefix, the number of models, and how many this run created.
"""
import argparse
import contextlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from mlflow.tracking import MlflowClient

OWNER_TAG = "mlstack.io/owner"


def model_name(prefix: str, index: int) -> str:
    return f"{prefix}{index:04d}"


def existing_names(client: MlflowClient, prefix: str) -> set[str]:
    names, token = set(), None
    while True:
        page = client.search_registered_models(
            filter_string=f"name LIKE '{prefix}%'", max_results=1000, page_token=token
        )
        names.update(model.name for model in page)
        token = page.token
        if not token:
            return names


def seed(args: argparse.Namespace) -> dict:
    client = MlflowClient(tracking_uri=args.tracking_uri)
    have = existing_names(client, args.prefix)
    missing = [
        name
        for name in (model_name(args.prefix, i) for i in range(args.count))
        if name not in have
    ]
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        list(
            pool.map(
                lambda name: client.create_registered_model(
                    name,
                    tags={OWNER_TAG: args.owner},
                    description=f"Bench model {name} of the catalog's model provider",
                ),
                missing,
            )
        )
    return {"prefix": args.prefix, "models": args.count, "seeded": len(missing)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--prefix", default="bench-model-")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--owner", default="group:default/ml-team")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    # Keep stdout for the summary alone.
    with contextlib.redirect_stdout(sys.stderr):
        summary = seed(args)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
