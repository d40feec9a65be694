"""Masterplan pages, by capability: the plan, the evidence library, progress reports."""
