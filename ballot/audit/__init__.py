"""The audit log: who did which administrative or counting action, and when, hash-chained.

Other parts of the app call `record(actor, action, target, details)` inside their request's
transaction; `verify_chain()` says whether any entry was edited or deleted since.
"""

from ballot.audit.service import record, verify_chain

__all__ = ["record", "verify_chain"]
