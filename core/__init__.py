"""The ground layer: what every app may use and which imports no app of the workspace.

- ``errors``: the one family of service errors (``Conflict`` -> HTTP 409; Django's own
  ``ValidationError`` -> 400 and ``PermissionDenied`` -> 403 complete it).
- ``cleaning``: the one cleaner of text and the one reader of whole numbers that come from
  outside.
- ``activity`` and ``models``: the one activity writer and the audit rows it writes.
- ``forms`` and ``api``: service errors shown on a form, and answered by the JSON API.
- ``registry``: named hooks that higher apps fill at start-up (``AppConfig.ready``) and lower
  apps read, so that no lower app ever names a higher one.
"""
