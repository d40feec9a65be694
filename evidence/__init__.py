"""The evidence library (bukti dukung): stored files, library entries, and where each one is used."""
