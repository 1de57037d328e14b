#!/usr/bin/env bash
# npm run lint (after eslint): shellcheck on the instances' user data, the Packer scripts and the
# repository's scripts. Any finding, down to style level, fails the run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -gt 0 ]]; then
  case $1 in
    -h | --help)
      echo "usage: bash scripts/lint-shell.sh   (npm run lint runs it after eslint; no arguments)"
      exit 0
      ;;
    *)
      echo "lint-shell: error: takes no arguments, got '$1' (see --help)" >&2
      exit 2
      ;;
  esac
fi

if ! command -v shellcheck >/dev/null; then
  # CI images are Debian and run as root; elsewhere, say how to get it instead of sudo-ing.
  if [[ ${EUID} -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "lint-shell: shellcheck not found; installing Debian's package" >&2
    apt-get install -y -qq shellcheck >/dev/null ||
      { apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; }
  else
    echo "lint-shell: error: shellcheck is not installed (Debian/Ubuntu: sudo apt-get install shellcheck; macOS: brew install shellcheck)" >&2
    exit 1
  fi
fi

files=(app/user-data.sh .ci/run)
while IFS= read -r -d '' file; do
  files+=("$file")
done < <(find packer scripts -type f -name '*.sh' -not -path '*/node_modules/*' -print0 | sort -z)

echo "lint-shell: $(shellcheck --version | sed -n 's/^version: //p'), ${#files[@]} files"
# -x: follow `source`d files (packer/scripts/find-packer.sh) so their functions are known.
shellcheck --external-sources "${files[@]}"
echo "lint-shell: OK"
