# shellcheck shell=bash
# Shared helpers for the project's shell scripts: logging, failing with a message that
# names the missing piece, timing steps, and small version comparisons.
# Source it; it defines functions only and changes no shell options.

# Messages go to stderr so that a script's stdout stays free for what it produces.
log() { printf '%s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# die MESSAGE [EXIT_CODE]: the message must say what is missing and what to do about it.
die() {
  printf 'error: %s\n' "$1" >&2
  exit "${2:-1}"
}

have() { command -v "$1" >/dev/null 2>&1; }

# Seconds since the epoch with sub-second precision, for step timings.
now_s() { date +%s.%N; }

# elapsed START: seconds since START (from now_s), one decimal.
elapsed() { awk -v s="$1" -v e="$(now_s)" 'BEGIN { printf "%.1f", e - s }'; }

# human_duration SECONDS: "42.0 s" or "22 min 16 s".
human_duration() {
  awk -v t="$1" 'BEGIN { if (t < 90) printf "%.1f s", t; else printf "%d min %02d s", int(t / 60), int(t) % 60 }'
}

# version_ge A B: true when dotted version A >= B (numeric fields; a "-suffix" on the
# last field is ignored, so 1.10.10 >= 1.10 and 1.26.8 >= 1.26).
version_ge() {
  local a b
  a="${1%%-*}"
  b="${2%%-*}"
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -t. -k1,1n -k2,2n -k3,3n | head -n1)" = "$b" ]
}

# sha256_of FILE: the hex digest alone.
sha256_of() { sha256sum "$1" | awk '{ print $1 }'; }
