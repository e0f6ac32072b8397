# How dates and times read in Arabic (FORMAT_MODULE_PATH; Django's own module fills the rest).
# Digits are the Western ones (0-9) everywhere, as Django, the API and the Markdown write them
# and as Maghreb readers expect (docs/i18n.md); month names come from Django's catalogue; the
# Arabic comma separates the date from the time, on the 24-hour clock.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_SECONDS_FORMAT = "j F Y، H:i:s"  # the audit log
