"""The demoday domain's pages."""

from accelerator.demoday import bp  # noqa: F401
