"""What a demo load created and changed: counted for `load_demo`'s summary, and told line by line with -v 2."""

from __future__ import annotations

from typing import Protocol

# The kinds of object the summary counts, in its order; "updated" counts existing objects changed.
COUNTED = (
    "regions",
    "agencies",
    "users",
    "memberships",
    "masterplans",
    "programmes",
    "indicators",
    "evidence",
    "reports",
    "cycles",
    "questionnaires",
    "questions",
    "answers",
    "scores",
    "notes",
    "meetings",
    "followup items",
    "packages",
    "updated",
)


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class Progress:
    def __init__(self, stdout: Writer | None) -> None:
        self.stdout = stdout
        self.counts: dict[str, int] = dict.fromkeys(COUNTED, 0)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"{message}\n")

    def created(self, key: str, label: object) -> None:
        self.counts[key] += 1
        self.say(f"  created {label} ({key})")

    def updated(self, label: object) -> None:
        self.counts["updated"] += 1
        self.say(f"  updated {label}")
