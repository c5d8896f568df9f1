"""Lineage: the tags that tie an MLflow run to its code, its data and the pipeline run.

* `mlflow.source.git.commit`  the commit the code came from (GIT_COMMIT, baked into the
  pipeline's image, else `git rev-parse HEAD`);
* `mlstack.io/dvc-data-hash`  DVC's hash of `data/prepared` (DVC_DATA_HASH, set by the
  pipeline's pull-data step, else read from dvc.lock);
* `mlstack.io/argo-workflow`  the Argo Workflow that ran the training (ARGO_WORKFLOW_NAME),
  `local` outside the cluster.

The portal reads them to draw data version -> pipeline run -> MLflow run -> model version.

The same data is also the run's MLflow dataset input (`training_dataset`, logged by train.py
with `mlflow.log_input(..., context="training")`), so MLflow's own UI and
`GET /api/2.0/mlflow/runs/get` (`inputs.dataset_inputs`) show it: name `data/prepared`,
digest = the DVC hash above, source = where the DVC remote keeps that hash
(`s3://<bucket>/<prefix>/files/md5/<2 hex>/<30 hex>.dir`, DVC 3's layout; the `.dir` object is
the listing of the folder's files, each stored the same way by its own md5).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import yaml

from . import config

GIT_COMMIT_TAG = "mlflow.source.git.commit"
DATA_HASH_TAG = "mlstack.io/dvc-data-hash"
WORKFLOW_TAG = "mlstack.io/argo-workflow"
FRAMEWORK_TAG = "mlstack.io/framework"

# The DVC output whose hash DATA_HASH_TAG records, and the MLflow dataset input's name.
DATA_PATH = "data/prepared"
# On the dataset input: the file of DATA_PATH whose rows the run trained on (the schema and
# profile MLflow shows are this file's).
DATA_FILE_TAG = "mlstack.io/dvc-file"
# No dvc.lock yet (before the first `dvc repro`): there is no DVC hash to record.
UNKNOWN = "unknown"
# DVC 3's md5 of a file (32 hex digits), or of a folder (its listing's md5 and `.dir`).
DVC_MD5 = re.compile(r"[0-9a-f]{32}(\.dir)?")


def git_commit() -> str:
    if os.environ.get("GIT_COMMIT"):
        return os.environ["GIT_COMMIT"]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=config.ROOT, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return UNKNOWN


def data_hash(lock_path=None) -> str:
    """DVC's md5 of data/prepared, as recorded in dvc.lock by the `prepare` stage."""
    if os.environ.get("DVC_DATA_HASH"):
        return os.environ["DVC_DATA_HASH"]
    try:
        with open(lock_path or config.ROOT / "dvc.lock") as f:
            lock = yaml.safe_load(f) or {}
    except FileNotFoundError:
        return UNKNOWN
    for out in lock.get("stages", {}).get("prepare", {}).get("outs", []):
        if out.get("path") == DATA_PATH:
            return out.get("md5", UNKNOWN)
    return UNKNOWN


def dvc_remote_url(md5: str, root: Path | None = None) -> str:
    """Where the project's default DVC remote keeps the object of this hash, as DVC 3 lays it
    out: `<remote url>/files/md5/<first 2 hex digits>/<the rest>` (e.g.
    `s3://dvc/my-project/files/md5/3f/0c…e1.dir`). Computed by DVC's own config (`.dvc/config`,
    then `.dvc/config.local`) and remote classes, without connecting to the remote: the object is
    there once `dvc push` has run (the pipeline's pull-data step reads it from there)."""
    if not DVC_MD5.fullmatch(md5):
        raise ValueError(f"not a DVC md5 hash: {md5!r}")
    from dvc.cachemgr import CacheManager
    from dvc.config import Config
    from dvc.fs import get_cloud_fs
    from dvc_data.hashfile.db import HashFileDB

    dvc_dir = Path(root or config.ROOT) / ".dvc"
    if not (dvc_dir / "config").is_file():
        raise FileNotFoundError(f"{dvc_dir / 'config'} is missing: no DVC remote to locate the data on")
    dvc_config = Config(dvc_dir=str(dvc_dir))
    remote = dvc_config["core"].get("remote")
    if not remote:
        raise ValueError(f"{dvc_dir / 'config'} names no default remote ([core] remote)")
    fs_cls, fs_config, fs_path = get_cloud_fs(dvc_config, name=remote)
    if fs_config.get("worktree") or fs_config.get("version_aware"):
        raise ValueError(f"DVC remote {remote!r} is cloud-versioned: its objects are not stored by hash")
    fs = fs_cls(**fs_config)
    odb = HashFileDB(fs, fs.join(fs_path, CacheManager.FILES_DIR, "md5"))
    return fs.unstrip_protocol(odb.oid_to_path(md5))


def training_dataset(df, md5: str, data_file: Path):
    """The training data as an MLflow dataset: `df` (the rows of `data_file`, a file of
    data/prepared) gives the schema and profile; the name is `data/prepared`, the digest DVC's
    hash of it (`md5`, the run's DATA_HASH_TAG) and the source where the DVC remote keeps it.
    Without a DVC hash (no dvc.lock yet) the source is the local file and MLflow computes the
    digest, so no digest is ever mistaken for a DVC hash."""
    if md5 == UNKNOWN:
        return _pandas_dataset(df, DATA_PATH, str(data_file.relative_to(config.ROOT)), None)
    return _pandas_dataset(df, DATA_PATH, dvc_remote_url(md5), md5)


def file_dataset(df, data_file: Path, md5: str):
    """One file of data/prepared (the test set, which `evaluate` scores on) as an MLflow dataset:
    name = its path, digest = DVC's md5 of that file (DVC 3: the md5 of its bytes; the folder's
    `.dir` listing names it with it), source = its object on the DVC remote. Without a DVC hash
    of data/prepared (`md5` unknown) the local file and MLflow's own digest, as above."""
    name = str(data_file.relative_to(config.ROOT))
    if md5 == UNKNOWN:
        return _pandas_dataset(df, name, name, None)
    file_md5 = hashlib.md5(data_file.read_bytes()).hexdigest()
    return _pandas_dataset(df, name, dvc_remote_url(file_md5), file_md5)


def _pandas_dataset(df, name: str, source: str, digest: str | None):
    import mlflow.data

    with warnings.catch_warnings():
        # A local path: MLflow cannot tell which of its two local-file source types it is; either is right.
        warnings.filterwarnings("ignore", message="The specified dataset source can be interpreted")
        return mlflow.data.from_pandas(df, source=source, targets=config.TARGET, name=name, digest=digest)


def workflow_name() -> str:
    return os.environ.get("ARGO_WORKFLOW_NAME") or "local"


def run_tags() -> dict[str, str]:
    return {
        GIT_COMMIT_TAG: git_commit(),
        DATA_HASH_TAG: data_hash(),
        WORKFLOW_TAG: workflow_name(),
        FRAMEWORK_TAG: config.FRAMEWORK,
    }


if __name__ == "__main__":
    # `python -m ${{ values.packageName }}.lineage data-hash` prints the data hash (pull-data step).
    what = sys.argv[1] if len(sys.argv) > 1 else "tags"
    if what == "data-hash":
        print(data_hash())
    else:
        for key, value in run_tags().items():
            print(f"{key}={value}")
