"""Integer `__in` lookups that drop values the database cannot hold instead of crashing on them.

Django already turns an out-of-range `exact`/`gt`/`lt` on an integer column into "no rows" (IntegerFieldOverflow),
but `__in` passes every value to the driver, and SQLite's refuses integers beyond 2⁶³ with OverflowError: a form
that receives `agency=99999999999999999999` in a multiple choice (ModelMultipleChoiceField filters `pk__in`)
answered 500. A value outside the column's range can never match, so it is dropped before the query is built.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            kept = [
                v
                for v in self.rhs
                if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))
            ]
            if not kept and self.rhs:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)
