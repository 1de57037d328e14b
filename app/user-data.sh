#!/usr/bin/env bash
# Launch template user data (stacks/sample-app-stack.ts reads this file). cloud-init runs it
# once per instance, as root, at first boot; its output lands in /var/log/cloud-init-output.log.
#
# The AMI (packer/) already holds the app in /home/app-user, a pinned PM2, and the systemd unit
# pm2-app-user that resurrects the process list saved at build time. So the app may already be
# running when this starts; `pm2 startOrReload` starts it if not and reloads it (one worker at a
# time, zero downtime) if so, which makes this script safe to run again.
set -euo pipefail

readonly APP_USER=app-user
readonly APP_HOME=/home/app-user
readonly PM2_UNIT=pm2-app-user.service
# Rendered by stacks/sample-app-stack.ts from the environment's appPort, the port the target
# group sends traffic and health checks to (config validation holds it equal to the image's
# app/app.config.js env.PORT).
readonly APP_PORT=@APP_PORT@
readonly HEALTH_URL="http://127.0.0.1:${APP_PORT}/health"
readonly HEALTH_ATTEMPTS=60

# cloud-init's PATH is not a login PATH; npm's global bin dir may be either of these.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[user-data] %s\n' "$*"; }
fail() {
  printf '[user-data] ERROR: %s\n' "$*" >&2
  exit 1
}

# PM2 keeps its daemon, socket and dump in PM2_HOME; running it with root's HOME would start a
# second, root-owned daemon instead of talking to app-user's. env -i: PM2 saves the environment
# an app is started with and gives it back at every resurrect; cloud-init's has no place there.
as_app_user() {
  runuser -u "$APP_USER" -- env -i PATH="$PATH" HOME="$APP_HOME" PM2_HOME="$APP_HOME/.pm2" "$@"
}

[[ ${EUID} -eq 0 ]] || fail "must run as root (cloud-init runs user data as root)"
id -u "$APP_USER" >/dev/null 2>&1 || fail "user $APP_USER does not exist: was this AMI built by packer/ (npm run image:build)?"
[[ -f "$APP_HOME/app.config.js" ]] || fail "$APP_HOME/app.config.js is missing: was this AMI built by packer/?"
pm2_bin=$(command -v pm2) || fail "pm2 is not on PATH ($PATH): was this AMI built by packer/?"
[[ $APP_PORT =~ ^[0-9]+$ ]] || fail "APP_PORT '${APP_PORT}' is not a port: this script is a template, rendered by the sample-app stack"
cd "$APP_HOME"

# If the boot-time resurrect is still starting, wait for it: a pm2 command issued meanwhile
# would spawn a second daemon. `systemctl start` on an active unit returns at once.
if systemctl cat "$PM2_UNIT" >/dev/null 2>&1; then
  log "waiting for $PM2_UNIT"
  systemctl start "$PM2_UNIT" || log "warning: $PM2_UNIT failed to start (journalctl -u $PM2_UNIT); starting the app directly"
fi

log "pm2 startOrReload app.config.js as $APP_USER"
as_app_user "$pm2_bin" startOrReload "$APP_HOME/app.config.js"
as_app_user "$pm2_bin" save

# Each attempt takes 1 to 3 s, so the app has at least a minute to come up.
for ((attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++)); do
  if curl --silent --fail --max-time 2 --output /dev/null "$HEALTH_URL"; then
    log "app healthy at $HEALTH_URL after ${attempt} attempt(s)"
    exit 0
  fi
  sleep 1
done

as_app_user "$pm2_bin" logs --lines 50 --nostream || true
fail "app not healthy at $HEALTH_URL after $HEALTH_ATTEMPTS attempts"
