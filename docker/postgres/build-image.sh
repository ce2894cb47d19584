#!/bin/sh
# Builds a local stand-in for the official postgres:17 image, for machines that can reach
# Debian's package archive but no image registry: a minimal Debian root filesystem with
# Debian's PostgreSQL 17, this directory's entry point, imported with `docker import`.
# Idempotent: an image already tagged is kept. Needs root (debootstrap) and a Docker engine.
set -eu

image="${1:-pool-local/postgres:17}"
here="$(cd "$(dirname "$0")" && pwd)"

if docker image inspect "$image" >/dev/null 2>&1; then
	echo "Image $image is already built."
	exit 0
fi
command -v debootstrap >/dev/null 2>&1 || apt-get install -y -q debootstrap >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Building $image (debootstrap of Debian trixie with postgresql-17; about a minute)"
debootstrap --variant=minbase --include=postgresql-17 trixie "$work/rootfs" http://deb.debian.org/debian \
	>"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }

root="$work/rootfs"
# The package's own cluster and what only the build needed: smaller layers copy faster.
rm -rf "$root/var/lib/postgresql/17" "$root/etc/postgresql/17" "$root/var/cache/apt/archives/"*.deb \
	"$root/var/lib/apt/lists/"* "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/locale" \
	"$root/usr/share/info"
# Like the official image: listen on every interface, not only localhost.
echo "listen_addresses = '*'" >> "$root/usr/share/postgresql/17/postgresql.conf.sample"
install -m 0755 "$here/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
chroot "$root" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
chmod 1777 "$root/var/lib/postgresql/data"

tar -C "$root" -c . | docker import \
	-c 'ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	-c 'ENV PGDATA=/var/lib/postgresql/data' \
	-c 'ENV LANG=C.UTF-8' \
	-c 'VOLUME /var/lib/postgresql/data' \
	-c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
	-c 'EXPOSE 5432' \
	-c 'CMD ["postgres"]' \
	- "$image" >/dev/null
echo "Built $image"
