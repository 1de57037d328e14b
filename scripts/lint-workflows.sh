#!/usr/bin/env bash
# npm run lint:workflows: actionlint (built by `npm run toolchain -- --only actionlint`) on
# every GitHub Actions workflow. With shellcheck on PATH, actionlint also checks the
# workflows' `run:` scripts.
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain_home="${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}"
actionlint="${ACTIONLINT:-$toolchain_home/bin/actionlint}"
if [ ! -x "$actionlint" ]; then
  if command -v actionlint >/dev/null 2>&1; then
    actionlint="$(command -v actionlint)"
  else
    echo "lint:workflows: actionlint not found at $actionlint or on PATH; run: npm run toolchain -- --only actionlint" >&2
    exit 1
  fi
fi
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "lint:workflows: no workflow in .github/workflows" >&2
  exit 1
fi
echo "actionlint $("$actionlint" -version | head -n1) on ${workflows[*]}"
"$actionlint" -no-color "${workflows[@]}"
echo "workflows ok"
