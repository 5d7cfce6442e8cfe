# One-time bootstrap of the remote-state bucket the environments' S3 backends use.
# Applied with local state by an account administrator (see terraform/README.md);
# it reuses the data_lake module, so the state bucket gets the same guarantees as the
# lake: SSE-KMS, versioning, no public access, TLS-only, access logs, old-version expiry.

terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region              = var.aws_region
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      Project   = "crypto-assets"
      ManagedBy = "terraform-bootstrap"
    }
  }
}

module "state_bucket" {
  source = "../modules/data_lake"

  name_prefix                        = "crypto-assets"
  bucket_suffix                      = "tfstate"
  lake_prefix                        = "crypto-assets"
  raw_asset_prefixes                 = [] # no raw data here
  noncurrent_version_expiration_days = 90
  noncurrent_versions_to_keep        = 10
  access_log_retention_days          = 365
  force_destroy                      = false
}
