"""Shared building blocks: roles and permissions, audit log, mail outbox, files, money,
pagination, time, the registry of extension points and the domain signals.

Core imports nothing above it (the import-linter contract in pyproject.toml holds this); the
pages that used to live here (home, audit log, outbox) are in `accelerator.site`.
"""
