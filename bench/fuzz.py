"""A longer fuzzing campaign: tests/security/test_fuzz.py with more, non-derandomised examples.

    python bench/fuzz.py [--examples 5000] [--database-url URL] [--seed N]

Every route of app.url_map gets malformed, truncated, oversized and type-confused JSON (the
API) or random fields (the forms) and junk parameters; the properties are those of the test
(never a 500, never a change of state). Prints the examples run and the time; exits non-zero
on a failure, with hypothesis's shrunk example. docs/security.md records the campaigns run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--examples", type=int, default=5000, help="examples per property (3 properties)"
    )
    parser.add_argument(
        "--database-url", default=None, help="e.g. postgresql+psycopg://root@127.0.0.1:5432/test"
    )
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args()
    env = dict(os.environ, BALLOT_FUZZ_EXAMPLES=str(args.examples), BALLOT_FUZZ_RANDOM="1")
    if args.database_url:
        env["BALLOT_TEST_DATABASE_URL"] = args.database_url
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/security/test_fuzz.py",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
    ]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    began = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    seconds = time.monotonic() - began
    print(
        f"fuzz: {args.examples} examples x 3 properties, {seconds:.0f} s, "
        f"{'postgresql' if args.database_url else 'sqlite'}, {'passed' if result.returncode == 0 else 'FAILED'}"
    )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
