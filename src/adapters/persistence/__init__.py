"""Persistence: SQLAlchemy (async) tables, repositories and unit of work; migrations;
the legacy database import. SQLite by default, any SQLAlchemy async URL otherwise."""

from adapters.persistence.database import create_engine, database_url, default_database_path
from adapters.persistence.legacy import LegacyImportError, LegacyImportReport, import_legacy
from adapters.persistence.migrate import open_database, upgrade
from adapters.persistence.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory

__all__ = [
    "LegacyImportError",
    "LegacyImportReport",
    "SqlUnitOfWork",
    "SqlUnitOfWorkFactory",
    "create_engine",
    "database_url",
    "default_database_path",
    "import_legacy",
    "open_database",
    "upgrade",
]
