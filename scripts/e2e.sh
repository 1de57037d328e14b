#!/usr/bin/env bash
# npm run test:e2e: the emulator extension's own tests (pytest, in the toolchain's
# moto venv), then the end-to-end jest suite (real tofu + AWS provider vs the emulator).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: npm run test:e2e [-- JEST_ARGS...]
  Runs the emulator extension's pytest suite, then the end-to-end jest suite
  (jest -c jest.e2e.config.js JEST_ARGS...), e.g. -- e2e/local-stack.e2e.test.ts
  or -- -t "rolling update". Files run in parallel: SAMPLE_APP_E2E_WORKERS workers
  (default 2; see e2e/README.md). Needs the toolchain (npm run toolchain).
  -h, --help   this help (runs nothing)
EOF
}
for arg in "$@"; do
  case $arg in
    -h | --help)
      usage
      exit 0
      ;;
  esac
done

toolchain_home="${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}"
moto_version="$(node -p "require('./toolchain.json').moto.version")"
python="$toolchain_home/moto/$moto_version/venv/bin/python"
if [ ! -x "$python" ]; then
  echo "test:e2e: moto $moto_version is not installed at $python; run: npm run toolchain" >&2
  exit 1
fi

echo "==> emulator extension tests (pytest)"
"$python" -m pytest -q emulator/moto/tests

echo "==> end-to-end tests (jest, tofu + terraform-provider-aws against the emulator)"
npx jest -c jest.e2e.config.js "$@"
