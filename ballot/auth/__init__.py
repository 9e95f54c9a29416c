"""Accounts, roles and password hashing."""
