"""Evaluation pages, by capability: cycles (DKISP), answers (SKPDs and DKISP), assessment (assessors)."""
