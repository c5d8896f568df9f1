"""Lineage: the data hash from dvc.lock, and where the DVC remote keeps it."""

import hashlib

import pandas as pd
import pytest

from ${{ values.packageName }} import config, lineage

LOCK = """schema: '2.0'
stages:
  prepare:
    cmd: python -m prepare
    outs:
    - path: data/prepared
      hash: md5
      md5: 3f0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir
      size: 1234
      nfiles: 2
"""


def write_dvc_config(root, text: str) -> None:
    (root / ".dvc" / "config").write_text(text)


def test_the_data_hash_is_read_from_dvc_lock(project):
    assert lineage.data_hash() == "unknown"
    (project / "dvc.lock").write_text(LOCK)
    assert lineage.data_hash() == "3f0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir"


def test_a_folder_is_its_dir_object_in_dvc3_layout(project):
    write_dvc_config(project, "[core]\n    remote = minio\n['remote \"minio\"']\n    url = s3://dvc/my-project\n")
    assert (
        lineage.dvc_remote_url("3f0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir")
        == "s3://dvc/my-project/files/md5/3f/0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir"
    )
    assert (
        lineage.dvc_remote_url("00112233445566778899aabbccddeeff")
        == "s3://dvc/my-project/files/md5/00/112233445566778899aabbccddeeff"
    )


def test_the_default_remote_and_config_local_decide(project):
    write_dvc_config(
        project,
        "[core]\n    remote = b\n['remote \"a\"']\n    url = s3://bucket-a/x\n['remote \"b\"']\n    url = s3://bucket-b/y\n",
    )
    assert lineage.dvc_remote_url("0" * 32) == f"s3://bucket-b/y/files/md5/00/{'0' * 30}"
    # .dvc/config.local wins over .dvc/config (DVC's own precedence)
    (project / ".dvc" / "config.local").write_text("['remote \"b\"']\n    url = s3://bucket-b/z\n")
    assert lineage.dvc_remote_url("0" * 32) == f"s3://bucket-b/z/files/md5/00/{'0' * 30}"


def test_the_generated_remote_is_the_templates_bucket_and_prefix(project):
    assert lineage.dvc_remote_url("a" * 32) == f"s3://${{ values.bucket }}/${{ values.prefix }}/files/md5/aa/{'a' * 30}"


@pytest.mark.parametrize("bad", ["unknown", "", "3F0C2A9BE5D14E7C8A1B2C3D4E5F6A7B", "abc.dir", "../" + "0" * 32])
def test_what_is_not_a_dvc_hash_is_refused(project, bad):
    with pytest.raises(ValueError, match="not a DVC md5 hash"):
        lineage.dvc_remote_url(bad)


def test_no_remote_is_an_error_not_a_guess(project):
    write_dvc_config(project, "['remote \"minio\"']\n    url = s3://dvc/p\n")
    with pytest.raises(ValueError, match="no default remote"):
        lineage.dvc_remote_url("0" * 32)
    (project / ".dvc" / "config").unlink()
    with pytest.raises(FileNotFoundError):
        lineage.dvc_remote_url("0" * 32)


def test_the_training_dataset_carries_the_dvc_hash_and_location(project):
    df = pd.DataFrame({"amount": [1.0, 2.0], config.TARGET: [0, 1]})
    md5 = "3f0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir"
    dataset = lineage.training_dataset(df, md5, config.TRAIN_CSV)
    assert (dataset.name, dataset.digest) == ("data/prepared", md5)
    assert dataset.source.uri == lineage.dvc_remote_url(md5)
    # Without a hash: the local file, MLflow's digest.
    local = lineage.training_dataset(df, "unknown", config.TRAIN_CSV)
    assert local.source.uri == "data/prepared/train.csv" and local.digest != "unknown"


def test_the_test_file_is_its_own_dvc_object(project):
    config.TEST_CSV.parent.mkdir(parents=True)
    df = pd.DataFrame({"amount": [1.0, 2.0, 3.0], config.TARGET: [0, 1, 0]})
    df.to_csv(config.TEST_CSV, index=False)
    file_md5 = hashlib.md5(config.TEST_CSV.read_bytes()).hexdigest()
    dataset = lineage.file_dataset(df, config.TEST_CSV, "3f0c2a9be5d14e7c8a1b2c3d4e5f6a7b.dir")
    assert (dataset.name, dataset.digest) == ("data/prepared/test.csv", file_md5)
    assert dataset.source.uri.endswith(f"/files/md5/{file_md5[:2]}/{file_md5[2:]}")
    assert dataset.source.uri == lineage.dvc_remote_url(file_md5)
    local = lineage.file_dataset(df, config.TEST_CSV, "unknown")
    assert local.source.uri == "data/prepared/test.csv" and local.digest != file_md5
