#!/bin/sh
# Installs bbr (BOSH Backup and Restore) from its GitHub release when BBR_VERSION is given, refusing a binary whose
# sha256 is not BBR_SHA256 (copy it from the release page). Without BBR_VERSION the image has no bbr, and the service's
# readiness says so as soon as its inventory holds a BOSH cluster.
set -eu
if [ -z "${BBR_VERSION:-}" ]; then
  echo "no BBR_VERSION: building without bbr"
  exit 0
fi
[ -n "${BBR_SHA256:-}" ] || { echo "BBR_VERSION=$BBR_VERSION needs BBR_SHA256 (from the release page)" >&2; exit 1; }
curl -fsSL -o /usr/local/bin/bbr \
  "https://github.com/cloudfoundry/bosh-backup-and-restore/releases/download/v${BBR_VERSION}/bbr-${BBR_VERSION}-linux-amd64"
echo "${BBR_SHA256}  /usr/local/bin/bbr" | sha256sum -c -
chmod 0755 /usr/local/bin/bbr
