"""Terraform configuration and the outputs-to-env script."""
