terraform {
  # 1.10+ for S3-native state locking (use_lockfile).
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    snowflake = {
      source  = "snowflakedb/snowflake"
      version = "~> 2.10"
    }
  }

  # Partial configuration: bucket and region come from `terraform init -backend-config=...`
  # (see terraform/README.md); the state bucket is created by terraform/bootstrap.
  backend "s3" {
    key          = "crypto-assets/prod/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
