#!/bin/sh
# Builds a local stand-in for the official mariadb:11 image, for machines that can reach
# Debian's package archive but no image registry: a minimal Debian root filesystem with
# Debian's MariaDB server, this directory's entry point, imported with `docker import`.
# Idempotent: an image already tagged is kept. Needs root (debootstrap) and a Docker engine.
set -eu

image="${1:-pool-local/mariadb:11}"
here="$(cd "$(dirname "$0")" && pwd)"

if docker image inspect "$image" >/dev/null 2>&1; then
	echo "Image $image is already built."
	exit 0
fi
command -v debootstrap >/dev/null 2>&1 || apt-get install -y -q debootstrap >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Building $image (debootstrap of Debian trixie with mariadb-server; about a minute)"
debootstrap --variant=minbase --include=mariadb-server trixie "$work/rootfs" http://deb.debian.org/debian \
	>"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }

root="$work/rootfs"
# The package's own data directory and what only the build needed: smaller layers copy faster.
rm -rf "$root/var/lib/mysql/"* "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* \
	"$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/locale" "$root/usr/share/info"
install -m 0755 "$here/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$root/docker-entrypoint-initdb.d" "$root/run/mysqld" "$root/etc/mysql/conf.d"
chroot "$root" chown -R mysql:mysql /var/lib/mysql /run/mysqld

tar -C "$root" -c . | docker import \
	-c 'ENV LANG=C.UTF-8' \
	-c 'VOLUME /var/lib/mysql' \
	-c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
	-c 'EXPOSE 3306' \
	-c 'CMD ["mariadbd"]' \
	- "$image" >/dev/null
echo "Built $image"
