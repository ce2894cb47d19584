#!/bin/bash
# Entry point of the locally built PostgreSQL image: the environment and arguments of the
# official postgres image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, /docker-entrypoint-initdb.d), so that
# it can stand in for postgres:17 where no registry is reachable.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi
if [ "$1" != 'postgres' ]; then
	exec "$@"
fi

if [ "$(id -u)" = '0' ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	user="${POSTGRES_USER:-postgres}"
	database="${POSTGRES_DB:-$user}"
	auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != 'trust' ]; then
		echo 'Error: set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust' >&2
		exit 1
	fi
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments
	initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") --auth-local=trust \
		--auth-host="$auth" ${POSTGRES_INITDB_ARGS:-} -D "$PGDATA"
	printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

	# A server on the socket only, for the database and the init scripts.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
	export PGUSER="$user" PGHOST=/var/run/postgresql
	if [ "$database" != 'postgres' ]; then
		psql -v ON_ERROR_STOP=1 --dbname=postgres -c "CREATE DATABASE \"$database\""
	fi
	for file in /docker-entrypoint-initdb.d/*; do
		case "$file" in
			*.sh) echo "running $file"; . "$file" ;;
			*.sql) echo "running $file"; psql -v ON_ERROR_STOP=1 --dbname="$database" -f "$file" ;;
			*) ;;
		esac
	done
	pg_ctl -D "$PGDATA" -m fast -w stop
	unset PGUSER PGHOST
	echo 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
