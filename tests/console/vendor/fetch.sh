#!/usr/bin/env bash
# Fetches axe-core (the accessibility rules the console's browser tests run)
# from the npm registry at the version pinned in versions.txt, with its licence,
# into tests/console/vendor/axe-core/. The tests inject it into each page; they
# check the file against SHA256SUMS first.
set -euo pipefail
cd "$(dirname "$0")"
pinned=$(awk '$1 == "axe-core" { print $2 }' versions.txt)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$pinned" >/dev/null && tar xzf "axe-core-$pinned.tgz")
rm -rf axe-core
mkdir -p axe-core
cp "$work/package/axe.min.js" "$work/package/LICENSE" axe-core/
find axe-core -type f | LC_ALL=C sort | xargs sha256sum > SHA256SUMS
