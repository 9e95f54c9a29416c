"""Annual ratings on the web: one blueprint (`base`), its display views (`display`: dashboard,
drill-down, checks, report; readers) and its management views (`manage`: years, entry,
not rated; `files`: import and export; the administrator). Queries live in
`ballot.rating.queries`."""

from ballot.web.rating import display, files, manage  # noqa: F401 - the views register on bp
from ballot.web.rating.base import bp

__all__ = ["bp"]
