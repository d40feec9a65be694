"""The media half of a backup: every file of every storage a FileField uses, read and written through the
storage API, so the same code copies a local MEDIA_ROOT and an S3 bucket."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, default_storage, storages
from django.db import models

PREFIX = "media/"


def storage_named(alias: str) -> Storage:
    # default_storage, not storages["default"]: it is what FileFields hold and what test settings override.
    return default_storage if alias == "default" else storages[alias]  # type: ignore[return-value]


def alias_of(storage: Storage) -> str:
    if storage is default_storage:
        return "default"
    for alias in settings.STORAGES:
        if storages[alias] is storage:
            return alias
    raise ImproperlyConfigured(
        f"A FileField uses the storage {storage!r}, which is not named in settings.STORAGES: "
        "the backup could not say where to restore its files. Name it there."
    )


def used_storages() -> list[str]:
    """The aliases of the storages the models' FileFields keep their files in."""
    aliases = {"default"}
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(field, models.FileField):
                aliases.add(alias_of(field.storage))
    return sorted(aliases)


def walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in `storage` under `directory`, in a stable order, a directory listing at a time."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local MEDIA_ROOT not created yet: no files
        return
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from walk(storage, posixpath.join(directory, name))


def member_name(alias: str, name: str) -> str:
    return f"{PREFIX}{alias}/{name}"


def split_member(member: str) -> tuple[str, str]:
    alias, _, name = member.removeprefix(PREFIX).partition("/")
    return alias, name
