"""Entry point for gunicorn: production settings unless the environment says otherwise."""

import os

os.environ.setdefault("ACCELERATOR_ENV", "production")

from accelerator import create_app  # noqa: E402

app = create_app()
