# How dates and times read in French (FORMAT_MODULE_PATH; Django's own module fills the rest:
# decimal comma, non-breaking space between thousands).
# Month names in full: Django's abbreviated ones ("M") are capitalised, which French is not.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_SECONDS_FORMAT = "j F Y, H:i:s"  # the audit log
