"""The submission package and the monev report: collected, rendered (PDF, Excel), packed (ZIP) and verified."""
