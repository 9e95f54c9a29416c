"""The confidence vote, one module per step of its life.

`setup` (rules, subjects, committee) → `ceremony` (the key ceremony) → `desk` (attendance,
quorum, opening, codes) → `casting` (code + encrypted ballot → board entry) → `counting`
(closing, decryption shares, results, the record).

The commit rule, stated once: services change the session and flush; the request or the CLI
command that called them commits once (or rolls back on an error). The one exception is
`casting.cast_ballot`, which owns its transaction: it consumes the code and appends the board
entry in a single transaction and commits before the receipt is shown, so that an accepted
ballot survives a crash and a race for one code has exactly one winner.
"""
