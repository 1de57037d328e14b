# shellcheck shell=bash
# Building Go programs from modules fetched through the Go module proxy, the only way to
# get OpenTofu, Packer and terraform-provider-aws on machines that reach package
# registries only. Requires scripts/lib/common.sh. Uses node to read `go ... -json`.

# go_require MIN_VERSION WHAT: Go >= MIN_VERSION must be on PATH to build WHAT.
# GOTOOLCHAIN=local on these machines, so an older Go cannot fetch a newer one itself.
go_require() {
  local min="$1" what="$2" have_version
  have go || die "go not found: Go >= $min is needed to build $what (install Go, or put it on PATH)"
  have_version="$(go env GOVERSION)"
  have_version="${have_version#go}"
  version_ge "$have_version" "$min" ||
    die "Go $have_version is too old: Go >= $min is needed to build $what (its go.mod says 'go $min')"
}

# go_mod_go_version GO_MOD: the `go` directive of a go.mod (the minimum Go it builds with).
go_mod_go_version() { awk '$1 == "go" { print $2; exit }' "$1"; }

# go_module_download MODULE VERSION: fetches MODULE@VERSION into the module cache and
# prints its directory. A proxy refusal (403 "not available") fails with its message.
go_module_download() {
  local module="$1" version="$2" json dir error
  # `go mod download` needs no go.mod when given module@version; run it outside any module
  # so that a go.mod in the current directory cannot change what it resolves.
  if ! json="$(cd / && go mod download -json "$module@$version" 2>&1)"; then
    error="$(printf '%s' "$json" | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        try { console.log(JSON.parse(s).Error || s); } catch { console.log(s); }
      });')"
    die "the Go module proxy did not serve $module@$version: $error"
  fi
  dir="$(printf '%s' "$json" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).Dir || ""));')"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    die "go mod download gave no directory for $module@$version"
  fi
  printf '%s\n' "$dir"
}

# go_module_copy SRC_DIR DEST MODULE@VERSION: a writable copy of a module directory (the
# module cache is read-only, and upstream's go.mod `replace` lines only apply when the
# module is the main module, which `go install mod@version` refuses). An existing copy of
# the same module@version is reused; a copy of anything else is replaced.
go_module_copy() {
  local src="$1" dest="$2" id="$3" marker
  marker="$dest/.sample-app-toolchain-source"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$id" ]; then
    return 0
  fi
  rm -rf "$dest" "$dest.partial"
  cp -r "$src" "$dest.partial"
  chmod -R u+w "$dest.partial"
  printf '%s\n' "$id" >"$dest.partial/.sample-app-toolchain-source"
  mv "$dest.partial" "$dest"
}

# go_timed_build DIR LOG -- COMMAND...: runs COMMAND in DIR with its output in LOG.
# Sets BUILD_WALL_S (seconds) and BUILD_MAX_RSS_KB (empty when /usr/bin/time is missing).
# On failure prints the end of the log and dies.
go_timed_build() {
  local dir="$1" log_file="$2" start status=0
  shift 3
  start="$(now_s)"
  if [ -x /usr/bin/time ]; then
    (cd "$dir" && /usr/bin/time -v "$@") >"$log_file" 2>&1 || status=$?
  else
    (cd "$dir" && "$@") >"$log_file" 2>&1 || status=$?
  fi
  # shellcheck disable=SC2034 # results for the caller
  BUILD_WALL_S="$(elapsed "$start")"
  # shellcheck disable=SC2034
  BUILD_MAX_RSS_KB="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log_file")"
  if [ "$status" -ne 0 ]; then
    tail -n 30 "$log_file" >&2
    die "build failed (exit $status) in $dir; full log: $log_file"
  fi
}

# rss_human KB: "8.6 GiB" (or "unknown").
rss_human() {
  [ -n "${1:-}" ] || {
    echo unknown
    return
  }
  awk -v k="$1" 'BEGIN { printf "%.1f GiB", k / 1048576 }'
}

# write_build_info FILE LINES...: a small provenance file next to a built binary.
write_build_info() {
  local file="$1"
  shift
  {
    printf '%s\n' "$@"
    printf 'go: %s\n' "$(go env GOVERSION 2>/dev/null || echo unknown)"
    printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'host: %s cores, %s\n' "$(nproc)" "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  } >"$file"
}
