"""Shared building blocks: permissions, audit log, mail outbox, files, money, pagination, time.

Its blueprint (home, health check, audit and outbox pages) lives in core.views, so importing a
helper from core never pulls in views.
"""
