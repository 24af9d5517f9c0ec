"""Builders for test data (CTFd's gen_* style): `make_user(...)`, `make_cohort(...)`, ...

One module per domain (tests/factories/<domain>.py, each with __all__), re-exported here so
tests write `factories.make_cohort(...)`.
"""

import importlib
import pkgutil

from tests.factories.auth import PASSWORD, make_user, unique  # noqa: F401

for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
