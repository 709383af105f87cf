#!/usr/bin/env bash
# Fetches etcd's binaries of a newer Debian suite into a cache, beside (never over) the system's etcd:
#   scripts/etcd-debian.sh 3.5      -> prints the directory holding etcd, etcdctl and etcdutl 3.5
# The .deb files come from the machine's own Debian mirror with `apt-get download`, through a private
# sources list and lists directory, and are unpacked with `dpkg-deb -x`: nothing is installed and the
# machine's own apt lists stay as they are. Used by the sandbox (./cpr demo --etcd 3.5, CPR_SANDBOX_ETCD=3.5)
# and by .ci/run. The cache is $CPR_ETCD_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/cpr/etcd.
set -euo pipefail

version="${1:-}"
case "$version" in
  3.5) suite=trixie ;;   # trixie carries etcd 3.5.16 with etcdutl; sid 3.5.x too; no suite has 3.6
  *) echo "etcd-debian: usage: $0 3.5 (the only etcd release taken from a newer Debian suite; 3.4 is the system's)" >&2
     exit 2 ;;
esac

cache="${CPR_ETCD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cpr/etcd}"
target="$cache/$version"
bin="$target/usr/bin"
if [ -x "$bin/etcd" ] && [ -x "$bin/etcdctl" ] && [ -x "$bin/etcdutl" ]; then
  echo "$bin"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "etcd-debian: '$tool' is needed to fetch etcd $version from Debian $suite; on another system, put etcd," \
      "etcdctl and etcdutl $version in $bin" >&2
    exit 1
  }
done

# The machine's own mirror: the first URIs of a deb822 entry that is not the security archive, else a
# one-line sources.list entry, else Debian's default.
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
    /etc/apt/sources.list.d/debian.sources)"
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/ && $i !~ /security/) { print $i; exit } }' \
    /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9   # two builds fetching at once wait for each other
if [ -x "$bin/etcd" ] && [ -x "$bin/etcdctl" ] && [ -x "$bin/etcdutl" ]; then
  echo "$bin"
  exit 0
fi

work="$cache/apt-$suite"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb $mirror $suite main" > "$work/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$work/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
)
# as root, apt drops to its _apt user, which cannot write into a private cache under root's home
[ "$(id -u)" -eq 0 ] && apt_opts+=(-o "APT::Sandbox::User=root")

echo "etcd-debian: fetching etcd $version (etcd-server, etcd-client) from $mirror $suite into $target" >&2
apt-get -qq "${apt_opts[@]}" update >&2
(cd "$work/debs" && rm -f ./*.deb && apt-get -qq "${apt_opts[@]}" download etcd-server etcd-client >&2)
rm -rf "$target.part"
mkdir -p "$target.part"
for deb in "$work/debs"/*.deb; do
  dpkg-deb -x "$deb" "$target.part"
done
got="$("$target.part/usr/bin/etcd" --version | awk '/etcd Version:/ { print $3 }')"
case "$got" in
  "$version".*) ;;
  *) echo "etcd-debian: Debian $suite's etcd-server is $got, not $version.x" >&2; exit 1 ;;
esac
rm -rf "$target"
mv "$target.part" "$target"
echo "etcd-debian: etcd $got ready in $bin" >&2
echo "$bin"
