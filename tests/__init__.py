"""The test-suite. Imported before tests/conftest.py, so before `accelerator.config` reads
TEST_DATABASE_URL: under pytest-xdist (`make test` runs on every CPU) each worker is pointed at a
PostgreSQL database of its own here."""

from tests.worker_database import isolate_worker

isolate_worker()
