# shellcheck shell=bash
# Shared by dev/run and dev/test: environment checks, the .venv, private
# PostgreSQL clusters and Odoo config files. Source it, don't run it.
#
# Checks print ONE line saying what to install or set and return 1; the
# caller decides whether that ends the command (dev/run) or counts as a
# failed part (dev/test).

SFS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SFS_ADDON=sale_fulfillment_status
# shellcheck disable=SC2034  # used by dev/run and dev/test
SFS_EXTRA_MODULES=mrp,purchase_stock,stock_dropshipping
SFS_VENV=$SFS_ROOT/.venv
SFS_CACHE=$SFS_ROOT/.cache
SFS_LOGS=$SFS_CACHE/logs
SFS_PY=$SFS_VENV/bin/python

sfs_msg() { printf '%s\n' "$*" >&2; }

# --- Odoo source tree ------------------------------------------------------

# ODOO_SRC must be an Odoo 19.0 source tree (odoo-bin + odoo/release.py).
sfs_check_odoo_src() {
    if [ -z "${ODOO_SRC:-}" ]; then
        sfs_msg "ODOO_SRC is not set: set it to an Odoo 19.0 source tree, e.g. ODOO_SRC=~/src/odoo19 dev/$SFS_CMD (see README)"
        return 1
    fi
    local release=$ODOO_SRC/odoo/release.py
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$release" ]; then
        sfs_msg "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin or odoo/release.py): point it to a checkout of github.com/odoo/odoo branch 19.0"
        return 1
    fi
    # version_info = (19, 0, 0, FINAL, 0, '') -> "19, 0"; the tree may have CRLF endings.
    local version
    version=$(tr -d '\r' <"$release" | sed -n 's/^version_info *= *(\([^,]*\), *\([^,]*\),.*/\1, \2/p')
    if [ "$version" != "19, 0" ]; then
        sfs_msg "ODOO_SRC=$ODOO_SRC is Odoo version_info (${version:-unknown}), this addon needs Odoo 19.0: check out branch 19.0 of github.com/odoo/odoo"
        return 1
    fi
}

# --- Python and .venv ------------------------------------------------------

sfs_check_python() {
    if ! command -v python3 >/dev/null; then
        sfs_msg "python3 not found: apt-get install python3 python3-venv"
        return 1
    fi
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        sfs_msg "python3 is $(python3 -c 'import platform; print(platform.python_version())'), Odoo 19 needs Python 3.10 to 3.13: install a newer python3"
        return 1
    fi
}

# Create .venv when missing (only the interpreter; requirements come later).
sfs_venv_create() {
    [ -x "$SFS_PY" ] && return 0
    sfs_check_python || return 1
    mkdir -p "$SFS_LOGS"
    if ! python3 -m venv "$SFS_VENV" >"$SFS_LOGS/venv.log" 2>&1; then
        rm -rf "$SFS_VENV"
        sfs_msg "python3 -m venv failed (log: .cache/logs/venv.log): apt-get install python3-venv"
        return 1
    fi
}

# sfs_venv_install NAME REQFILE: pip install -r REQFILE into .venv unless the
# stamp .venv/.sfs-NAME.sha256 says this exact file is already installed.
sfs_venv_install() {
    local name=$1 reqfile=$2 stamp=$SFS_VENV/.sfs-$1.sha256 sum log=$SFS_LOGS/pip-$1.log
    sum=$({ "$SFS_PY" -V; cat "$reqfile"; } | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        return 0
    fi
    sfs_msg "Installing $name requirements into .venv (log: .cache/logs/pip-$name.log) ..."
    rm -f "$stamp"
    if ! "$SFS_PY" -m pip install -r "$reqfile" >"$log" 2>&1; then
        if grep -q 'pg_config\|libpq-fe.h\|psycopg2' "$log" && grep -qi 'error' "$log"; then
            sfs_msg "pip could not build psycopg2 (log: .cache/logs/pip-$name.log): apt-get install libpq-dev gcc python3-dev"
        else
            sfs_msg "pip install of the $name requirements failed: read .cache/logs/pip-$name.log (network or a package that needs build tools)"
        fi
        return 1
    fi
    echo "$sum" >"$stamp"
}

# Linting tools only: what a fresh CI machine without Odoo needs.
sfs_venv_dev() {
    sfs_venv_create || return 1
    sfs_venv_install dev "$SFS_ROOT/dev/requirements-dev.txt"
}

# Odoo's requirements (as adapted by dev/odoo_requirements.py) plus the
# addon's own dev/requirements.txt when there is one.
sfs_venv_odoo() {
    sfs_venv_create || return 1
    mkdir -p "$SFS_CACHE"
    local reqfile=$SFS_CACHE/odoo-requirements.txt
    "$SFS_PY" "$SFS_ROOT/dev/odoo_requirements.py" "$ODOO_SRC/requirements.txt" >"$reqfile" || {
        sfs_msg "dev/odoo_requirements.py could not read $ODOO_SRC/requirements.txt"
        return 1
    }
    if [ -f "$SFS_ROOT/dev/requirements.txt" ]; then
        cat "$SFS_ROOT/dev/requirements.txt" >>"$reqfile"
    fi
    sfs_venv_install odoo "$reqfile"
}

# --- ports -----------------------------------------------------------------

# sfs_port_free PORT [HOST]: can a server bind PORT (as Odoo does, SO_REUSEADDR)?
sfs_port_free() {
    python3 - "$1" "${2:-0.0.0.0}" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[2], int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

# A loopback port nobody listens on right now.
sfs_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- PostgreSQL ------------------------------------------------------------

# Sets SFS_PG_BIN to a folder with initdb, pg_ctl, postgres and psql: the one
# of pg_ctl in PATH, else the newest /usr/lib/postgresql/*/bin (Debian keeps
# initdb and postgres out of PATH).
sfs_find_pg() {
    local dir candidates=()
    if command -v pg_ctl >/dev/null; then
        candidates+=("$(dirname "$(readlink -f "$(command -v pg_ctl)")")")
    fi
    local newest_first
    mapfile -t newest_first < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -Vr)
    candidates+=("${newest_first[@]}")
    for dir in "${candidates[@]}"; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && [ -x "$dir/psql" ]; then
            SFS_PG_BIN=$dir
            break
        fi
    done
    if [ -z "${SFS_PG_BIN:-}" ]; then
        sfs_msg "No PostgreSQL server (initdb, pg_ctl, postgres) in PATH or /usr/lib/postgresql/*/bin: apt-get install postgresql"
        return 1
    fi
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            sfs_msg "Running as root, PostgreSQL must run as the OS user postgres, which does not exist: apt-get install postgresql creates it"
            return 1
        fi
        if ! command -v runuser >/dev/null; then
            sfs_msg "Running as root, runuser is needed to start PostgreSQL as user postgres: apt-get install util-linux"
            return 1
        fi
    fi
}

# Run a PostgreSQL server command as the cluster owner: the postgres OS user
# when we are root (the server refuses to run as root), else ourselves.
sfs_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# sfs_pg_start ROOT PORT LISTEN [SETTING...]: start the cluster in ROOT/data
# (initdb on first use), with its Unix socket in ROOT and a TCP listener on
# LISTEN:PORT (LISTEN '' means socket only). Extra postgresql.conf settings
# may follow. Sets sfs_pg_host and sfs_pg_port for clients (Odoo, psql).
sfs_pg_start() {
    local root=$1 port=$2 listen=$3
    shift 3
    local data=$root/data sockets=$root
    mkdir -p "$root"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$root"
        if ! runuser -u postgres -- test -w "$root"; then
            sfs_msg "User postgres cannot reach $root (a parent folder is not searchable by others): chmod o+x the parent folders or clone the repository elsewhere"
            return 1
        fi
    fi
    # A Unix socket path is limited to 107 bytes; use TCP only when too long.
    if [ $(( ${#sockets} + 20 )) -gt 107 ]; then
        sockets=""
        [ -n "$listen" ] || listen=127.0.0.1
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"
        if ! sfs_pg_as_owner "$SFS_PG_BIN/initdb" -D "$data" --username=odoo --auth=trust \
            --encoding=UTF8 --no-locale >"$root/initdb.log" 2>&1; then
            sfs_msg "initdb failed in $data: read $root/initdb.log"
            return 1
        fi
        echo "include_if_exists = 'sfs.conf'" | sfs_pg_as_owner tee -a "$data/postgresql.conf" >/dev/null
    fi
    # A server left running by a killed run holds the cluster: stop it first.
    if sfs_pg_as_owner "$SFS_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        sfs_pg_as_owner "$SFS_PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    {
        echo "port = $port"
        echo "listen_addresses = '$listen'"
        echo "unix_socket_directories = '$sockets'"
        local setting
        for setting in "$@"; do echo "$setting"; done
    } | sfs_pg_as_owner tee "$data/sfs.conf" >/dev/null
    if ! sfs_pg_as_owner "$SFS_PG_BIN/pg_ctl" -D "$data" -l "$root/postgresql.log" -w -t 60 start >/dev/null; then
        sfs_msg "PostgreSQL did not start: read $root/postgresql.log"
        return 1
    fi
    sfs_pg_host=${sockets:-127.0.0.1}
    sfs_pg_port=$port
}

# sfs_pg_stop ROOT [MODE]: stop the cluster of ROOT if it runs (MODE: fast, immediate).
sfs_pg_stop() {
    local data=$1/data
    [ -f "$data/postmaster.pid" ] || return 0
    sfs_pg_as_owner "$SFS_PG_BIN/pg_ctl" -D "$data" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}

# sfs_psql DB SQL: one query against the started cluster, unaligned output.
sfs_psql() {
    "$SFS_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sfs_pg_host" -p "$sfs_pg_port" \
        -U odoo -d "$1" -c "$2"
}

# --- Odoo ------------------------------------------------------------------

# Odoo finds the addon through .cache/addons/sale_fulfillment_status, a link
# to the repository root (the root is the addon, but its folder may have any name).
sfs_link_addon() {
    mkdir -p "$SFS_CACHE/addons"
    ln -sfn "$SFS_ROOT" "$SFS_CACHE/addons/$SFS_ADDON"
}

# sfs_odoo_conf FILE DATA_DIR HTTP_PORT [KEY=VALUE...]: an Odoo config file
# for the started cluster. data_dir is set so that Odoo never writes to
# ~/.local/share/Odoo (root's home when run as root).
sfs_odoo_conf() {
    local file=$1 data_dir=$2 http_port=$3
    shift 3
    {
        echo "[options]"
        echo "addons_path = $SFS_CACHE/addons"
        echo "data_dir = $data_dir"
        echo "db_host = $sfs_pg_host"
        echo "db_port = $sfs_pg_port"
        echo "db_user = odoo"
        echo "http_port = $http_port"
        local kv
        for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
    } >"$file"
}

# sfs_odoo_start LOG ARGS...: start odoo-bin in the background with the venv's
# Python (the tree may have CRLF line endings, so never ./odoo-bin); LOG is a
# file, or - for the terminal. Sets sfs_odoo_pid: Python's own pid, so that a
# signal reaches Odoo. Odoo 19 only warns when run as root.
sfs_odoo_pid=""
sfs_odoo_start() {
    local log=$1
    shift
    if [ "$log" = - ]; then
        "$SFS_PY" "$ODOO_SRC/odoo-bin" "$@" &
    else
        "$SFS_PY" "$ODOO_SRC/odoo-bin" "$@" >"$log" 2>&1 &
    fi
    sfs_odoo_pid=$!
}

# sfs_odoo_wait: wait for the started Odoo; returns its exit code.
sfs_odoo_wait() {
    local rc=0
    wait "$sfs_odoo_pid" || rc=$?
    sfs_odoo_pid=""
    return "$rc"
}

# sfs_odoo_stop [GRACE]: stop the started Odoo, if any. After Ctrl-C Odoo
# already shuts down gracefully (it got SIGINT too), so it gets GRACE seconds
# before SIGTERM; a second signal would force its shutdown. SIGKILL after 30 s.
sfs_odoo_stop() {
    local pid=$sfs_odoo_pid grace=${1:-0} tick
    sfs_odoo_pid=""
    [ -n "$pid" ] || return 0
    for ((tick = 0; tick < grace * 10; tick++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((tick = 0; tick < 300; tick++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

sfs_find_browser() {
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null && return 0
    done
    return 1
}
