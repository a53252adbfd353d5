"""Create the storage bucket when it does not exist (local sandbox only)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """For compose.yaml's S3 emulator; in a deployment the stack owns the bucket."""

    help = "Create the media/static bucket in a local S3 emulator if it is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
        except KeyError as exc:
            raise CommandError("STORAGES has no S3 bucket: is AWS_STORAGE_BUCKET_NAME set?") from exc
        region = settings.STORAGES["default"]["OPTIONS"].get("region_name") or "us-east-1"
        s3 = boto3.client("s3", region_name=region)
        try:
            s3.head_bucket(Bucket=bucket)
            self.stdout.write(f"bucket {bucket} exists")
        except ClientError:
            extra: dict[str, Any] = {}
            if region != "us-east-1":
                extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
            s3.create_bucket(Bucket=bucket, **extra)
            self.stdout.write(f"bucket {bucket} created")
