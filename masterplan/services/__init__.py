"""Writes for the masterplan app, by capability: the plan, progress reports."""

from masterplan.services.plan import *  # noqa: F403
from masterplan.services.plan import check_supporting_agencies, check_target_years  # noqa: F401
