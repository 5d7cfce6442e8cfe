"""Helpers the tests share: scripted APIs, pipeline runs, store readers (no tests here)."""
