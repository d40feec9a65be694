"""Writes for the evaluation, by capability: cycles and questionnaires, answers, assessment."""
