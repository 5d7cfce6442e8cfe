# The shared bucket settings were one resource per bucket before they became for_each
# resources (main.tf, "Settings both buckets share"). These blocks carry existing state
# over (the bootstrap's state bucket, any applied environment), so a plan does not drop
# and re-create a bucket's public access block or versioning. Remove them once every
# configuration using this module has applied them.

moved {
  from = aws_s3_bucket_ownership_controls.logs
  to   = aws_s3_bucket_ownership_controls.this["logs"]
}

moved {
  from = aws_s3_bucket_public_access_block.logs
  to   = aws_s3_bucket_public_access_block.this["logs"]
}

moved {
  from = aws_s3_bucket_versioning.logs
  to   = aws_s3_bucket_versioning.this["logs"]
}

moved {
  from = aws_s3_bucket_ownership_controls.this
  to   = aws_s3_bucket_ownership_controls.this["main"]
}

moved {
  from = aws_s3_bucket_public_access_block.this
  to   = aws_s3_bucket_public_access_block.this["main"]
}

moved {
  from = aws_s3_bucket_versioning.this
  to   = aws_s3_bucket_versioning.this["main"]
}
