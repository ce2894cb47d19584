#!/bin/bash
# Entry point of the locally built MariaDB image: the environment and arguments of the
# official mariadb image (MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD,
# MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD, their MYSQL_* names,
# /docker-entrypoint-initdb.d), so that it can stand in for mariadb:11 where no registry
# is reachable. As the official image, the first start's set-up runs on a server without
# networking or binary log: a replica of this node never replays it.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- mariadbd "$@"
fi
if [ "$1" != 'mariadbd' ] && [ "$1" != 'mysqld' ]; then
	exec "$@"
fi
shift
datadir=/var/lib/mysql

root_password="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"
allow_empty="${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
database="${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}"
user="${MARIADB_USER:-${MYSQL_USER:-}}"
password="${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}"

mkdir -p "$datadir" /run/mysqld
chown -R mysql:mysql "$datadir" /run/mysqld

if [ ! -d "$datadir/mysql" ]; then
	if [ -z "$root_password" ] && [ -z "$allow_empty" ]; then
		echo 'Error: set MARIADB_ROOT_PASSWORD, or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1' >&2
		exit 1
	fi
	mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
		--skip-test-db >/dev/null
	socket=/run/mysqld/init.sock
	mariadbd --user=mysql --datadir="$datadir" --skip-networking --skip-log-bin --socket="$socket" &
	pid=$!
	for _ in $(seq 1 60); do
		mariadb --protocol=socket --socket="$socket" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
		sleep 0.5
	done
	sql() { mariadb --protocol=socket --socket="$socket" -uroot "$@"; }
	{
		echo "CREATE USER 'root'@'%' IDENTIFIED BY '${root_password}';"
		echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '${root_password}';"
		if [ -n "$database" ]; then
			echo "CREATE DATABASE IF NOT EXISTS \`${database}\`;"
		fi
		if [ -n "$user" ]; then
			echo "CREATE USER '${user}'@'%' IDENTIFIED BY '${password}';"
			if [ -n "$database" ]; then
				echo "GRANT ALL ON \`${database}\`.* TO '${user}'@'%';"
			fi
		fi
	} | sql
	for file in /docker-entrypoint-initdb.d/*; do
		case "$file" in
			*.sh) echo "running $file"; . "$file" ;;
			*.sql) echo "running $file"; sql -p"${root_password}" ${database:+"$database"} < "$file" ;;
			*) ;;
		esac
	done
	kill "$pid"
	wait "$pid" || true
	echo 'MariaDB init process complete; ready for start up.'
fi

exec mariadbd --user=mysql --datadir="$datadir" --bind-address=0.0.0.0 "$@"
