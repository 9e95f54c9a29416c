"""Cryptography of `ballot` (protocol ballot/v1, see docs/protocol.md).

A pure library: no Flask, no database. Modules: group (Ed25519 subgroup points and
scalars), encoding (canonical JSON, base32), elgamal, proofs, ballot (encrypt and check
ballots), board (chain, closing, board check), dkg (key ceremony), keyfile (key files and
cards), tally, manifest, context, record (build and verify), simulate, cli, parallel
(the shared thread pool), errors. Elections (protocol §10): election (ballots and their
proofs), election_batch (batch verification), election_record (board, record build and
verify), election_pool (board check in worker processes), election_sim (simulation).
"""
