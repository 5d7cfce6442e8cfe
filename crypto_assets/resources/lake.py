"""The lake resource: a local folder or an S3 prefix reached through dagster-aws's S3Resource."""

from __future__ import annotations

import s3fs
from botocore.exceptions import BotoCoreError, ClientError
from dagster import ConfigurableResource, InitResourceContext
from dagster_aws.s3 import S3Resource
from pydantic import Field

from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lake_stores import S3Store


class LakeUnreachableError(RuntimeError):
    """The configured S3 lake cannot be reached or used."""


class LakeResource(ConfigurableResource):
    """Where asset windows live as hive-style Parquet: `root` is a folder or `s3://bucket/prefix`."""

    root: str = Field(description="A local folder or s3://bucket/prefix")
    s3: S3Resource = Field(description="S3 client settings; used only for an s3:// root")

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Fail the run at its start, in one line, when an S3 lake's bucket is unreachable."""
        if not self.root.startswith("s3://"):
            return
        bucket = self.root.removeprefix("s3://").split("/", 1)[0]
        try:
            self.s3.get_client().head_bucket(Bucket=bucket)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise LakeUnreachableError(
                f"CRYPTO_LAKE_ROOT {self.root}: bucket {bucket!r} is not usable "
                f"(HTTP {exc.response.get('ResponseMetadata', {}).get('HTTPStatusCode')}, "
                f"{code}): check the name, the region and the runtime role's access"
            ) from None
        except BotoCoreError as exc:
            raise LakeUnreachableError(
                f"CRYPTO_LAKE_ROOT {self.root}: S3 is not reachable ({exc})"
            ) from None

    def lake(self) -> ParquetLake:
        """The lake: writes through S3Resource's boto3 client, reads through s3fs on S3."""
        if not self.root.startswith("s3://"):
            return ParquetLake(self.root)
        store = S3Store(self.root.removeprefix("s3://"), self.s3.get_client(), self._s3fs())
        return ParquetLake(self.root, store)

    def _s3fs(self) -> s3fs.S3FileSystem:
        # pyarrow datasets and DuckDB read through fsspec; this mirrors the S3Resource settings
        # (DuckDB's own httpfs extension cannot be installed without internet access).
        s3 = self.s3
        return s3fs.S3FileSystem(
            key=s3.aws_access_key_id,
            secret=s3.aws_secret_access_key,
            token=s3.aws_session_token,
            profile=s3.profile_name,
            endpoint_url=s3.endpoint_url,
            client_kwargs={"region_name": s3.region_name} if s3.region_name else {},
            use_listings_cache=False,
            skip_instance_cache=True,
        )
