"""Cryptography of `ballot` (protocol ballot/v1, see docs/protocol.md).

A pure library: no Flask, no database. Modules: group (Ed25519 subgroup), elgamal,
proofs, ballot (encrypt/verify ballots), board (chain, closing), dkg (key ceremony),
keyfile (key files and cards), tally, manifest, record (build/verify), simulate, cli.
"""
