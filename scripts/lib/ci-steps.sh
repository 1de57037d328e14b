# shellcheck shell=bash
# Timed CI steps with a budget guard, for .ci/run (and its test, __tests__/scripts/ci-timing.test.ts).
# Source it; it defines functions only. The budgets and their variables are in
# scripts/lib/ci-timing.cjs (SAMPLE_APP_CI_BUDGET_<STEP>, _RUN, _TOTAL).
#
#   ci_step KEY LABEL COMMAND...   runs COMMAND, prints its duration, records it in
#                                  $SAMPLE_APP_CI_TIMINGS; a failed command, or a step, the
#                                  run less the toolchain or the whole run over budget, prints
#                                  the summary and exits non-zero.
#   ci_done                        prints the summary table with the totals.

CI_TIMING_JS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ci-timing.cjs"
: "${SAMPLE_APP_CI_TIMINGS:=$(mktemp "${TMPDIR:-/tmp}/sample-app-ci-timings.XXXXXX")}"

ci_ms() { date +%s%3N; }

ci_summary() {
  printf '\n==== CI step times (timings in %s)\n' "$SAMPLE_APP_CI_TIMINGS"
  node "$CI_TIMING_JS" summary "$SAMPLE_APP_CI_TIMINGS"
}

ci_step() {
  local key="$1" label="$2" start took status rc=0
  shift 2
  printf '\n==== %s (%s)\n' "$label" "$(date -u +%H:%M:%S)"
  start="$(ci_ms)"
  # `|| rc=$?` keeps `set -e` of the caller from exiting before the time is recorded.
  "$@" || rc=$?
  took="$(awk -v ms="$(($(ci_ms) - start))" 'BEGIN { printf "%.1f", ms / 1000 }')"
  status=ok
  [ "$rc" -eq 0 ] || status=failed
  printf '%s\t%s\t%s\t%s\n' "$key" "$label" "$took" "$status" >>"$SAMPLE_APP_CI_TIMINGS"
  printf '==== %s: %s in %s s\n' "$label" "$status" "$took"
  if [ "$rc" -ne 0 ]; then
    ci_summary
    printf 'CI failed at step "%s" (exit %s)\n' "$label" "$rc" >&2
    exit "$rc"
  fi
  # Over budget: exit 1; a budget variable that is not a budget: exit 2 (fail closed).
  node "$CI_TIMING_JS" check "$SAMPLE_APP_CI_TIMINGS" || rc=$?
  if [ "$rc" -ne 0 ]; then
    ci_summary || true
    exit "$rc"
  fi
}

ci_done() {
  ci_summary
}
