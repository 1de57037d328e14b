#!/usr/bin/env bash
# npm run aws-facts:refresh: regenerates modules/core/aws-facts.json (regions and their availability
# zones, instance types by architecture and the ones that can hibernate, AWS name rules) from the botocore and moto data in the
# toolchain's moto venv. Commit the result; the config checks read only the committed file.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -gt 0 ]]; then
  case $1 in
    -h | --help)
      echo "usage: npm run aws-facts:refresh   (no arguments; needs the toolchain's moto venv: npm run toolchain -- --only moto)"
      exit 0
      ;;
    *)
      echo "refresh-aws-facts: error: takes no arguments, got '$1' (see --help)" >&2
      exit 2
      ;;
  esac
fi

toolchain_home="${SAMPLE_APP_TOOLCHAIN_HOME:-$HOME/.cache/sample-app-toolchain}"
moto_version="$(node -p "require('./toolchain.json').moto.version")"
python="$toolchain_home/moto/$moto_version/venv/bin/python"
if [[ ! -x $python ]]; then
  echo "refresh-aws-facts: error: moto $moto_version is not installed at $python; run: npm run toolchain -- --only moto" >&2
  exit 1
fi
"$python" scripts/aws_facts.py modules/core/aws-facts.json
