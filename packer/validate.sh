#!/usr/bin/env bash
# npm run image:validate: `packer fmt -check` and a full `packer validate` of the Packer
# configuration in packer/ (both builds, and the app build in both base_image variants, whose
# provisioner lists differ). Full validation prepares every builder, provisioner and
# post-processor: unknown options, failing variable validations and missing scripts are errors.
# It needs no AWS account: Packer 1.9.4 makes no AWS call during validate (data sources are not
# evaluated and source_ami_filter is only resolved by a build).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=packer/scripts/find-packer.sh
source packer/scripts/find-packer.sh

if [[ $# -gt 0 ]]; then
  case $1 in
    -h | --help)
      echo "usage: npm run image:validate   (packer fmt -check -diff, then packer validate, on packer/)"
      exit 0
      ;;
    *)
      echo "error: validate.sh takes no arguments, got '$1'" >&2
      echo "usage: npm run image:validate   (packer fmt -check -diff, then packer validate, on packer/)" >&2
      exit 2
      ;;
  esac
fi

packer_bin=$(find_packer)
export CHECKPOINT_DISABLE=1
echo "packer: $packer_bin ($(packer_version_of "$packer_bin"))"

echo "==> packer fmt -check -diff -recursive packer"
"$packer_bin" fmt -check -diff -recursive packer

# The real app version, so a package.json version the AMI name cannot carry fails here already.
app_version=$(node -p "require('./app/package.json').version")
# Any well-formed commit will do: validate checks the shape, the build passes the real one.
placeholder_commit=0000000000000000000000000000000000000000

# Packer 1.9.x prints a "Bundled plugins used" warning for every template that relies on the
# compiled-in amazon plugin, which these do on purpose (variables.pkr.hcl); it is dropped from
# the output of a successful run and kept in full when validation fails.
drop_bundled_plugin_warning() {
  sed '/^Warning: Bundled plugins used/,/^Then run .packer init./d' | sed '/^[[:space:]]*$/d'
}

for base_image in al2023 sample-app-base; do
  echo "==> packer validate packer (base_image=$base_image, app_version=$app_version)"
  status=0
  output=$("$packer_bin" validate \
    -var "app_version=$app_version" \
    -var "git_commit=$placeholder_commit" \
    -var "base_image=$base_image" \
    packer 2>&1) || status=$?
  if ((status != 0)); then
    printf '%s\n' "$output" >&2
    echo "image:validate: packer validate failed (base_image=$base_image)" >&2
    exit "$status"
  fi
  printf '%s\n' "$output" | drop_bundled_plugin_warning
done
echo "image:validate: OK (the built-in amazon plugin of Packer 1.9.4 is used on purpose; no packer init needed)"
