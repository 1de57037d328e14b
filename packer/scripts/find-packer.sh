# shellcheck shell=bash
# Sourced by packer/validate.sh and packer/build.sh. find_packer prints the path of a Packer
# that is new enough, or explains on stderr how to get one and returns 1.

# Same floor as required_version in packer/variables.pkr.hcl. 1.9.4 is the newest Packer the Go
# module proxy serves here, and the templates rely on its built-in amazon plugin.
readonly PACKER_MIN_VERSION=1.9.4

# Prints the version of the Packer at $1 (e.g. 1.9.4), or nothing if it does not run.
packer_version_of() {
  CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -n '1s/^Packer v\([0-9][0-9.]*\).*/\1/p'
}

# True if version $1 >= version $2.
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

find_packer() {
  local toolchain_home=${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}
  local candidate version rejected=()
  for candidate in "$toolchain_home/bin/packer" "$(command -v packer || true)"; do
    [[ -n $candidate && -x $candidate ]] || continue
    version=$(packer_version_of "$candidate")
    if [[ -n $version ]] && version_at_least "$version" "$PACKER_MIN_VERSION"; then
      printf '%s\n' "$candidate"
      return 0
    fi
    rejected+=("$candidate (${version:-does not run})")
  done
  {
    printf 'error: no Packer >= %s found.\n' "$PACKER_MIN_VERSION"
    printf '  looked for %s, then packer on PATH\n' "$toolchain_home/bin/packer"
    if ((${#rejected[@]} > 0)); then
      printf '  too old or broken: %s\n' "${rejected[@]}"
    fi
    printf '  run: npm run toolchain   (builds Packer %s into %s/bin)\n' "$PACKER_MIN_VERSION" "$toolchain_home"
  } >&2
  return 1
}
