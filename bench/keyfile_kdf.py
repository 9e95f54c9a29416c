"""The key file's scrypt cost on a mid-range tablet, emulated in headless Chromium.

    python bench/keyfile_kdf.py            # readable
    python bench/keyfile_kdf.py --json     # one JSON object

Debian's Chromium (/usr/bin/chromium) through Playwright, an 800×1280 touch viewport at
device scale 2 and the CPU slowed 4× through the DevTools protocol
(`Emulation.setCPUThrottlingRate`, rate 4), the usual stand-in for a mid-range Android
tablet on a desktop CPU. For each log_n (r = 8, p = 1) it times the browser's scrypt
(ballot/static/js/crypto/scrypt.js) and, at the default, `openKeyFile` of a real key file
(scrypt + AES-GCM + s·B = V check): medians of --runs runs after one warm-up run, measured
in the page with performance.now(). Same figures without throttling for comparison.
The chosen default must stay under ~2 s throttled (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ballot.crypto.dkg import ceremony_id, run_ceremony
from ballot.crypto.keyfile import DEFAULT_LOG_N, seal_key
from tests.browser.pages.server import CHROMIUM, CHROMIUM_ARGS, serve

TIME_SCRYPT = """async ([logN, runs]) => {
  const { scrypt } = await import("/ballot/static/js/crypto/scrypt.js");
  const pw = new TextEncoder().encode("mật khẩu thử"), salt = new Uint8Array(16);
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    await scrypt(pw, salt, 2 ** logN, 8, 1, 32);
    if (i > 0) times.push(performance.now() - t0);
  }
  return times;
}"""

TIME_OPEN = """async ([keyFile, passphrase, runs]) => {
  const c = window.ballotCrypto;
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    await c.openKeyFile(keyFile, passphrase);
    if (i > 0) times.push(performance.now() - t0);
  }
  return times;
}"""

TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def run(runs: int, log_ns: list[int]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    names = ["Thành viên 1", "Thành viên 2", "Thành viên 3"]
    _, keys = run_ceremony(ceremony_id("BENCH-KDF", 2, names), 2, 3)
    key_file = seal_key(keys[0], "BENCH-KDF", "mật khẩu thử")
    results: dict[str, Any] = {"throttled_x4": {}, "unthrottled": {}}
    with serve() as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**TABLET)
            page = context.new_page()
            page.goto(f"{base_url}/tests/browser/pages/crypto.html")
            page.wait_for_function("window.cryptoReady === true")
            cdp = context.new_cdp_session(page)
            for label, rate in (("unthrottled", 1), ("throttled_x4", 4)):
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                out = results[label]
                for log_n in log_ns:
                    times = page.evaluate(TIME_SCRYPT, [log_n, runs])
                    out[f"scrypt_2^{log_n}_ms"] = round(statistics.median(times), 1)
                times = page.evaluate(TIME_OPEN, [key_file, "mật khẩu thử", runs])
                out[f"open_keyfile_default_2^{DEFAULT_LOG_N}_ms"] = round(
                    statistics.median(times), 1
                )
            results["chromium"] = browser.version
        finally:
            browser.close()
    results["machine"] = {"nproc": os.cpu_count(), "load_average": os.getloadavg()}
    results["runs"] = runs
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=3, help="runs per median")
    parser.add_argument("--log-n", type=int, nargs="+", default=[15, 16, 17])
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    results = run(args.runs, args.log_n)
    if args.json:
        print(json.dumps(results))
        return
    print(f"Chromium {results['chromium']}, {results['machine']}, median of {args.runs}")
    for label in ("unthrottled", "throttled_x4"):
        for name, ms in results[label].items():
            print(f"  {label:13} {name:32} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
