"""The organisation: its tree of party bodies, members, committees and conferences."""
