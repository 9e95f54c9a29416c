"""A small scanner that measures the functions of a JavaScript file (issue 15: none over ~80 lines).

It reads the source as tokens, so that braces inside strings, template literals, regular
expressions and comments are never counted, then matches the braces and keeps those that open
a function body:

- after `=>` (an arrow function; it starts at its parameters),
- after `)` whose `(` follows `function`, `function name`, or a method's name (object and class
  methods, getters and setters), but not `if`, `for`, `while`, `switch`, `catch` or `with`.

A function's length counts the lines from its first line (`function`, `async`, the method's
name or the arrow's parameters) to the line of its closing brace, both included. A regular
expression is told from a division by the token before the `/`, as JavaScript's grammar does
for the code this project writes (a `/` after `)`, `]`, `}`, a name or a number divides).

    python3 -m tests.foundation.jsscan [LIMIT]     # print the functions over LIMIT lines
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS_ROOT = ROOT / "ballot" / "static" / "js"
#: Third-party code is not ours to split (none today; a `vendor` folder would hold it).
SKIPPED_FOLDERS = {"vendor"}

#: Words after which a `/` starts a regular expression, not a division.
_BEFORE_REGEX = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
    "do", "else", "yield", "await",
}  # fmt: skip
#: Words whose `(...)` `{` opens a statement's block, not a function body.
_BLOCK_KEYWORDS = {"if", "for", "while", "switch", "catch", "with"}
_PUNCTUATION = [
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
    "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "**", "<<", ">>",
]  # fmt: skip


@dataclass(frozen=True)
class Token:
    text: str
    line: int
    #: "name" (identifier or keyword), "number", "string" (string, template or regex), "punct".
    kind: str


@dataclass(frozen=True)
class Function:
    path: str
    line: int
    end: int
    header: str

    @property
    def length(self) -> int:
        return self.end - self.line + 1


class ScanError(ValueError):
    """The source is not what the scanner understands (an unclosed string, brace, ...)."""


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"


def tokens(source: str) -> list[Token]:
    """The significant tokens of `source`: comments dropped, strings, templates and regular
    expressions each one token; a template's `${...}` expressions tokenised as code."""
    out: list[Token] = []
    i, line, n = 0, 1, len(source)
    # One entry per open `${` of a template literal: the brace depth inside that expression.
    templates: list[int] = []

    def regex_allowed() -> bool:
        if not out:
            return True
        last = out[-1]
        if last.kind == "name":
            return last.text in _BEFORE_REGEX
        if last.kind in ("number", "string"):
            return False
        return last.text not in (")", "]", "}")

    def template(start: int, start_line: int) -> tuple[int, int, bool]:
        """Read template text from `start` (after ` or }); return (index, line, opened ${)."""
        j, ln = start, start_line
        while j < n:
            ch = source[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "`":
                return j + 1, ln, False
            if ch == "$" and source.startswith("${", j):
                return j + 2, ln, True
            if ch == "\n":
                ln += 1
            j += 1
        raise ScanError(f"line {start_line}: unclosed template literal")

    while i < n:
        ch = source[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch in " \t\r\f\v\ufeff":
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                raise ScanError(f"line {line}: unclosed comment")
            line += source.count("\n", i, end)
            i = end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and source[j] != ch:
                if source[j] == "\n":
                    raise ScanError(f"line {line}: unclosed string")
                j += 2 if source[j] == "\\" else 1
            if j >= n:
                raise ScanError(f"line {line}: unclosed string")
            out.append(Token(source[i : j + 1], line, "string"))
            i = j + 1
        elif ch == "`" or (ch == "}" and templates and templates[-1] == 0):
            if ch == "}":
                templates.pop()
            start_line = line
            i, line, opened = template(i + 1, line)
            out.append(Token("`", start_line, "string"))
            if opened:
                templates.append(0)
        elif ch == "/" and regex_allowed():
            j, in_class = i + 1, False
            while j < n and (in_class or source[j] != "/"):
                if source[j] == "\n":
                    raise ScanError(f"line {line}: unclosed regular expression")
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            if j >= n:
                raise ScanError(f"line {line}: unclosed regular expression")
            j += 1
            while j < n and _is_name_char(source[j]):  # flags
                j += 1
            out.append(Token(source[i:j], line, "string"))
            i = j
        elif _is_name_char(ch):
            j = i
            while j < n and (_is_name_char(source[j]) or (ch.isdigit() and source[j] == ".")):
                j += 1
            out.append(Token(source[i:j], line, "number" if ch.isdigit() else "name"))
            i = j
        else:
            text = next((p for p in _PUNCTUATION if source.startswith(p, i)), ch)
            if templates and text in "{}":
                templates[-1] += 1 if text == "{" else -1
            out.append(Token(text, line, "punct"))
            i += len(text)
    if templates:
        raise ScanError("unclosed template expression")
    return out


def functions(source: str, path: str = "<source>") -> list[Function]:
    """Every function of `source` with its first and last line, outer functions first."""
    toks = tokens(source)
    partner: dict[int, int] = {}
    stack: list[int] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for index, tok in enumerate(toks):
        if tok.kind != "punct":
            continue
        if tok.text in "([{":
            stack.append(index)
        elif tok.text in pairs:
            if not stack or toks[stack[-1]].text != pairs[tok.text]:
                raise ScanError(f"{path}:{tok.line}: unmatched {tok.text!r}")
            opening = stack.pop()
            partner[index], partner[opening] = opening, index
    if stack:
        raise ScanError(f"{path}:{toks[stack[-1]].line}: unclosed {toks[stack[-1]].text!r}")

    lines = source.splitlines()
    found = []
    for index, tok in enumerate(toks):
        if tok.text != "{" or tok.kind != "punct" or index == 0:
            continue
        start = _function_start(toks, partner, index)
        if start is not None:
            first = toks[start].line
            header = lines[first - 1].strip()[:60]
            found.append(Function(path, first, toks[partner[index]].line, header))
    return found


def _function_start(toks: list[Token], partner: dict[int, int], brace: int) -> int | None:
    """The index of the first token of the function whose body opens at `brace`, or None."""
    before = toks[brace - 1]
    if before.text == "=>":
        params = brace - 2
        if params >= 0 and toks[params].text == ")":
            params = partner[params]
        if params > 0 and toks[params - 1].text == "async":
            params -= 1
        return params
    if before.text != ")":
        return None
    opening = partner[brace - 1]
    if opening == 0:
        return None
    head = opening - 1
    if toks[head].text == "]" and toks[head].kind == "punct":  # a computed name: [key]() {
        return partner[head]
    name = toks[head]
    if name.kind != "name" or name.text in _BLOCK_KEYWORDS:
        return None
    # `function`, `function name`, `function* name`, `name`, `async name`, `get name`, `*name`
    if name.text != "function" and head > 0 and toks[head - 1].text == "*":
        head -= 1
    if head > 0 and toks[head - 1].text == "function":
        head -= 1
    elif head > 1 and toks[head - 1].text == "*" and toks[head - 2].text == "function":
        head -= 2
    if head > 0 and toks[head - 1].text in ("async", "get", "set", "static"):
        head -= 1
        if head > 0 and toks[head - 1].text == "static":
            head -= 1
    return head


def js_files(root: Path = JS_ROOT) -> list[Path]:
    return sorted(
        p for p in root.rglob("*.js") if not SKIPPED_FOLDERS & set(p.relative_to(root).parts)
    )


def long_functions(limit: int, root: Path = JS_ROOT) -> list[Function]:
    """The functions over `limit` lines in the project's page scripts."""
    out = []
    for path in js_files(root):
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        out += [f for f in functions(path.read_text(encoding="utf-8"), name) if f.length > limit]
    return out


if __name__ == "__main__":
    for f in long_functions(int(sys.argv[1]) if len(sys.argv) > 1 else 80):
        print(f"{f.path}:{f.line}: {f.length} lines: {f.header}")
