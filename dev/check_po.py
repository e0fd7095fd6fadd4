#!/usr/bin/env python3
# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check that the Japanese translation is complete and in sync with the .pot.

Usage (from anywhere; paths default to this addon's i18n/ folder)::

    python3 dev/check_po.py [--po i18n/ja.po] [--pot i18n/<addon>.pot]

One line per problem on stdout, then ``ja.po: N/M translated``. Problems:

- an entry of ja.po with an empty msgstr,
- a fuzzy entry,
- placeholders (``%(name)s``, ``%s``, ``{name}``) that differ between msgid
  and msgstr, or HTML tags that differ (markup must be kept),
- a msgid of the .pot missing from ja.po (run ``msgmerge --update``),
- a header without ``Language: ja`` or ``Plural-Forms: nplurals=1; plural=0;``.

Entries of ja.po that the .pot no longer has are reported on stderr as
warnings only. Exit status: 0 clean, 1 problems found, 2 a file is missing
or cannot be parsed. Standard library only.
"""

import argparse
import ast
import re
import sys
from collections import Counter
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent

# printf-style (%(name)s, %s, %d, %.2f, %%) and str.format-style ({name}, {0}, {})
PRINTF_RE = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
FORMAT_RE = re.compile(r"\{[A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")


class Entry:
    __slots__ = ("line", "msgctxt", "msgid", "msgid_plural", "msgstr", "flags")

    def __init__(self, line):
        self.line = line
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}  # index -> text; 0 for a plain msgstr
        self.flags = set()

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


def _unquote(text, path, lineno):
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"{path}:{lineno}: expected a quoted string: {text}")
    # PO strings use C escapes, which a Python string literal understands too.
    return ast.literal_eval(text)


class _Parser:
    """A small PO reader: live entries only (obsolete ``#~`` ones are skipped)."""

    def __init__(self, path):
        self.path = path
        self.entries = []
        self.current = None
        self.field = None  # (attribute, msgstr index or None)
        self.pending_flags = set()
        self.pending_line = None

    def finish(self):
        if self.current is not None and self.current.msgid is not None:
            self.entries.append(self.current)
        self.current = None
        self.field = None

    def comment(self, stripped, lineno):
        if self.current is not None and self.current.msgstr:
            self.finish()
        if stripped.startswith("#,"):
            flags = (flag.strip() for flag in stripped[2:].split(","))
            self.pending_flags.update(flag for flag in flags if flag)
        if self.pending_line is None:
            self.pending_line = lineno

    def continuation(self, stripped, lineno):
        if self.field is None:
            raise ValueError(f"{self.path}:{lineno}: string outside an entry")
        name, index = self.field
        value = _unquote(stripped, self.path, lineno)
        if name == "msgstr":
            self.current.msgstr[index] += value
        else:
            setattr(self.current, name, getattr(self.current, name) + value)

    def keyword(self, stripped, lineno):
        keyword, _sep, rest = stripped.partition(" ")
        current = self.current
        if keyword in ("msgctxt", "msgid") and (
            current is None
            or current.msgstr
            or (keyword == "msgctxt" and current.msgid is not None)
        ):
            self.finish()
        if self.current is None:
            self.current = Entry(self.pending_line or lineno)
            self.current.flags = self.pending_flags
            self.pending_flags = set()
            self.pending_line = None
        value = _unquote(rest, self.path, lineno)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(self.current, keyword, value)
            self.field = (keyword, None)
        elif keyword == "msgstr" or re.fullmatch(r"msgstr\[\d+\]", keyword):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            self.current.msgstr[index] = value
            self.field = ("msgstr", index)
        else:
            raise ValueError(f"{self.path}:{lineno}: unexpected line: {stripped}")

    def parse(self):
        with open(self.path, encoding="utf-8") as handle:
            for lineno, raw in enumerate(handle, 1):
                stripped = raw.strip()
                if not stripped:
                    self.finish()
                elif stripped.startswith(("#~", "#|")):
                    continue  # obsolete entries and previous msgids
                elif stripped.startswith("#"):
                    self.comment(stripped, lineno)
                elif stripped.startswith('"'):
                    self.continuation(stripped, lineno)
                else:
                    self.keyword(stripped, lineno)
        self.finish()
        return self.entries


def parse_po(path):
    """Return the list of live (non-obsolete) entries of a PO/POT file."""
    return _Parser(path).parse()


def placeholders(text):
    return Counter(PRINTF_RE.findall(text)) + Counter(FORMAT_RE.findall(text))


def tags(text):
    # Compare tags by name and attributes, ignoring whitespace inside the tag.
    return Counter(" ".join(tag.split()) for tag in TAG_RE.findall(text))


def short(text, width=70):
    text = text.replace("\n", "\\n")
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def header_problems(entries):
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    if header is None:
        return ["no header entry"]
    fields = {}
    for line in header.msgstr.get(0, "").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    problems = []
    if fields.get("language") != "ja":
        problems.append(
            f"header: Language is {fields.get('language')!r}, expected 'ja'"
        )
    plural = " ".join(fields.get("plural-forms", "").split())
    if plural.rstrip(";") != "nplurals=1; plural=0":
        problems.append(
            f"header: Plural-Forms is {plural!r}, expected 'nplurals=1; plural=0;'"
        )
    return problems


def entry_problems(entry, where):
    """Problems of one ja.po entry: fuzzy, empty, placeholders, markup."""
    problems = []
    values = [entry.msgstr.get(i, "") for i in sorted(entry.msgstr)] or [""]
    if "fuzzy" in entry.flags:
        problems.append(f"{where}: fuzzy: {short(entry.msgid)}")
    if any(not value for value in values):
        problems.append(f"{where}: empty msgstr: {short(entry.msgid)}")
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    for value in filter(None, values):
        if not any(placeholders(src) == placeholders(value) for src in sources):
            want = sorted(placeholders(entry.msgid).elements())
            got = sorted(placeholders(value).elements())
            problems.append(
                f"{where}: placeholders differ (msgid {want}, msgstr {got}): "
                f"{short(entry.msgid)}"
            )
        if not any(tags(src) == tags(value) for src in sources):
            problems.append(f"{where}: markup differs: {short(entry.msgid)}")
    return problems


def default_pot():
    pot = ADDON_DIR / "i18n" / f"{ADDON_DIR.name}.pot"
    if not pot.exists():
        candidates = sorted((ADDON_DIR / "i18n").glob("*.pot"))
        if len(candidates) == 1:
            return candidates[0]
    return pot


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--po", type=Path, default=ADDON_DIR / "i18n" / "ja.po")
    parser.add_argument("--pot", type=Path, default=None)
    args = parser.parse_args(argv)
    pot = args.pot or default_pot()
    for path in (args.po, pot):
        if not path.is_file():
            print(f"{path}: file not found", file=sys.stderr)
            return 2
    try:
        po_entries = parse_po(args.po)
        pot_entries = parse_po(pot)
    except (ValueError, SyntaxError, UnicodeDecodeError) as error:
        print(f"cannot parse: {error}", file=sys.stderr)
        return 2

    name = args.po.name
    problems = header_problems(po_entries)
    messages = [e for e in po_entries if e.msgid != "" or e.msgctxt is not None]
    translated = 0
    for entry in messages:
        found = entry_problems(entry, f"{name}:{entry.line}")
        problems += found
        translated += not found

    po_keys = {entry.key for entry in messages}
    pot_messages = [e for e in pot_entries if e.msgid != "" or e.msgctxt is not None]
    missing = [entry for entry in pot_messages if entry.key not in po_keys]
    for entry in missing:
        problems.append(
            f"{name}: missing msgid of {pot.name}:{entry.line}: {short(entry.msgid)}"
        )
    pot_keys = {entry.key for entry in pot_messages}
    for entry in messages:
        if entry.key not in pot_keys:
            print(
                f"warning: {name}:{entry.line}: msgid not in {pot.name} "
                f"(stale; msgmerge would make it obsolete): {short(entry.msgid)}",
                file=sys.stderr,
            )

    for problem in problems:
        print(problem)
    print(f"{name}: {translated}/{len(messages) + len(missing)} translated")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
