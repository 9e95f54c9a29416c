"""The OpenAPI 3.1 description of the JSON API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/responses/Error"}


def _op(
    summary: str, responses: dict[str, Any], body: dict[str, Any] | None = None, auth: bool = False
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if auth:
        op["security"] = [{"session": [], "csrf": []}]
    return op


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    return out


VOTE_ID = {
    "name": "public_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
OBJ = {"type": "object"}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "ballot API",
        "version": "1",
        "description": (
            "Confidence votes with ballots encrypted on the tablet. Errors are "
            '{"error": {"code", "message", "message_vi"}} with a stable code. The ballot, manifest '
            "and record formats are specified in docs/protocol.md."
        ),
    },
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message", "message_vi"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "message_vi": {"type": "string"},
                        },
                    }
                },
            },
            "Receipt": {
                "type": "object",
                "required": ["seq", "tracker", "short_code", "chain", "repeated"],
                "properties": {
                    "seq": {"type": "integer"},
                    "tracker": {"type": "string"},
                    "short_code": {"type": "string"},
                    "chain": {"type": "string"},
                    "repeated": {"type": "boolean"},
                },
            },
            "Vote": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "kind": {"enum": ["confidence", "election"]},
                    "conference": {"type": "string"},
                    "state": {"enum": ["draft", "ceremony", "ready", "open", "closed", "counted"]},
                    "fingerprint": {"type": ["string", "null"]},
                    "summoned": {"type": "integer"},
                    "present": {"type": "integer"},
                    "quorum_needed": {"type": "integer"},
                    "codes_issued": {"type": "integer"},
                    "reissued": {"type": "integer"},
                    "ballots_cast": {"type": "integer"},
                },
            },
        },
        "responses": {
            "Error": {
                "description": "Refused; nothing changed",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
    },
    "paths": {
        "/api/v1/votes": {
            "get": _op(
                "List votes",
                {
                    "200": _ok(
                        "Votes",
                        {
                            "type": "object",
                            "properties": {
                                "votes": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Vote"},
                                }
                            },
                        },
                    )
                },
            )
        },
        "/api/v1/votes/{public_id}": {
            "parameters": [VOTE_ID],
            "get": _op(
                "State and turnout of a vote (counts only)",
                {"200": _ok("Vote", {"$ref": "#/components/schemas/Vote"}), "404": _ERROR},
            ),
        },
        "/api/v1/votes/{public_id}/manifest": {
            "parameters": [VOTE_ID],
            "get": _op(
                "The frozen manifest and its fingerprint",
                {"200": _ok("Manifest", OBJ), "409": _ERROR},
            ),
        },
        "/api/v1/votes/{public_id}/codes/check": {
            "parameters": [VOTE_ID],
            "post": _op(
                "Check a one-time ballot code without using it (rate-limited on failures)",
                {
                    "200": _ok("Usable"),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "409": _ERROR,
                    "429": _ERROR,
                },
                {
                    "type": "object",
                    "required": ["code"],
                    "properties": {"code": {"type": "string"}},
                },
            ),
        },
        "/api/v1/votes/{public_id}/ballots": {
            "parameters": [VOTE_ID],
            "post": _op(
                "Cast an encrypted ballot with a one-time code",
                {
                    "201": _ok("Accepted", {"$ref": "#/components/schemas/Receipt"}),
                    "200": _ok(
                        "The same ballot was already accepted with this code (a retry)",
                        {"$ref": "#/components/schemas/Receipt"},
                    ),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "409": _ERROR,
                    "413": _ERROR,
                    "429": _ERROR,
                },
                {
                    "type": "object",
                    "required": ["code", "ballot"],
                    "properties": {"code": {"type": "string"}, "ballot": OBJ},
                },
            ),
        },
        "/api/v1/votes/{public_id}/board": {
            "parameters": [VOTE_ID],
            "get": _op(
                "The public board: ballots in order with trackers and chain hashes",
                {"200": _ok("Board", OBJ)},
            ),
        },
        "/api/v1/votes/{public_id}/results": {
            "parameters": [VOTE_ID],
            "get": _op(
                "Per-subject results once decrypted; for an election (kind election): the "
                "candidates ranked with votes, percent of valid ballots, status and reason "
                "under 190-QĐ/TW, who is elected and whether a further round is needed",
                {"200": _ok("Results", OBJ), "409": _ERROR},
            ),
        },
        "/api/v1/votes/{public_id}/record": {
            "parameters": [VOTE_ID],
            "get": _op(
                "The election record (check it with `ballot verify`)",
                {"200": _ok("Record", OBJ), "409": _ERROR},
            ),
        },
        "/api/v1/votes/{public_id}/ceremony": {
            "parameters": [VOTE_ID],
            "get": _op(
                "Key ceremony state for the logged-in member",
                {"200": _ok("State", OBJ), "401": _ERROR, "403": _ERROR},
                auth=True,
            ),
        },
        "/api/v1/votes/{public_id}/ceremony/{step}": {
            "parameters": [
                VOTE_ID,
                {
                    "name": "step",
                    "in": "path",
                    "required": True,
                    "schema": {"enum": ["commit", "shares", "done"]},
                },
            ],
            "post": _op(
                "Post this member's ceremony message(s)",
                {"200": _ok("Stored"), "400": _ERROR, "403": _ERROR, "409": _ERROR},
                OBJ,
                auth=True,
            ),
        },
        "/api/v1/votes/{public_id}/decryption": {
            "parameters": [VOTE_ID],
            "post": _op(
                "Submit this member's partial decryption with proofs",
                {"200": _ok("Accepted", OBJ), "400": _ERROR, "403": _ERROR, "409": _ERROR},
                {"type": "object", "required": ["share"], "properties": {"share": OBJ}},
                auth=True,
            ),
        },
    },
}
