"""The database half of a backup: every table as JSON lines through Django's serializers, and back.

The dump keeps every primary key, ContentType's and Permission's included, and restore replaces the rows that
`migrate` wrote into the empty target (content types, permissions, the framework) with the archive's. So every
reference by id stays true: foreign keys to ContentType (AuditEvent.target_type, the admin log, permissions)
and the ids stored as text beside them (AuditEvent.target_id). Natural keys would re-map ContentType ids on
load, but not an id kept as text, and would cost one lookup per reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, models, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from smartcity.backup.archive import ArchiveError, ArchiveReader

# Rows `migrate` itself writes (post_migrate's content types and permissions, masterplan's data migration).
# A migrated database holding only these is empty; restore replaces them with the archive's, children first.
SEEDED = ("auth.permission", "masterplan.element", "contenttypes.contenttype", "masterplan.dimension")
# Rows per query when reading a table and per INSERT when loading one.
ROWS = 2000


class Refused(Exception):
    """The database is not in a state to back up from or restore into; nothing has been written."""


def check_migrated(alias: str) -> None:
    """Refuse a database whose migrations lag behind (or run ahead of) the code: its tables differ from the
    models the dump reads them through."""
    executor = MigrationExecutor(connections[alias])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in pending[:5])
        raise Refused(f"The database is not migrated to this code ({names} not applied): run `manage.py migrate`.")


def backed_up_models(alias: str) -> list[type[models.Model]]:
    """Every table this database holds for the app, the auto-created many-to-many tables included: those are
    dumped as tables of their own so their rows keep their ids and each parent row costs no extra query."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and router.allow_migrate_model(alias, model)
    ]


def member_name(model: type[models.Model]) -> str:
    return f"data/{model._meta.label_lower}.jsonl"


def applied_migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds the database holds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Counted:
    def __init__(self, rows: Iterable[models.Model]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[models.Model]:
        for row in self._rows:
            self.count += 1
            yield row


def dump_table(model: type[models.Model], alias: str, stream: IO[str]) -> int:
    """Write every row of `model` to `stream` as JSON lines, in primary key order, a chunk of rows at a time."""
    rows = _Counted(model._base_manager.using(alias).order_by("pk").iterator(chunk_size=ROWS))
    # Only the table's own columns: many-to-many links are the rows of their own (auto-created) tables.
    own_fields = [field.name for field in model._meta.local_fields]
    serializers.serialize("jsonl", rows, stream=stream, fields=own_fields, cls=ExactJSONEncoder)
    return rows.count


def referenced_files(alias: str) -> Iterator[tuple[models.FileField, str]]:
    """Every file name stored in a FileField of a row, with its field (whose storage holds the file)."""
    for model in backed_up_models(alias):
        for field in model._meta.local_fields:
            if isinstance(field, models.FileField):
                names = model._base_manager.using(alias).exclude(**{field.name: ""}).values_list(field.attname)
                for (name,) in names.order_by().iterator(chunk_size=ROWS):
                    if name:
                        yield field, name


def check_compatible(meta: dict[str, Any], alias: str) -> None:
    """Refuse an archive made at migrations this code lacks, or a target not migrated exactly as the source."""
    archived = {(app, name) for app, names in meta.get("migrations", {}).items() for name in names}
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    unknown = sorted(archived - set(loader.disk_migrations))
    if unknown:
        raise Refused(
            "The archive was made by a newer version of the app: this code has no migration "
            + ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            + f". Install the version that made it (git commit {meta.get('git_commit') or 'unknown'}) and restore "
            "with that."
        )
    applied = set(loader.applied_migrations)
    if applied != archived:
        missing = sorted(archived - applied)
        extra = sorted(applied - archived)
        latest = {app: names[-1] for app, names in sorted(meta.get("migrations", {}).items())}
        raise Refused(
            "The target database is not migrated to the archive's state"
            + (f"; not applied: {', '.join(f'{a}.{n}' for a, n in missing[:5])}" if missing else "")
            + (f"; applied but not in the archive: {', '.join(f'{a}.{n}' for a, n in extra[:5])}" if extra else "")
            + ". Run `manage.py migrate <app> <migration>` on the empty database for each of "
            + ", ".join(f"{app} {name}" for app, name in latest.items())
            + ", restore, then run `manage.py migrate`."
        )
    expected = {model._meta.label_lower for model in backed_up_models(alias)}
    archived_models = {entry["label"] for entry in meta.get("models", [])}
    if expected != archived_models:
        difference = sorted(expected ^ archived_models)
        raise Refused(f"The archive's tables differ from this code's: {', '.join(difference[:5])}.")


def non_empty_tables(alias: str) -> list[str]:
    """The tables, apart from the rows `migrate` writes, that already hold rows."""
    return [
        model._meta.label_lower
        for model in backed_up_models(alias)
        if model._meta.label_lower not in SEEDED and model._base_manager.using(alias).exists()
    ]


def load(reader: ArchiveReader, meta: dict[str, Any], alias: str) -> dict[str, int]:
    """Load every table of the archive into the empty database `alias`; call inside a transaction.

    Rows go in with their own primary keys, in batches, through a raw INSERT: no save() or signal runs, and
    auto_now fields keep their archived values. Foreign keys are checked once all tables are in (both
    PostgreSQL and SQLite defer Django's foreign key constraints to the end of the transaction).
    """
    connection = connections[alias]
    for label in SEEDED:
        apps.get_model(label)._base_manager.using(alias).all().delete()
    counts: dict[str, int] = {}
    loaded: list[type[models.Model]] = []
    for entry in meta["models"]:
        model = apps.get_model(entry["label"])
        counts[entry["label"]] = _load_table(reader, model, entry["member"], alias)
        if counts[entry["label"]] != entry["count"]:
            raise ArchiveError(
                f"The archive member {entry['member']} holds {counts[entry['label']]} rows; "
                f"meta.json says {entry['count']}."
            )
        loaded.append(model)
    try:
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    except DatabaseError as error:
        raise ArchiveError(f"The archive's rows do not fit together: {error}") from None
    # PostgreSQL's sequences still start at 1 after rows went in with their own ids.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(sql)
    return counts


def _load_table(reader: ArchiveReader, model: type[models.Model], member: str, alias: str) -> int:
    connection = connections[alias]
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = max(1, min(ROWS, connection.ops.bulk_batch_size(fields, [None] * ROWS)))
    manager = model._base_manager.using(alias)
    batch: list[models.Model] = []
    count = 0
    with reader.open_text(member) as stream:
        try:
            for deserialized in serializers.deserialize("jsonl", stream, using=alias):
                row = deserialized.object
                if type(row) is not model:
                    raise ArchiveError(f"The archive member {member} holds a row of {row._meta.label_lower}.")
                batch.append(row)
                if len(batch) == size:
                    manager._insert(batch, fields=fields, raw=True, using=alias)  # type: ignore[attr-defined]
                    count += len(batch)
                    batch = []
        except DeserializationError as error:
            raise ArchiveError(f"The archive member {member} cannot be read: {error}") from None
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=alias)  # type: ignore[attr-defined]
        count += len(batch)
    return count


@contextmanager
def snapshot(alias: str) -> Iterator[None]:
    """A transaction in which every table is read as of one moment."""
    connection = connections[alias]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        # PostgreSQL's default (READ COMMITTED) gives each query its own moment: a report approved between two
        # tables would be half in the dump. REPEATABLE READ blocks nobody. SQLite's transaction already is one
        # moment (it holds the write lock, so writers wait the seconds the dump takes).
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
