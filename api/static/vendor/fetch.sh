#!/usr/bin/env bash
# Fetches the console's and the docs' browser code from the npm registry at the
# versions pinned in api/static/vendor/versions.txt, and copies the files served
# (with their licences) into api/static/vendor/. Run it after changing a version;
# tests/console/test_assets.py checks the files against their recorded digests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
vendor=api/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version() { awk -v p="$1" '$1 == p { print $2 }' "$vendor/versions.txt"; }

unpack() {
    local pinned
    pinned=$(version "$1")
    (cd "$work" && npm pack --silent "$1@$pinned" >/dev/null)
    mkdir -p "$work/$1"
    tar xzf "$work/$1-$pinned.tgz" -C "$work/$1"
}

copy() { # package, destination folder, files...
    local package=$1 folder=$2
    shift 2
    rm -rf "${vendor:?}/$folder"
    mkdir -p "$vendor/$folder"
    for file in "$@"; do
        cp "$work/$package/package/$file" "$vendor/$folder/"
    done
}

unpack swagger-ui-dist
unpack redoc
unpack echarts
copy swagger-ui-dist swagger-ui swagger-ui-bundle.js swagger-ui.css favicon-32x32.png \
    LICENSE NOTICE
copy redoc redoc bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE
copy echarts echarts dist/echarts.min.js LICENSE NOTICE
(cd "$vendor" && find swagger-ui redoc echarts -type f | LC_ALL=C sort | xargs sha256sum) \
    > "$vendor/SHA256SUMS"
