#!/usr/bin/env bash
# Base layer, run as root on the build instance (the shell provisioner's sudo): OS updates,
# Node.js from Amazon Linux 2023's own packages, the unprivileged app-user, and a pinned PM2
# that systemd starts at boot as app-user. Used by the base image, and by the app image when it
# starts from bare AL2023 (base_image = "al2023").
set -euo pipefail

# sudo's secure_path may lack /usr/local/bin, where npm can put global commands.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly APP_USER=app-user
readonly APP_HOME=/home/app-user

log() { printf '==> install-base: %s\n' "$*"; }
fail() {
  printf '==> install-base: ERROR: %s\n' "$*" >&2
  exit 1
}

[[ ${EUID} -eq 0 ]] || fail "must run as root (the provisioner runs it with sudo)"
[[ ${NODEJS_MAJOR:-} =~ ^[0-9]+$ ]] || fail "NODEJS_MAJOR must be a Node.js major version such as 22 (packer variable nodejs_major), got '${NODEJS_MAJOR:-}'"
[[ ${PM2_VERSION:-} =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "PM2_VERSION must be an exact version such as 7.0.4 (packer variable pm2_version), got '${PM2_VERSION:-}'"

# AL2023 pins each AMI to a repository release; --releasever=latest takes the newest one, so
# the image carries today's fixes and not only those of the day the source AMI was cut.
log "OS updates"
dnf --assumeyes --releasever=latest upgrade

log "Node.js ${NODEJS_MAJOR} (nodejs${NODEJS_MAJOR} from the AL2023 repository)"
dnf --assumeyes install "nodejs${NODEJS_MAJOR}" "nodejs${NODEJS_MAJOR}-npm"
# AL2023 installs each Node.js major side by side; `node` and `npm` are alternatives links,
# and PM2's shebang uses whichever `node` they point to.
alternatives --set node "/usr/bin/node-${NODEJS_MAJOR}"
node_version=$(node --version)
[[ $node_version == "v${NODEJS_MAJOR}."* ]] || fail "node is ${node_version} after alternatives --set, expected v${NODEJS_MAJOR}.x"
log "node ${node_version}, npm $(npm --version)"

log "user ${APP_USER}"
if ! id -u "$APP_USER" >/dev/null 2>&1; then
  # No login shell: PM2's unit and runuser -u do not need one.
  useradd --create-home --home-dir "$APP_HOME" --user-group --shell /sbin/nologin \
    --comment "sample-app under PM2" "$APP_USER"
fi

log "PM2 ${PM2_VERSION}"
# --ignore-scripts: no package in PM2's dependency tree has an install script (checked for 7.0.4),
# so none gets to run code as root at install time.
npm install --global --ignore-scripts --no-fund --no-audit --no-update-notifier "pm2@${PM2_VERSION}"
pm2_bin=$(command -v pm2) || fail "pm2 is not on PATH after npm install --global (npm prefix: $(npm prefix --global))"
installed=$(node -p "require('$(npm root --global)/pm2/package.json').version")
[[ $installed == "$PM2_VERSION" ]] || fail "npm installed pm2 ${installed}, expected ${PM2_VERSION}"

# Writes /etc/systemd/system/pm2-app-user.service (ExecStart: pm2 resurrect, as app-user, with
# PM2_HOME=/home/app-user/.pm2) and enables it. The process list it resurrects is saved by
# install-app.sh and again by the user data.
log "pm2 startup systemd for ${APP_USER}"
env PATH="$PATH" "$pm2_bin" startup systemd -u "$APP_USER" --hp "$APP_HOME"
systemctl is-enabled --quiet "pm2-${APP_USER}.service" || fail "pm2-${APP_USER}.service is not enabled after pm2 startup"

# Nothing the image needs: caches of this build.
dnf clean all
npm cache clean --force
rm -rf /root/.pm2
log "done"
