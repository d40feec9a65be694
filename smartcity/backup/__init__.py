"""Backup and restore of the whole deployment: database rows and media files in one verified archive."""
