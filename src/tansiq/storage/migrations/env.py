"""Alembic environment: batch mode so migrations also run on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from tansiq.storage.db import make_engine
from tansiq.storage.schema import metadata

config = context.config


def run_migrations_online() -> None:
    """Run migrations on the configured engine."""
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
