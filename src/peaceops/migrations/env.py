"""Alembic environment: runs on the connection handed over by ``peaceops.store.upgrade``."""

from alembic import context
from sqlalchemy import create_engine

import peaceops.access.models
import peaceops.agreements.models
import peaceops.commitments.models
import peaceops.comms.models
import peaceops.conduct.models
import peaceops.conflict.models
import peaceops.environment.models
import peaceops.framework.models
import peaceops.incidents.models
import peaceops.missions.models
import peaceops.notifications.models
import peaceops.partnerships.models
import peaceops.performance.models
import peaceops.personnel.models
import peaceops.processes.models
import peaceops.resources.models
import peaceops.roster.models
import peaceops.safety.models
import peaceops.store.audit
import peaceops.store.coverage
import peaceops.store.generation
import peaceops.store.jobs
import peaceops.store.outbox
import peaceops.store.provenance
import peaceops.support.models
import peaceops.training.models
import peaceops.transitions.models  # noqa: F401  (registers the tables)
from peaceops.store.base import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # plain `alembic` CLI use, e.g. autogenerate during development
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///var/peaceops.sqlite")
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    context.run_migrations()


run()
