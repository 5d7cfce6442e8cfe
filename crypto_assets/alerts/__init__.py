"""Alerts: one message type, two transports (SNS, or an outbox file plus the log)."""
