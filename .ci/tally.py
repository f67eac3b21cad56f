#!/usr/bin/env python3
# The last line of .ci/test: "N passed, N failed[, N skipped]" over meson's
# JSON test logs, exit 1 if anything failed.
# usage: tally.py SETUP_FAILURES ALLOWED_SKIPS LOG.json...
# A skip counts as a skip only if its reason matches a line of ALLOWED_SKIPS
# (.ci/allowed-skips); any other skip is a failure. A missing log is a failure.
import json, re, sys
failed_setup = int(sys.argv[1])
allowed = [re.compile(l) for l in open(sys.argv[2]).read().splitlines()
           if l.strip() and not l.startswith("#")]

def skip_reason(entry):
    """The last "SKIP: why" (or TAP "# SKIP why") line of a test's output."""
    why = None
    for l in (entry.get("stdout", "") + "\n" + entry.get("stderr", "")).splitlines():
        m = re.search(r"(?:^SKIP: |# SKIP )(.*)$", l)
        if m:
            why = m.group(1).strip()
    return why

passed = failed = skipped = 0
for path in sys.argv[3:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        r = entry.get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            why = skip_reason(entry)
            if why and any(a.search(why) for a in allowed):
                skipped += 1
                print(f"skipped: {entry.get('name')}: {why}")
            else:
                failed += 1
                print(f"FAIL (a skip not allowed in CI, see .ci/allowed-skips): "
                      f"{entry.get('name')}: {why or 'no reason given'}")
        else:
            failed += 1
failed += failed_setup
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
