#!/usr/bin/env bash
# Installs, as root, the Debian packages the high-availability tests start on loopback:
#   patroni, etcd-server, python3-etcd  a real Patroni cluster (topology from Patroni's REST API)
#   postgresql                          the server binaries Patroni drives (/usr/lib/postgresql/<version>)
#   dnsmasq                             a real DNS server (topology from DNS)
#   prometheus                          a real Prometheus that scrapes the sample and answers the
#                                       Grafana dashboard's queries (DashboardOnPrometheusTests)
#   mariadb-server                      MariaDB's server binaries for EmbeddedMariaDbCluster (a primary
#                                       and GTID replicas on loopback)
# The tests start their own instances on free ports and stop them; nothing here starts a service.
# Does nothing when everything is installed already.
set -euo pipefail

packages=(patroni etcd-server python3-etcd postgresql dnsmasq prometheus mariadb-server)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "HA test packages are installed: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages ${missing[*]}: run $0 as root" >&2
  exit 1
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Debian's dnsmasq and postgresql would start system services where an init runs; the
# tests start their own, so package scripts are told not to start any.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y --no-install-recommends patroni etcd-server python3-etcd postgresql dnsmasq prometheus mariadb-server \
  || { apt-get update && apt-get install -y --no-install-recommends patroni etcd-server python3-etcd postgresql dnsmasq prometheus mariadb-server; }
