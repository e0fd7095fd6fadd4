"""Print the Python requirements of an Odoo 19 tree, ready for pip.

Odoo's requirements.txt pins, for Python 3.11, a few old releases that only ship
as source and no longer build with current setuptools (cbor2 5.4.2, for
example). The releases it pins for Python 3.12 install as wheels on 3.11 and
run Odoo 19, so on 3.11 the markers are evaluated as if on 3.12.
python-ldap is left out: only the auth_ldap module needs it, and it needs the
OpenLDAP headers to build.

Usage: python dev/odoo_requirements.py ODOO_SRC/requirements.txt
"""

import platform
import sys

try:
    from packaging.markers import Marker
except ImportError:  # a bare venv: pip vendors packaging
    from pip._vendor.packaging.markers import Marker

SKIPPED = {"python-ldap"}


def _environment():
    version = platform.python_version_tuple()
    env = {}
    if (int(version[0]), int(version[1])) < (3, 12):
        env = {"python_version": "3.12", "python_full_version": "3.12.0"}
    return env


def select(lines):
    env = _environment()
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec, _sep, marker = line.partition(";")
        spec = spec.strip()
        name = spec.split("=", 1)[0].split("<", 1)[0].split(">", 1)[0].strip()
        if name.lower() in SKIPPED:
            continue
        if marker.strip() and not Marker(marker.strip()).evaluate(env):
            continue
        yield spec


def main(path):
    with open(path, encoding="utf-8") as handle:
        for spec in select(handle):
            print(spec)


if __name__ == "__main__":
    main(sys.argv[1])
