"""What both client tests share: the repository and its fixtures, the `fat` CLI of a build, a
`fat serve` on a free port, and the entry point that skips (or, under CI, fails) without fixtures.
"""
import json
import os
import subprocess
import sys
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO.parent / "shared" / "fixtures"

bin_dir: Path  # the build's products; set by main() from argv before the tests run


def fat(*args) -> str:
    """Runs the fat CLI and returns its stdout; a failure raises with what fat printed."""
    run = subprocess.run([str(bin_dir / "fat"), *map(str, args)], capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        # fat prints a usage error on stdout, other errors on stderr.
        output = run.stderr.strip() or run.stdout.strip()
        raise RuntimeError(f"fat {' '.join(map(str, args))} exited {run.returncode}: {output}")
    return run.stdout


def start_server(data: Path, *options) -> tuple[subprocess.Popen, str]:
    """Starts `fat serve` (with `options`) on a free port; returns it and its URL, from its first line."""
    out, err = data / "serve.out", data / "serve.err"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        server = subprocess.Popen(
            [str(bin_dir / "fat"), "serve", "--data", str(data), "--listen", "127.0.0.1:0", "--json", "--operator", "operator", *map(str, options)],
            stdout=stdout, stderr=stderr)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = out.read_text().split("\n", 1)
        if len(line) == 2:  # the first line is complete
            return server, json.loads(line[0])["listening"]
        if server.poll() is not None:
            break
        time.sleep(0.05)
    stop_server(server)
    raise RuntimeError(f"fat serve did not report where it listens within 10 s: {err.read_text().strip()}")


def stop_server(server: subprocess.Popen):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main():
    """Runs the calling script's tests with the bin directory given as argv[1]."""
    global bin_dir
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} BIN_DIR")
    bin_dir = Path(sys.argv[1]).resolve()
    if not FIXTURES.is_dir():
        if os.environ.get("CI") == "true":
            sys.exit(f"FAILED: ../shared/fixtures not found ({FIXTURES}), and under CI the tests may not be skipped")
        print("SKIPPED: ../shared/fixtures not found")
        sys.exit(0)
    unittest.main(module="__main__", argv=[sys.argv[0], *sys.argv[2:]], verbosity=2)
