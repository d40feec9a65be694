"""Where library entries are used: every app that links evidence to its own objects registers the link here.

The library sits below its users (reports, evaluation answers, later package members and follow-up items), so it
cannot import them; it asks this registry instead, and so lists every use and refuses to delete a used file
whichever app the use comes from. Apps register in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.constants import LOOKUP_SEP

from evidence.models import Evidence

OwnerOf = str | Callable[[models.Model], models.Model]


@dataclass(frozen=True)
class EvidenceLink:
    """One model that links evidence to an owner (a report, an answer), as registered."""

    model: type[models.Model]
    evidence_field: str  # the link's foreign key to Evidence
    label: Any  # what the owner is, for people: "Progress report" (lazily translated)
    owner_of: OwnerOf  # a lookup path from the link to its owner ("report"), or a callable taking the link
    select_related: tuple[str, ...]  # what showing the owner needs, loaded with the links in one query
    describe: Callable[[models.Model], str]  # the owner as one line of text

    def links_to(self, evidence: Evidence | int) -> models.QuerySet[models.Model]:
        return self.model._default_manager.filter(**{self.evidence_field: evidence})

    def owner(self, link: models.Model) -> models.Model:
        if callable(self.owner_of):
            return self.owner_of(link)
        owner: Any = link
        for part in self.owner_of.split(LOOKUP_SEP):
            owner = getattr(owner, part)
        return owner

    @property
    def owner_model(self) -> type[models.Model] | None:
        """The owner's model when `owner_of` is a path (a callable's owners are only known row by row)."""
        if callable(self.owner_of):
            return None
        model: Any = self.model
        for part in self.owner_of.split(LOOKUP_SEP):
            model = model._meta.get_field(part).related_model
        return model


_links: dict[type[models.Model], EvidenceLink] = {}


def register(
    link_model: type[models.Model],
    *,
    evidence_field: str,
    label: Any,
    owner_of: OwnerOf,
    select_related: Sequence[str] = (),
    describe: Callable[[models.Model], str] = str,
) -> None:
    """Tell the library that `link_model` uses evidence through its `evidence_field` foreign key."""
    field = link_model._meta.get_field(evidence_field)
    if not (field.many_to_one and field.related_model is Evidence):
        raise ImproperlyConfigured(f"{link_model.__name__}.{evidence_field} is not a foreign key to Evidence")
    if not callable(owner_of):
        select_related = (owner_of, *select_related)
    _links[link_model] = EvidenceLink(
        model=link_model,
        evidence_field=evidence_field,
        label=label,
        owner_of=owner_of,
        select_related=tuple(dict.fromkeys(select_related)),
        describe=describe,
    )


def registered() -> list[EvidenceLink]:
    """Every registered link, in registration order."""
    return list(_links.values())
