"""Create the harness's S3 buckets if they do not exist yet (idempotent)."""
import sys

import boto3
from botocore.exceptions import ClientError


def main(endpoint: str, buckets: list[str]) -> None:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket in buckets:
        if bucket in existing:
            continue
        try:
            s3.create_bucket(Bucket=bucket)
        except ClientError as err:
            if err.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
                raise


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
