#!/bin/sh
# Makes a Docker engine reachable for the Testcontainers and Docker Compose tests on a
# Debian machine with no engine running and no image registry, as CI does: installs
# docker.io and Docker Compose v2 if missing, starts dockerd (no iptables, vfs storage)
# unless an engine answers, and builds the local postgres and mariadb images. Run as root. If any step
# fails, the build still runs; the Docker tests then say in one line that they did not run.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"

if ! docker info >/dev/null 2>&1; then
	if ! command -v dockerd >/dev/null 2>&1; then
		echo "Installing docker.io"
		apt-get install -y -q docker.io >/dev/null
	fi
	# An explicit bridge address: inside a container, Testcontainers reaches published
	# ports through the bridge's gateway, which Docker lists only when it is given.
	echo "Starting dockerd (--iptables=false --storage-driver=vfs --bip=172.17.0.1/16)"
	nohup dockerd --iptables=false --storage-driver=vfs --bip=172.17.0.1/16 >/tmp/dockerd.log 2>&1 &
	tries=0
	until docker info >/dev/null 2>&1; do
		tries=$((tries + 1))
		if [ "$tries" -gt 60 ]; then
			echo "dockerd did not answer within 60 s; see /tmp/dockerd.log"
			exit 1
		fi
		sleep 1
	done
fi

# Spring Boot's Docker Compose support needs Compose v2 ("docker compose"); Debian 12 has
# only v1, Debian 13 packages v2 as a self-contained binary.
if ! docker compose version >/dev/null 2>&1; then
	echo "Installing Docker Compose v2 (Debian trixie's docker-compose package)"
	deb="$(mktemp -d)"
	curl -fsS -o "$deb/Packages.xz" http://deb.debian.org/debian/dists/trixie/main/binary-amd64/Packages.xz
	file="$(xz -dc "$deb/Packages.xz" | awk '/^Package: docker-compose$/ { found = 1 } found && /^Filename:/ { print $2; exit }')"
	curl -fsS -o "$deb/docker-compose.deb" "http://deb.debian.org/debian/$file"
	dpkg -x "$deb/docker-compose.deb" "$deb/root"
	mkdir -p /usr/libexec/docker/cli-plugins
	install -m 0755 "$deb/root/usr/libexec/docker/cli-plugins/docker-compose" /usr/libexec/docker/cli-plugins/
	rm -rf "$deb"
fi

"$here/postgres/build-image.sh"
"$here/mariadb/build-image.sh"
