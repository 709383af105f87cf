#!/usr/bin/env bash
# Fetches Keycloak (the sandbox's real OIDC provider) into a cache and says where it is:
#   scripts/keycloak.sh         -> prints the Keycloak home (the directory holding bin/kc.sh), fetching it first
#   scripts/keycloak.sh --jdk   -> prints the JDK to run it with (Keycloak 26 needs Java 21+; cpr itself is on 17)
# The distribution is Maven Central's org.keycloak:keycloak-quarkus-dist:<version>:zip, fetched with the checkout's
# own ./mvnw (so it goes through the same repository and proxy settings as the build; CPR_MAVEN_REPO, or a
# -Dmaven.repo.local in MAVEN_OPTS, names another local repository) and unzipped; nothing is installed.
# Used by the sandbox (dev.cpr.sandbox.oidc.KeycloakDistribution, for KeycloakServer) and by .ci/run, which fills the
# cache before the tests. The cache is $CPR_KEYCLOAK_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/cpr/keycloak; the
# version is $CPR_KEYCLOAK_VERSION, else the one below. CPR_KEYCLOAK_HOME (read by the sandbox, not here) skips
# this script's fetch with a Keycloak already unpacked; CPR_KEYCLOAK_JAVA_HOME names the JDK.
set -euo pipefail

version="${CPR_KEYCLOAK_VERSION:-26.5.6}"
root="$(cd "$(dirname "$0")/.." && pwd)"

# The major version of the JDK at $1 (from its release file), or nothing if it is not a JDK.
jdk_major() {
  [ -x "$1/bin/java" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

# The first JDK 21+ of: CPR_KEYCLOAK_JAVA_HOME (which must be one), JAVA_HOME, then /usr/lib/jvm's 25 and 21.
jdk() {
  if [ -n "${CPR_KEYCLOAK_JAVA_HOME:-}" ]; then
    major="$(jdk_major "$CPR_KEYCLOAK_JAVA_HOME")"
    if [ "${major:-0}" -ge 21 ]; then echo "$CPR_KEYCLOAK_JAVA_HOME"; return 0; fi
    echo "keycloak: CPR_KEYCLOAK_JAVA_HOME=$CPR_KEYCLOAK_JAVA_HOME is not a JDK 21 or newer" >&2
    return 1
  fi
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*-25-* /usr/lib/jvm/*-21-*; do
    [ -n "$candidate" ] || continue
    major="$(jdk_major "$candidate")"
    if [ "${major:-0}" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  echo "keycloak: Keycloak $version needs Java 21 or newer and none was found (JAVA_HOME=${JAVA_HOME:-unset}," \
    "/usr/lib/jvm has no *-25-* or *-21-* JDK). Install one (Debian trixie: apt-get install openjdk-21-jdk-headless;" \
    "or Temurin 21/25 from https://adoptium.net) or set CPR_KEYCLOAK_JAVA_HOME to it." >&2
  return 1
}

case "${1:-}" in
  --jdk) jdk; exit $? ;;
  "") ;;
  *) echo "keycloak: usage: $0 [--jdk]" >&2; exit 2 ;;
esac

cache="${CPR_KEYCLOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cpr/keycloak}"
target="$cache/$version"
if [ -x "$target/bin/kc.sh" ]; then
  echo "$target"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9   # two builds fetching at once wait for each other
if [ -x "$target/bin/kc.sh" ]; then
  echo "$target"
  exit 0
fi

maven_opts=(-B -q -N)
[ -n "${CPR_MAVEN_REPO:-}" ] && maven_opts+=("-Dmaven.repo.local=$CPR_MAVEN_REPO")
rm -rf "$target.part"
mkdir -p "$target.part"
echo "keycloak: fetching org.keycloak:keycloak-quarkus-dist:$version:zip (about 160 MB) into $target" >&2
(cd "$root" && ./mvnw "${maven_opts[@]}" dependency:copy \
  "-Dartifact=org.keycloak:keycloak-quarkus-dist:$version:zip" "-DoutputDirectory=$target.part" >&2)
zip="$target.part/keycloak-quarkus-dist-$version.zip"
if command -v unzip >/dev/null 2>&1; then
  unzip -q "$zip" -d "$target.part"
else
  # python's zipfile drops the execute bits; bin/*.sh gets them back below
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$target.part"
fi
rm -f "$zip"
chmod +x "$target.part/keycloak-$version"/bin/*.sh
got="$(cat "$target.part/keycloak-$version/version.txt" 2>/dev/null || true)"
case "$got" in
  *"$version"*) ;;
  *) echo "keycloak: the zip holds '$got', not Keycloak $version" >&2; exit 1 ;;
esac
rm -rf "$target"
mv "$target.part/keycloak-$version" "$target"
rm -rf "$target.part"
echo "keycloak: Keycloak $version ready in $target" >&2
echo "$target"
