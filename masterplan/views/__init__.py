"""Masterplan pages, by capability: the plan, progress reports."""
