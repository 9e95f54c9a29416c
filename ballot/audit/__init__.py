"""The audit log: who did which administrative or counting action, and when, hash-chained.

Other parts of the app call `record(actor, action, target, details)` inside their request's
transaction; `verify_chain()` says whether any entry was edited or deleted since; `head()`
is the checked head the results page and the minutes print.
"""

from ballot.audit.service import head, record, verify_chain

__all__ = ["head", "record", "verify_chain"]
