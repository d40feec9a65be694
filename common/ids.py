"""Reading database ids from request text: ASCII digits only, within the range a BIGINT column holds.

`str.isdigit()` accepts "²" and "①" (which `int()` then refuses: a 500), and `int()` accepts "١٢٣" and "1_000":
neither is an id a page of ours ever sends, so both are treated as no id at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id in `value`, or None when it is not one (wrong characters, zero, or beyond BIGINT)."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among `values` (a POSTed list of checkboxes), in order, without duplicates."""
    return list(dict.fromkeys(i for i in map(parse_id, values) if i is not None))
