#!/bin/sh
# Sets up a throwaway PostgreSQL server for kh on 127.0.0.1, following the steps of
# docs/deploy-postgresql.md (install, cluster, the kh_admin role and the kh database, kh init),
# so that CI proves the guide on a clean machine. Prints the store URL on its last line.
#
#   scripts/pg_setup.sh [FOLDER] [PORT]     (defaults: a new folder under /tmp, port 54329)
#
# Stop it with: FOLDER/stop
set -eu

dir=${1:-$(mktemp -d /tmp/kh-pg.XXXXXX)}
port=${2:-54329}
password=kh-admin-secret   # a throwaway server; the guide says to choose a real one

# Step 1 of the guide: the server, from Debian's packages.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# The server refuses to run as root: run it as the postgres user the package created.
# (From /, which that user can always enter.)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# Step 2: a cluster that listens on loopback only, with password (SCRAM) logins over TCP.
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >/dev/null
# (fsync=off: a throwaway server for tests; the guide's server keeps the default.)
if [ "$(id -u)" = 0 ]; then stop="runuser -u postgres --"; else stop=""; fi
printf '#!/bin/sh\ncd / && %s %s -D %s -m immediate stop\n' "$stop" "$bin/pg_ctl" "$dir/data" >"$dir/stop"
chmod +x "$dir/stop"

# Step 3: the role that owns kh's tables and manages officers (not a superuser: the owner
# still bypasses row-level security, officers never do), and its database.
as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE kh_admin LOGIN CREATEROLE CREATEDB PASSWORD '$password';
CREATE DATABASE kh OWNER kh_admin;
SQL

# Step 4: the schema, with kh itself.
url="postgresql+psycopg2://kh_admin:$password@127.0.0.1:$port/kh"
python -m kh --db "$url" init >/dev/null
echo "$url"
