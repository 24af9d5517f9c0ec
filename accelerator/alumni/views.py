"""The alumni domain's pages."""

from accelerator.alumni import bp  # noqa: F401
