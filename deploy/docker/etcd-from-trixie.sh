#!/bin/sh
# Puts etcd 3.5's etcd, etcdctl and etcdutl into /usr/local/bin of a Debian bookworm image: bookworm ships etcd 3.4
# (no etcdutl), trixie ships 3.5. The .debs come from Debian's signed archive (apt checks their hashes) and are
# unpacked, not installed, so nothing else of trixie enters the image.
set -eu
echo 'deb http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/trixie.list
printf 'Package: *\nPin: release n=trixie\nPin-Priority: 1\n' > /etc/apt/preferences.d/trixie
apt-get update -qq
mkdir -p /tmp/etcd-debs /opt/etcd
cd /tmp/etcd-debs
apt-get download -qq etcd-server/trixie etcd-client/trixie
for deb in ./*.deb; do dpkg-deb -x "$deb" /opt/etcd; done
for tool in etcd etcdctl etcdutl; do
  found="$(find /opt/etcd -type f -name "$tool" -perm -u+x | head -n 1)"
  [ -n "$found" ] || { echo "no $tool in etcd-server/etcd-client from trixie" >&2; exit 1; }
  ln -s "$found" "/usr/local/bin/$tool"
done
rm -rf /tmp/etcd-debs /etc/apt/sources.list.d/trixie.list /etc/apt/preferences.d/trixie /var/lib/apt/lists/*
etcd --version | head -n 1 && etcdutl version | head -n 1
