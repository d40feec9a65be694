"""Reads for the masterplan app, by capability."""

from masterplan.selectors.plan import *  # noqa: F403
