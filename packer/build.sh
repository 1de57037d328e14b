#!/usr/bin/env bash
# npm run image:build [-- options]: builds the AMIs with Packer (see --help) and appends them to
# packer/manifest.json, which the stacks read (image.kind = "packer-manifest").
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: npm run image:build -- [options]
       bash packer/build.sh [options]

Builds sample-app-packer-<version>-<timestamp> (app/package.json's version, tagged with the
git commit) and records it in packer/manifest.json.

  (no option)        app image on the newest Amazon Linux 2023 (installs Node.js and PM2 itself)
  --base             build the base image sample-app-base-<timestamp> first, then the app image on it
  --use-base         app image on the newest existing sample-app-base-* image of the account
  --base-only        only the base image (OS updates, Node.js, PM2, app-user)
  --region REGION    region to build in (default: us-east-1)
  --copy-to REGIONS  comma-separated regions to copy the AMIs to, e.g. eu-west-1,us-west-2
  --dry-run          check the options and print the packer commands, without running them
  -h, --help         this help

Needs Packer >= 1.9.4 (npm run toolchain) and AWS credentials (AWS_PROFILE, or
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance/container role).
Validate the templates without AWS: npm run image:validate
USAGE
}

die_usage() {
  printf 'error: %s (see --help)\n' "$1" >&2
  exit 2
}

die() {
  printf 'error: %s\n' "$1" >&2
  exit 1
}

readonly REGION_PATTERN='^[a-z]{2}(-[a-z]+)+-[0-9]+$'

mode=app-on-al2023
mode_flag=""
region=us-east-1
copy_to=""
dry_run=false

set_mode() {
  if [[ -n $mode_flag && $mode_flag != "$1" ]]; then
    die_usage "$mode_flag and $1 cannot be combined"
  fi
  mode_flag=$1
  mode=$2
}

# Each of --region and --copy-to once: a second one would silently replace the first.
region_given=""
copy_to_given=""
set_value() {
  if [[ $1 == --region ]]; then
    [[ -z $region_given ]] || die_usage "--region given twice ('$region_given' and '$2'); the build runs in one region (copy with --copy-to)"
    region_given=$2
    region=$2
  else
    [[ -z $copy_to_given ]] || die_usage "--copy-to given twice ('$copy_to_given' and '$2'); give one comma-separated list, e.g. --copy-to eu-west-1,us-west-2"
    copy_to_given=$2
    copy_to=$2
  fi
}

while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --base) set_mode "$1" base-then-app ;;
    --use-base) set_mode "$1" app-on-base ;;
    --base-only) set_mode "$1" base-only ;;
    --region | --copy-to)
      [[ $# -ge 2 && -n $2 && $2 != -* ]] || die_usage "$1 needs a value"
      set_value "$1" "$2"
      shift
      ;;
    --region=* | --copy-to=*)
      value=${1#*=}
      [[ -n $value ]] || die_usage "${1%%=*} needs a value"
      set_value "${1%%=*}" "$value"
      ;;
    --dry-run) dry_run=true ;;
    *)
      # An unknown option: the whole usage, so the right one is in sight.
      printf "error: unknown option '%s'\n\n" "$1" >&2
      usage >&2
      exit 2
      ;;
  esac
  shift
done

[[ $region =~ $REGION_PATTERN ]] || die_usage "--region '$region' is not an AWS region name such as us-east-1"
copy_regions=()
if [[ -n $copy_to ]]; then
  IFS=, read -r -a copy_regions <<<"$copy_to"
  for r in "${copy_regions[@]}"; do
    [[ $r =~ $REGION_PATTERN ]] || die_usage "--copy-to entry '$r' is not an AWS region name such as eu-west-1"
    [[ $r != "$region" ]] || die_usage "--copy-to lists the build region $region itself"
  done
fi
# Regions AWS has (modules/core/aws-facts.json, offline), each copy region once: before credentials are looked for.
if ! region_problem=$(node "$(dirname "${BASH_SOURCE[0]}")/scripts/check-regions.mjs" "$region" "${copy_regions[@]}"); then
  die_usage "${region_problem:-cannot check the regions (node packer/scripts/check-regions.mjs failed)}"
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=packer/scripts/find-packer.sh
source packer/scripts/find-packer.sh

packer_bin=$(find_packer)
export CHECKPOINT_DISABLE=1
command -v node >/dev/null || die "node is not on PATH (needed to read app/package.json)"
command -v git >/dev/null || die "git is not on PATH (needed for the git_commit tag)"

app_version=$(node -p "require('./app/package.json').version") || die "cannot read the version from app/package.json"
git_commit=$(git rev-parse --verify HEAD 2>/dev/null) ||
  die "cannot read the current commit (git rev-parse HEAD): build from a git checkout with at least one commit"
# The image is traceable to a commit only if app/ and packer/ are as committed; mark it if not.
if [[ -n $(git status --porcelain -- app packer ':(exclude)packer/manifest.json') ]]; then
  echo "warning: app/ or packer/ has uncommitted changes; the image is tagged git_commit=${git_commit}-dirty" >&2
  git_commit="${git_commit}-dirty"
fi

common_vars=(-var "region=$region" -var "git_commit=$git_commit" -var "app_version=$app_version")
if ((${#copy_regions[@]} > 0)); then
  ami_regions=$(printf '"%s",' "${copy_regions[@]}")
  common_vars+=(-var "ami_regions=[${ami_regions%,}]")
fi

# -only picks one build of the configuration in packer/ (build name . source type . source name).
builds=()
case $mode in
  base-only) builds=("base.amazon-ebs.base|") ;;
  base-then-app) builds=("base.amazon-ebs.base|" "app.amazon-ebs.app|sample-app-base") ;;
  app-on-base) builds=("app.amazon-ebs.app|sample-app-base") ;;
  app-on-al2023) builds=("app.amazon-ebs.app|al2023") ;;
esac

if [[ $dry_run != true ]]; then
  node --no-warnings packer/scripts/check-aws-credentials.mjs "$region" || exit 1
fi

for entry in "${builds[@]}"; do
  only=${entry%%|*}
  base_image=${entry#*|}
  command=("$packer_bin" build -timestamp-ui "-only=$only" "${common_vars[@]}")
  if [[ -n $base_image ]]; then
    command+=(-var "base_image=$base_image")
  fi
  command+=(packer)
  if [[ $dry_run == true ]]; then
    printf 'would run:'
    printf ' %q' "${command[@]}"
    printf '\n'
    continue
  fi
  echo "==> ${only} (app ${app_version}, commit ${git_commit}, region ${region})"
  started=$SECONDS
  "${command[@]}"
  echo "==> ${only} done in $((SECONDS - started)) s"
done

if [[ $dry_run == true ]]; then
  exit 0
fi

# What this run added to the manifest: the AMI ids to deploy (or to roll back from).
# shellcheck disable=SC2016 # ${...} below are JavaScript template literals
node -e '
  const m = JSON.parse(require("fs").readFileSync("packer/manifest.json", "utf8"));
  for (const b of m.builds.filter((b) => b.build_time >= Number(process.argv[1]))) {
    const d = b.custom_data || {};
    console.log(`${b.name}: ${b.artifact_id} (${d.image_role} ${d.app_version ?? ""} commit ${d.git_commit}, built ${new Date(b.build_time * 1000).toISOString()})`);
  }
' "$(($(date +%s) - SECONDS))"
