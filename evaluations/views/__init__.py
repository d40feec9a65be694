"""Evaluation pages, by capability: cycles, questionnaire, verification and results (DKISP), answers (SKPDs and
DKISP), assessment (assessors), windows (DKISP's extensions)."""
