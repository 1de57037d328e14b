#!/usr/bin/env bash
# npm run toolchain: builds (once per machine) and caches the local toolchain that the
# end-to-end tests, `npm start` and the image build use:
#   tofu      OpenTofu, built from its Go module (no release binaries reachable here)
#   provider  terraform-provider-aws, built from its Go module, in an offline filesystem
#             mirror with a tofu CLI config (tofurc) that installs only from it
#   packer    Packer (MPL 1.9.x, amazon builder compiled in), built from its Go module
#   moto      the AWS emulator (PyPI moto[server]) in a venv, with pytest
#   actionlint  the GitHub Actions workflow linter, built from its Go module (CI lints
#             .github/workflows with it)
#   checkov   the IaC scanner CI runs on every synthesized stack (PyPI checkov), in a venv
# Versions come from toolchain.json. Everything lives under
# ${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}, keyed by version, so a
# second run only checks and prints "cached". Go's own caches stay where `go env` says.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=scripts/lib/gobuild.sh
. "$here/lib/gobuild.sh"

usage() {
  cat <<'EOF'
Usage: npm run toolchain [-- --only LIST]
       bash scripts/toolchain.sh [--only LIST] [--help]

Builds and caches the local toolchain (OpenTofu, terraform-provider-aws in an offline
provider mirror, Packer, the moto emulator) at the versions in toolchain.json.

Options:
  --only LIST   comma-separated subset of: tofu, provider, packer, moto, actionlint, checkov
                (default: all of them)
  -h, --help    show this help

Environment:
  SAMPLE_APP_TOOLCHAIN_HOME   cache root (default: $HOME/.cache/sample-app-toolchain)

After it, `. "$SAMPLE_APP_TOOLCHAIN_HOME/env.sh"` puts the tools on PATH and points
tofu at the provider mirror (TF_CLI_CONFIG_FILE).

First run on a 2-core machine: the AWS provider takes ~25 min and ~9 GiB of memory,
OpenTofu and Packer a few minutes each; later runs take seconds.
EOF
}

# ---------------------------------------------------------------- arguments
all_steps="tofu provider packer moto actionlint checkov"
selected=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --only)
      if [ $# -lt 2 ] || [ -z "$2" ]; then
        die "--only needs a list, e.g. --only tofu,provider (see --help)" 2
      fi
      selected="$2"
      shift 2
      ;;
    --only=*)
      selected="${1#--only=}"
      [ -n "$selected" ] || die "--only needs a list, e.g. --only tofu,provider (see --help)" 2
      shift
      ;;
    *) die "unknown argument: $1 (see --help)" 2 ;;
  esac
done
if [ -z "$selected" ]; then
  selected="$all_steps"
else
  selected="${selected//,/ }"
  # `--only ,` would otherwise select nothing and report the toolchain ready.
  [ -n "${selected// /}" ] || die "--only lists no step (choose from: ${all_steps// /, })" 2
  for step in $selected; do
    case " $all_steps " in
      *" $step "*) ;;
      *) die "unknown step in --only: '$step' (choose from: ${all_steps// /, })" 2 ;;
    esac
  done
fi
wants() { case " $selected " in *" $1 "*) return 0 ;; *) return 1 ;; esac }

# ---------------------------------------------------------------- versions
have node || die "node not found: Node.js >= 20 is needed to read toolchain.json (and for the project itself)"
versions_json="$repo/toolchain.json"
[ -f "$versions_json" ] || die "missing $versions_json (the toolchain's versions)"
read_version() {
  # shellcheck disable=SC2016 # JavaScript, not shell: ${...} is a template literal.
  node -e '
    const v = require(process.argv[1]);
    const value = process.argv[2].split(".").reduce((o, k) => (o == null ? o : o[k]), v);
    if (value == null || value === "") { console.error(`toolchain.json has no ${process.argv[2]}`); process.exit(1); }
    console.log(value);' "$versions_json" "$1"
}
TOFU_VERSION="$(read_version opentofu.version)"
TOFU_MODULE="$(read_version opentofu.module)"
AWS_PROVIDER_VERSION="$(read_version awsProvider.version)"
AWS_PROVIDER_MODULE="$(read_version awsProvider.module)"
AWS_PROVIDER_MODULE_VERSION="$(read_version awsProvider.moduleVersion)"
PACKER_VERSION="$(read_version packer.version)"
PACKER_MODULE="$(read_version packer.module)"
MOTO_VERSION="$(read_version moto.version)"
ACTIONLINT_VERSION="$(read_version actionlint.version)"
ACTIONLINT_MODULE="$(read_version actionlint.module)"
CHECKOV_VERSION="$(read_version checkov.version)"
# The lowest OpenTofu accepted from PATH: 1.10 brings what the project uses (S3 backend
# use_lockfile, the registry.opentofu.org provider namespace as used here).
TOFU_MIN_ON_PATH="1.10"

# ---------------------------------------------------------------- layout
ROOT="${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}"
BIN="$ROOT/bin"
SRC="$ROOT/src"
# The hostname OpenTofu resolves the bare `aws` / `hashicorp/aws` source to (cdktf emits
# source = "aws"); the unpacked mirror layout is <mirror>/<host>/<namespace>/<type>/...
PROVIDER_HOST="registry.opentofu.org"
PLATFORM="linux_amd64"
PLUGINS="$ROOT/plugins"
PROVIDER_FILE="terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"
PROVIDER_DIR="$ROOT/provider-aws/$AWS_PROVIDER_VERSION"
PROVIDER_BIN="$PROVIDER_DIR/$PROVIDER_FILE"
MIRROR_BIN="$PLUGINS/$PROVIDER_HOST/hashicorp/aws/$AWS_PROVIDER_VERSION/$PLATFORM/$PROVIDER_FILE"
TOFURC="$ROOT/tofurc"
TOFU_BIN="$ROOT/tofu/$TOFU_VERSION/tofu"
PACKER_BIN="$ROOT/packer/$PACKER_VERSION/packer"
MOTO_VENV="$ROOT/moto/$MOTO_VERSION/venv"
ACTIONLINT_BIN="$ROOT/actionlint/$ACTIONLINT_VERSION/actionlint"
MOTO_REQUIREMENTS="$repo/emulator/moto/requirements.txt"
CHECKOV_VENV="$ROOT/checkov/$CHECKOV_VERSION/venv"
CHECKOV_REQUIREMENTS="$repo/policy/checkov/checkov-requirements.txt"

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) die "unsupported platform $(uname -s)/$(uname -m): the provider mirror is laid out for $PLATFORM" ;;
esac
mkdir -p "$ROOT" "$BIN" "$SRC"

# ---------------------------------------------------------------- step runner
total_start="$(now_s)"
summary=()
# run_step NAME FUNCTION: prints the step, runs it, prints how long it took.
# The function sets STEP_RESULT (e.g. "cached", "built in 2 min 25 s").
run_step() {
  local name="$1" fn="$2" start
  log ""
  log "==> $name"
  start="$(now_s)"
  STEP_RESULT=""
  "$fn"
  local took
  took="$(elapsed "$start")"
  log "<== $name: ${STEP_RESULT:-done} ($(human_duration "$took"))"
  summary+=("$(printf '%-9s %s (%s)' "$name" "${STEP_RESULT:-done}" "$(human_duration "$took")")")
}

# link NAME TARGET: bin/NAME -> TARGET (replaced atomically).
link() {
  ln -sfn "$2" "$BIN/$1.tmp.$$"
  mv -Tf "$BIN/$1.tmp.$$" "$BIN/$1"
}

# ---------------------------------------------------------------- tofu
# Fetches MODULE@vVERSION through the Go module proxy, builds PACKAGE from a writable copy
# (the module's go.mod may carry replace lines, which `go install` refuses), checks that the
# binary reports VERSION (through VERSION_FN), and records how the build went in BUILD-INFO.
# Usage: build_go_tool NAME MODULE VERSION MIN_GO BIN VERSION_FN PACKAGE LDFLAGS
build_go_tool() {
  local name="$1" module="$2" version="$3" min_go="$4" bin="$5" version_fn="$6" package="$7" ldflags="$8"
  local dir src_copy gomin built_version
  go_require "$min_go" "$name $version"
  log "fetching $module@v$version through the Go module proxy"
  dir="$(go_module_download "$module" "v$version")"
  gomin="$(go_mod_go_version "$dir/go.mod")"
  go_require "$gomin" "$name $version"
  src_copy="$SRC/$(basename "$module")@v$version"
  go_module_copy "$dir" "$src_copy" "$module@v$version"
  mkdir -p "$(dirname "$bin")"
  log "building $name $version (log: $src_copy.build.log)"
  go_timed_build "$src_copy" "$src_copy.build.log" -- \
    env CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin.partial" "$package"
  built_version="$("$version_fn" "$bin.partial")"
  [ "$built_version" = "$version" ] ||
    die "the built $name reports version '$built_version', expected $version"
  mv -f "$bin.partial" "$bin"
  write_build_info "$(dirname "$bin")/BUILD-INFO" \
    "module: $module@v$version" \
    "build: CGO_ENABLED=0 go build -trimpath -ldflags \"$ldflags\" $package" \
    "wall: $(human_duration "$BUILD_WALL_S")" \
    "peak rss: $(rss_human "$BUILD_MAX_RSS_KB")"
  STEP_RESULT="built $name v$version in $(human_duration "$BUILD_WALL_S"), peak $(rss_human "$BUILD_MAX_RSS_KB")"
}

tofu_version_of() { TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null | awk 'NR == 1 && $1 == "OpenTofu" { sub(/^v/, "", $2); print $2 }'; }

step_tofu() {
  local on_path="" on_path_version=""
  # A tofu already on PATH (not one of ours) at >= 1.10 is used as it is.
  # (/usr/local/bin/terraform is HashiCorp Terraform, not tofu: never considered.)
  if on_path="$(command -v tofu 2>/dev/null)" && [ "$(readlink -f "$on_path")" != "$(readlink -f "$BIN/tofu" 2>/dev/null)" ]; then
    on_path_version="$(tofu_version_of "$on_path")"
    if [ -n "$on_path_version" ] && version_ge "$on_path_version" "$TOFU_MIN_ON_PATH" && [[ "$on_path_version" != *-* ]]; then
      link tofu "$on_path"
      STEP_RESULT="using $on_path (OpenTofu v$on_path_version) from PATH"
      return
    fi
    log "ignoring $on_path (version '${on_path_version:-unknown}': OpenTofu >= $TOFU_MIN_ON_PATH, not a prerelease, is needed)"
  fi

  if [ -x "$TOFU_BIN" ] && [ "$(tofu_version_of "$TOFU_BIN")" = "$TOFU_VERSION" ]; then
    STEP_RESULT="cached: OpenTofu v$TOFU_VERSION"
  else
    # Release flags: static, stripped, and version.dev=no so it does not call itself -dev.
    build_go_tool OpenTofu "$TOFU_MODULE" "$TOFU_VERSION" 1.24 "$TOFU_BIN" tofu_version_of ./cmd/tofu \
      "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'"
  fi
  link tofu "$TOFU_BIN"
}

# ---------------------------------------------------------------- provider
# A provider binary is "ours" when Go's embedded build info (read back from the end of
# the file, so a truncated file fails) names the provider module, and the version string
# stamped by -X is in it (-trimpath leaves -ldflags out of the build info).
provider_binary_ok() {
  local info
  have go || return 0 # without Go nothing can be checked; the file is trusted as cached
  info="$(go version -m "$1" 2>/dev/null)" || return 1
  grep -Eq "^[[:space:]]*path[[:space:]]+$AWS_PROVIDER_MODULE\$" <<<"$info" &&
    LC_ALL=C grep -aqF "$AWS_PROVIDER_VERSION" "$1"
}

step_provider() {
  local staged="$SRC/provider-aws.bin" src_copy="$SRC/provider-aws" build_log="$SRC/provider-aws.build.log"
  local running
  mkdir -p "$PROVIDER_DIR"
  # Another build writing the staged binary (a concurrent run, or one started by hand):
  # never start a second one next to it, it would need another ~9 GiB.
  running="$(pgrep -f -- "-o $staged( |\$)" 2>/dev/null | head -n1 || true)"
  if [ -x "$PROVIDER_BIN" ] && provider_binary_ok "$PROVIDER_BIN"; then
    STEP_RESULT="cached: terraform-provider-aws $AWS_PROVIDER_VERSION"
  elif [ -n "$running" ]; then
    die "a provider build writing $staged is still running (pid $running); run this again when it has finished"
  elif [ -f "$staged" ] && provider_binary_ok "$staged"; then
    # A build finished outside this script (same flags, same place): adopt it.
    log "adopting the finished build at $staged"
    mv -f "$staged" "$PROVIDER_BIN"
    chmod 0755 "$PROVIDER_BIN"
    local wall rss
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$build_log" 2>/dev/null || true)"
    rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$build_log" 2>/dev/null || true)"
    write_build_info "$PROVIDER_DIR/BUILD-INFO" \
      "module: $AWS_PROVIDER_MODULE@$AWS_PROVIDER_MODULE_VERSION" \
      "commit: $(read_version awsProvider.commit)" \
      "version label: $AWS_PROVIDER_VERSION (-X .../version.ProviderVersion)" \
      "build: CGO_ENABLED=0 go build -p 2 -trimpath -ldflags \"-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$AWS_PROVIDER_VERSION\" ." \
      "wall: ${wall:-unknown (built outside this script; log: $build_log)} (h:mm:ss)" \
      "peak rss: $(rss_human "$rss")" \
      "adopted from: $staged"
    STEP_RESULT="adopted the finished build of terraform-provider-aws $AWS_PROVIDER_VERSION"
  else
    if [ -e "$staged" ]; then
      # Kept, not deleted: a check that is wrong must not cost a 25-minute build.
      warn "not using $staged (not a complete build of $AWS_PROVIDER_MODULE $AWS_PROVIDER_VERSION); moved to $staged.rejected"
      mv -f "$staged" "$staged.rejected"
    fi
    local dir gomin
    go_require 1.26 "the AWS provider"
    log "fetching $AWS_PROVIDER_MODULE@$AWS_PROVIDER_MODULE_VERSION through the Go module proxy"
    dir="$(go_module_download "$AWS_PROVIDER_MODULE" "$AWS_PROVIDER_MODULE_VERSION")"
    gomin="$(go_mod_go_version "$dir/go.mod")"
    go_require "$gomin" "the AWS provider"
    go_module_copy "$dir" "$src_copy" "$AWS_PROVIDER_MODULE@$AWS_PROVIDER_MODULE_VERSION"
    log "downloading the provider's dependencies"
    (cd "$src_copy" && go mod download) || die "could not download the AWS provider's dependencies through the Go module proxy"
    log "building terraform-provider-aws $AWS_PROVIDER_VERSION: ~25 min and ~9 GiB on 2 cores (log: $build_log)"
    # -p 2: two packages at a time; the EC2 SDK package alone needs several GiB to compile.
    go_timed_build "$src_copy" "$build_log" -- \
      env CGO_ENABLED=0 go build -p 2 -trimpath \
      -ldflags "-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$AWS_PROVIDER_VERSION" \
      -o "$staged" .
    provider_binary_ok "$staged" || die "the provider build at $staged does not carry the expected module and version"
    mv -f "$staged" "$PROVIDER_BIN"
    write_build_info "$PROVIDER_DIR/BUILD-INFO" \
      "module: $AWS_PROVIDER_MODULE@$AWS_PROVIDER_MODULE_VERSION" \
      "commit: $(read_version awsProvider.commit)" \
      "version label: $AWS_PROVIDER_VERSION (-X .../version.ProviderVersion)" \
      "build: CGO_ENABLED=0 go build -p 2 -trimpath -ldflags \"-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$AWS_PROVIDER_VERSION\" ." \
      "wall: $(human_duration "$BUILD_WALL_S")" \
      "peak rss: $(rss_human "$BUILD_MAX_RSS_KB")"
    STEP_RESULT="built terraform-provider-aws $AWS_PROVIDER_VERSION in $(human_duration "$BUILD_WALL_S"), peak $(rss_human "$BUILD_MAX_RSS_KB")"
  fi

  # The unpacked filesystem mirror. A hard link: no second 900 MB copy, and tofu hashes
  # and links a regular file. Mirror entries of other versions are left alone.
  mkdir -p "$(dirname "$MIRROR_BIN")"
  if [ ! "$MIRROR_BIN" -ef "$PROVIDER_BIN" ]; then
    ln -f "$PROVIDER_BIN" "$MIRROR_BIN" 2>/dev/null || cp -f "$PROVIDER_BIN" "$MIRROR_BIN"
  fi
  write_tofurc
}

# The CLI config: providers come from the mirror only (no `direct` block), so `tofu init`
# never reaches for a registry. No plugin_cache_dir: from an unpacked mirror tofu links the
# provider into .terraform instead of copying it, and a cache would add a 900 MB copy.
write_tofurc() {
  local tmp="$TOFURC.tmp.$$"
  cat >"$tmp" <<EOF
# Written by scripts/toolchain.sh: install providers only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$PLUGINS"
    include = ["$PROVIDER_HOST/hashicorp/*"]
  }
}
EOF
  mv -f "$tmp" "$TOFURC"
}

# ---------------------------------------------------------------- mirror check
# Proves the mirror works with the exact (prerelease) version constraint cdktf emits:
# tofu selects a prerelease only on an exact `= X` match, and must do so offline.
step_verify() {
  local tofu_bin="$BIN/tofu" stamp="$ROOT/.verified-mirror" key dir out
  key="$(TF_CLI_CONFIG_FILE=/dev/null "$tofu_bin" version | head -n1) $AWS_PROVIDER_VERSION $(sha256_of "$TOFURC") $(stat -c %i:%s:%Y "$MIRROR_BIN")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
    STEP_RESULT="cached: offline init with aws = $AWS_PROVIDER_VERSION worked"
    return
  fi
  dir="$(mktemp -d)"
  cat >"$dir/main.tf.json" <<EOF
{"terraform": {"required_providers": {"aws": {"source": "aws", "version": "$AWS_PROVIDER_VERSION"}}}}
EOF
  if ! out="$(cd "$dir" && env -u TF_PLUGIN_CACHE_DIR TF_CLI_CONFIG_FILE="$TOFURC" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 \
    "$tofu_bin" init -input=false -no-color 2>&1)"; then
    printf '%s\n' "$out" >&2
    rm -rf "$dir"
    die "tofu init could not install hashicorp/aws $AWS_PROVIDER_VERSION from the mirror at $PLUGINS"
  fi
  grep -q "Installed hashicorp/aws v$AWS_PROVIDER_VERSION" <<<"$out" ||
    die "tofu init did not report installing hashicorp/aws v$AWS_PROVIDER_VERSION: $out"
  rm -rf "$dir"
  printf '%s\n' "$key" >"$stamp"
  STEP_RESULT="offline init with aws = $AWS_PROVIDER_VERSION worked"
}

# ---------------------------------------------------------------- packer
packer_version_of() { CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | awk 'NR == 1 && $1 == "Packer" { sub(/^v/, "", $2); print $2 }'; }

step_packer() {
  if [ -x "$PACKER_BIN" ] && [ "$(packer_version_of "$PACKER_BIN")" = "$PACKER_VERSION" ]; then
    STEP_RESULT="cached: Packer v$PACKER_VERSION"
  else
    build_go_tool Packer "$PACKER_MODULE" "$PACKER_VERSION" 1.20 "$PACKER_BIN" packer_version_of . "-s -w"
  fi
  link packer "$PACKER_BIN"
}

# ---------------------------------------------------------------- moto
step_moto() {
  local python stamp want
  [ -f "$MOTO_REQUIREMENTS" ] || die "missing $MOTO_REQUIREMENTS (the emulator's pinned requirements)"
  grep -Eiq "^moto\[server\]==$MOTO_VERSION\$" "$MOTO_REQUIREMENTS" ||
    die "$MOTO_REQUIREMENTS does not pin moto[server]==$MOTO_VERSION (toolchain.json says $MOTO_VERSION)"
  python="$(command -v python3 || true)"
  [ -n "$python" ] || die "python3 not found: Python >= 3.9 is needed for the moto emulator"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "$python is Python $("$python" -c 'import platform; print(platform.python_version())'): moto $MOTO_VERSION needs >= 3.9"
  "$python" -c 'import venv, ensurepip' 2>/dev/null ||
    die "$python cannot create virtual environments (Debian: apt-get install python3-venv)"

  stamp="$MOTO_VENV/.requirements.sha256"
  want="$(sha256_of "$MOTO_REQUIREMENTS") $("$python" -c 'import platform; print(platform.python_version())')"
  if [ -x "$MOTO_VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    "$MOTO_VENV/bin/python" -c 'import moto, pytest' 2>/dev/null; then
    STEP_RESULT="cached: moto $MOTO_VERSION venv"
  else
    log "creating $MOTO_VENV (pip install -r $MOTO_REQUIREMENTS)"
    rm -rf "$MOTO_VENV"
    "$python" -m venv "$MOTO_VENV"
    "$MOTO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      -r "$MOTO_REQUIREMENTS" ||
      die "pip could not install $MOTO_REQUIREMENTS from PyPI into $MOTO_VENV"
    local got
    got="$("$MOTO_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))')"
    [ "$got" = "$MOTO_VERSION" ] || die "the venv has moto $got, expected $MOTO_VERSION"
    printf '%s\n' "$want" >"$stamp"
    STEP_RESULT="installed moto $MOTO_VERSION"
  fi
  # The wrapper names this checkout's launcher (moto plus the instance refresh extension);
  # rewritten on every run, since checkouts move.
  local wrapper="$BIN/moto_server"
  rm -f "$wrapper"
  cat >"$wrapper.tmp.$$" <<EOF
#!/bin/sh
# Written by scripts/toolchain.sh: moto $MOTO_VERSION with the project's extension
# (instance refresh), on 127.0.0.1. Usage: moto_server [--port N] (0: a free port).
exec "$MOTO_VENV/bin/python" "$repo/emulator/moto/server.py" "\$@"
EOF
  chmod 0755 "$wrapper.tmp.$$"
  mv -f "$wrapper.tmp.$$" "$wrapper"
}

# ---------------------------------------------------------------- actionlint
actionlint_version_of() { "$1" -version 2>/dev/null | awk 'NR == 1 { sub(/^v/, "", $1); print $1 }'; }

step_actionlint() {
  if [ -x "$ACTIONLINT_BIN" ] && [ "$(actionlint_version_of "$ACTIONLINT_BIN")" = "$ACTIONLINT_VERSION" ]; then
    STEP_RESULT="cached: actionlint v$ACTIONLINT_VERSION"
  else
    # Stamped like upstream's release builds, so `actionlint -version` names the version.
    build_go_tool actionlint "$ACTIONLINT_MODULE" "$ACTIONLINT_VERSION" 1.25 "$ACTIONLINT_BIN" actionlint_version_of ./cmd/actionlint \
      "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION"
  fi
  link actionlint "$ACTIONLINT_BIN"
}

# ---------------------------------------------------------------- checkov
step_checkov() {
  local python stamp want
  [ -f "$CHECKOV_REQUIREMENTS" ] || die "missing $CHECKOV_REQUIREMENTS (checkov's pinned requirements)"
  grep -Eiq "^checkov==$CHECKOV_VERSION\$" "$CHECKOV_REQUIREMENTS" ||
    die "$CHECKOV_REQUIREMENTS does not pin checkov==$CHECKOV_VERSION (toolchain.json says $CHECKOV_VERSION)"
  python="$(command -v python3 || true)"
  [ -n "$python" ] || die "python3 not found: Python >= 3.9 is needed for checkov"
  "$python" -c 'import venv, ensurepip' 2>/dev/null ||
    die "$python cannot create virtual environments (Debian: apt-get install python3-venv)"

  stamp="$CHECKOV_VENV/.requirements.sha256"
  want="$(sha256_of "$CHECKOV_REQUIREMENTS") $("$python" -c 'import platform; print(platform.python_version())')"
  if [ -x "$CHECKOV_VENV/bin/checkov" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    STEP_RESULT="cached: checkov $CHECKOV_VERSION venv"
  else
    log "creating $CHECKOV_VENV (pip install -r $CHECKOV_REQUIREMENTS)"
    rm -rf "$CHECKOV_VENV"
    "$python" -m venv "$CHECKOV_VENV"
    "$CHECKOV_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      -r "$CHECKOV_REQUIREMENTS" ||
      die "pip could not install $CHECKOV_REQUIREMENTS from PyPI into $CHECKOV_VENV"
    local got
    got="$("$CHECKOV_VENV/bin/checkov" --version 2>/dev/null | tail -1)"
    [ "$got" = "$CHECKOV_VERSION" ] || die "the venv's checkov reports '$got', expected $CHECKOV_VERSION"
    printf '%s\n' "$want" >"$stamp"
    STEP_RESULT="installed checkov $CHECKOV_VERSION"
  fi
  link checkov "$CHECKOV_VENV/bin/checkov"
}

# ---------------------------------------------------------------- env.sh
write_env() {
  local tmp="$ROOT/env.sh.tmp.$$"
  cat >"$tmp" <<EOF
# Written by scripts/toolchain.sh. Source it: . "$ROOT/env.sh"
export SAMPLE_APP_TOOLCHAIN_HOME="$ROOT"
case ":\$PATH:" in *":$BIN:"*) ;; *) export PATH="$BIN:\$PATH" ;; esac
export TF_CLI_CONFIG_FILE="$TOFURC"
export TOFU="$BIN/tofu"
export PACKER="$BIN/packer"
export MOTO_SERVER="$BIN/moto_server"
export MOTO_PYTHON="$MOTO_VENV/bin/python"
export ACTIONLINT="$BIN/actionlint"
export CHECKOV="$BIN/checkov"
export AWS_PROVIDER_VERSION="$AWS_PROVIDER_VERSION"
export CHECKPOINT_DISABLE=1
EOF
  mv -f "$tmp" "$ROOT/env.sh"
}

# ---------------------------------------------------------------- main
log "toolchain: $ROOT (steps: $selected)"
if wants tofu; then run_step tofu step_tofu; fi
if wants provider; then run_step provider step_provider; fi
if [ -x "$BIN/tofu" ] && [ -f "$MIRROR_BIN" ] && [ -f "$TOFURC" ] && { wants tofu || wants provider; }; then
  run_step verify step_verify
fi
if wants packer; then run_step packer step_packer; fi
if wants moto; then run_step moto step_moto; fi
if wants actionlint; then run_step actionlint step_actionlint; fi
if wants checkov; then run_step checkov step_checkov; fi
write_env

log ""
log "toolchain ready in $(human_duration "$(elapsed "$total_start")"):"
for line in "${summary[@]}"; do log "  $line"; done
log ""
log "Use it in a shell:"
log "  . \"$ROOT/env.sh\""
log "or set:"
log "  export TF_CLI_CONFIG_FILE=\"$TOFURC\""
log "  export PATH=\"$BIN:\$PATH\""
