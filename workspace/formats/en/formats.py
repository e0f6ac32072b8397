# How dates and times read in English (FORMAT_MODULE_PATH; Django's own module fills the rest).
# Times are on the 24-hour clock in every language: the conference's people read schedules so.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_SECONDS_FORMAT = "j M Y, H:i:s"  # the audit log
