"""Elections in the party (bầu cử) under Quy định 190-QĐ/TW: rules as configuration.

Pure functions only (no Flask, no database): the workflow layer records the configuration
with each election and calls these on the counts the verified record carries.
"""
