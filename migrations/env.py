"""Alembic environment for Flask-Migrate (uses db.engine, not the deprecated get_engine())."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def _db():
    return current_app.extensions["migrate"].db


config.set_main_option(
    "sqlalchemy.url",
    _db().engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)
target_metadata = _db().metadata


def include_object(obj, name, type_, reflected, compare_to):
    """Leave PostgreSQL-only indexes made by hand (trigram search) out of the comparison."""
    return not (type_ == "index" and name and name.endswith("_trgm"))


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # Do not write an empty revision when nothing changed.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_as_batch", True)  # SQLite needs batch mode for ALTERs
    conf_args.setdefault("include_object", include_object)

    with _db().engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
