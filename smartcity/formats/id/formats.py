# Overrides of Django's Indonesian formats; anything not named here falls back to Django's own.
# Official letters write dates as "29 Januari 2020" and times as "14.30".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
