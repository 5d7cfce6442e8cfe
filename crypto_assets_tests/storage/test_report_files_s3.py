"""The day's report files and the index on an S3 lake (moto), and the index's local copy."""

from __future__ import annotations

import boto3

from crypto_assets.report.__main__ import local_copy
from crypto_assets.report.day import build_day_report, reported_days, write_day_report, write_index
from crypto_assets_tests.support.report import DAY, at, count, counts, hour_windows, write_day
from crypto_assets_tests.support.storage import s3_lake


def test_reports_land_in_an_s3_lake_and_copy_out_for_a_browser(
    s3_bucket: str, moto_endpoint: str, tmp_path
) -> None:
    lake = s3_lake(s3_bucket, moto_endpoint)
    write_day(lake, hour_windows(3), counts(count(at(3), "BTC", 2)))
    report = build_day_report(lake, DAY, replay=False)
    location = write_day_report(lake, report)
    assert location == f"s3://{s3_bucket}/lake/reports/day=2022-05-08/report.html"
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    png = s3.get_object(Bucket=s3_bucket, Key="lake/reports/day=2022-05-08/report.png")
    assert png["Body"].read() == report.png
    assert reported_days(lake) == ["2022-05-08"]
    index, days = write_index(lake)
    assert index == f"s3://{s3_bucket}/lake/reports/index.html" and days == ["2022-05-08"]

    copied = local_copy(lake, days, tmp_path / "reports")
    assert "day=2022-05-08/report.html" in copied.read_text()
    page = (tmp_path / "reports/day=2022-05-08/report.html").read_text()
    assert "data:image/png;base64," in page and ", live;" in page
