#!/usr/bin/env bash
# App layer, run as root on the build instance after the file provisioner uploaded app/ to
# APP_SOURCE_DIR: installs the app into /home/app-user, starts it under PM2 as app-user once
# (a smoke test: the image is only created if /health answers 200) and saves PM2's process
# list, which the pm2-app-user unit resurrects at every boot.
set -euo pipefail

# sudo's secure_path may lack /usr/local/bin, where npm can put global commands.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly APP_USER=app-user
readonly APP_HOME=/home/app-user
readonly HEALTH_ATTEMPTS=30

log() { printf '==> install-app: %s\n' "$*"; }
fail() {
  printf '==> install-app: ERROR: %s\n' "$*" >&2
  exit 1
}

# A clean environment: PM2 stores the environment it is started with in its dump and gives it
# to the app at every resurrect, and the provisioner's variables have no business there.
as_app_user() {
  runuser -u "$APP_USER" -- env -i PATH="$PATH" HOME="$APP_HOME" PM2_HOME="$APP_HOME/.pm2" "$@"
}

[[ ${EUID} -eq 0 ]] || fail "must run as root (the provisioner runs it with sudo)"
[[ -n ${APP_VERSION:-} ]] || fail "APP_VERSION is not set (packer variable app_version)"
[[ -d ${APP_SOURCE_DIR:-} ]] || fail "APP_SOURCE_DIR '${APP_SOURCE_DIR:-}' is not a directory (the file provisioner uploads app/ there)"
id -u "$APP_USER" >/dev/null 2>&1 || fail "user ${APP_USER} does not exist: the source image lacks the base layer (build it: npm run image:build -- --base)"
command -v node >/dev/null || fail "node is not installed: the source image lacks the base layer"
pm2_bin=$(command -v pm2) || fail "pm2 is not installed: the source image lacks the base layer"

# The AMI name, tags and manifest carry app_version; make sure it is the version installed.
package_version=$(node -p "require('${APP_SOURCE_DIR}/package.json').version")
[[ $package_version == "$APP_VERSION" ]] ||
  fail "app_version ${APP_VERSION} does not match app/package.json's version ${package_version}"

log "installing sample-app ${APP_VERSION} into ${APP_HOME}"
shopt -s nullglob
app_files=("$APP_SOURCE_DIR"/*.js "$APP_SOURCE_DIR"/package.json)
install --owner="$APP_USER" --group="$APP_USER" --mode=0644 "${app_files[@]}" "$APP_HOME/"
rm -rf "$APP_SOURCE_DIR"

# The port comes from the process file PM2 runs (env.PORT), the one place the image sets it.
app_port=$(node -p "require('${APP_HOME}/app.config.js').apps[0].env.PORT")
[[ $app_port =~ ^[0-9]+$ ]] || fail "app.config.js apps[0].env.PORT is '${app_port}', not a port number"
readonly HEALTH_URL="http://127.0.0.1:${app_port}/health"

log "pm2 startOrReload app.config.js (node $(node --version), pm2 $(as_app_user "$pm2_bin" --version))"
cd "$APP_HOME"
as_app_user "$pm2_bin" startOrReload "$APP_HOME/app.config.js"

healthy=false
for ((attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++)); do
  if curl --silent --fail --max-time 2 --output /dev/null "$HEALTH_URL"; then
    healthy=true
    break
  fi
  sleep 1
done
if [[ $healthy != true ]]; then
  as_app_user "$pm2_bin" logs --lines 50 --nostream || true
  fail "app not healthy at ${HEALTH_URL} after ${HEALTH_ATTEMPTS} attempts"
fi
log "app healthy: $(curl --silent --max-time 2 "$HEALTH_URL")"

as_app_user "$pm2_bin" save
# Stop the daemon before the snapshot; the saved list stays. The image then holds no stale
# socket, PID file or build-time log.
as_app_user "$pm2_bin" kill
rm -rf "${APP_HOME}/.pm2/logs" "${APP_HOME}/.pm2/pids"
[[ -s "${APP_HOME}/.pm2/dump.pm2" ]] || fail "pm2 save left no ${APP_HOME}/.pm2/dump.pm2"
log "done"
