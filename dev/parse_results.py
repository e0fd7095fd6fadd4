"""Turn a test run's output into counts for dev/test.

Usage:
    python3 dev/parse_results.py unittest OUTPUT_FILE EXIT_CODE
    python3 dev/parse_results.py odoo LOG_FILE EXIT_CODE

Prints what a developer must see (failures, unexpected errors), then a last
line "COUNTS <passed> <failed> <skipped>" that dev/test reads.

unittest: the "Ran N tests" line and the "OK (skipped=...)" or
"FAILED (failures=..., errors=..., skipped=...)" line.

Odoo: the closing line of odoo/service/server.py,
"N failed, N error(s) of N tests when loading database 'db'", plus one
"skipped Class.test : reason" INFO line per skipped test
(odoo/tests/result.py). WARNING records are listed, not counted. Any other
ERROR or CRITICAL log record (a module that fails to install, "Some modules
are not loaded", a registry that cannot load) counts as one more failure;
so does, when there is no such record, a missing closing line or an exit code
that is not 0 although no test failed.
Standard library only: it runs before any requirement is installed.
"""

import re
import sys

MAX_LINES = 60  # per shown log record

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) \S+ "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
RESULT = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
# ERROR records of a failed test (shown) and the summaries of them (not shown),
# all already counted by RESULT.
TEST_FAILURE = re.compile(r"^(FAIL|ERROR): ")
TEST_SUMMARY = re.compile(
    r"^(Module \S+: \d+ failures, \d+ errors of \d+ tests"
    r"|At least one test failed when loading the modules"
    r"|Test suite halted: )"
)


def counts_line(passed, failed, skipped):
    return f"COUNTS {max(passed, 0)} {failed} {skipped}"


def parse_unittest(text, exit_code):
    ran = re.search(r"^Ran (\d+) tests? in ", text, re.M)
    if not ran:
        print(text.strip()[-3000:])
        print("unittest did not report a 'Ran N tests' line (see above)")
        return counts_line(0, 1, 0)
    outcome = {}
    verdict = re.search(r"^(OK|FAILED)(?: \((.*)\))?\s*$", text, re.M)
    if verdict and verdict.group(2):
        for item in verdict.group(2).split(", "):
            key, _sep, value = item.partition("=")
            outcome[key] = int(value)
    failed = (
        outcome.get("failures", 0)
        + outcome.get("errors", 0)
        + outcome.get("unexpected successes", 0)
    )
    skipped = outcome.get("skipped", 0)
    passed = int(ran.group(1)) - failed - skipped
    if failed or exit_code != 0:
        # unittest prints each failure with its traceback before "Ran N tests".
        print(text[: ran.start()].strip()[-20000:])
        failed = failed or 1
    return counts_line(passed, failed, skipped)


def records(lines):
    """Group log lines into (level, logger, message, [lines]) records."""
    current = None
    for line in lines:
        match = RECORD.match(line)
        if match:
            if current:
                yield current
            current = (match["level"], match["logger"], match["message"], [line])
        elif current:
            current[3].append(line)
        else:  # before the first record, e.g. "Running as user 'root' ..."
            yield ("PREAMBLE", "", line, [line])
    if current:
        yield current


def show(record_lines):
    for line in record_lines[:MAX_LINES]:
        print(line)
    if len(record_lines) > MAX_LINES:
        print(f"    ... {len(record_lines) - MAX_LINES} more lines in the log")


def parse_odoo(text, exit_code):
    run = failed = skipped = 0
    result_lines = 0
    unexpected = []
    warnings = []
    for level, logger, message, lines in records(text.splitlines()):
        result = RESULT.search(message)
        if result:
            result_lines += 1
            run += int(result["run"])
            failed += int(result["failed"]) + int(result["errors"])
            print(f"{logger}: {message.rstrip()}")
        elif (
            level == "INFO"
            and logger.startswith("odoo.addons.")
            and (message.startswith("skipped "))
        ):
            skipped += 1
            print(f"{logger}: {message.rstrip()}")
        elif level == "WARNING":
            warnings.append(f"{logger}: {message.rstrip()}")
        elif level in ("ERROR", "CRITICAL"):
            if TEST_FAILURE.match(message):
                show(lines)
            elif not TEST_SUMMARY.match(message):
                unexpected.append(lines)
    passed = run - failed - skipped
    if warnings:
        print(f"Odoo logged {len(warnings)} WARNING record(s) (not counted):")
        for line in warnings[:20]:
            print(f"    {line}")
    if unexpected:
        print(f"Odoo logged {len(unexpected)} ERROR/CRITICAL record(s) outside tests:")
        for lines in unexpected:
            show(lines)
        failed += 1
    if not result_lines and not unexpected:
        print("Odoo ended without its 'N failed, N error(s) of N tests' line:")
        show(text.splitlines()[-40:])
        failed += 1
    elif exit_code != 0 and not failed:
        print(f"Odoo exited with code {exit_code} although no test failed")
        failed += 1
    return counts_line(passed, failed, skipped)


def main(kind, path, exit_code):
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    parse = {"unittest": parse_unittest, "odoo": parse_odoo}[kind]
    print(parse(text, int(exit_code)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
