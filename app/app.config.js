"use strict";

/**
 * PM2 process file: `pm2 startOrReload app.config.js` from /home/app-user (see user-data.sh).
 *
 * Zero-downtime `pm2 reload` in cluster mode: PM2 starts a new worker, waits for its
 * process.send("ready") (wait_ready), and only then sends SIGINT to the old worker, which
 * drains (app/server.js) while the others keep serving. kill_timeout has to outlast that
 * drain, or PM2's SIGKILL would cut the requests the drain is protecting.
 */

// 0: ASG terminations deregister the target first, and PM2's primary stops routing to a closing
// worker at once; a delay would only make reload health checks answer 503 (see app/config.js).
const SHUTDOWN_DELAY_MS = 0;
const SHUTDOWN_TIMEOUT_MS = 10000;
/** Time to exit once the drain ended or was cut (a cluster worker lingers 0.5 s first, see app.js). */
const EXIT_MARGIN_MS = 5000;

module.exports = {
  apps: [
    {
      name: "sample-app",
      script: "app.js",
      cwd: __dirname,
      exec_mode: "cluster",
      // One worker per CPU.
      instances: "max",
      env: {
        NODE_ENV: "production",
        PORT: 8080,
        SHUTDOWN_DELAY_MS,
        SHUTDOWN_TIMEOUT_MS,
      },
      wait_ready: true,
      // How long a reload waits for "ready" before it gives up waiting and carries on.
      listen_timeout: 10000,
      kill_timeout: SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS,
      // Exit code 2 is a configuration error (app/app.js): restarting cannot fix it.
      stop_exit_codes: [2],
      // A crash loop backs off (100 ms doubling up to 15 s) instead of spinning a core.
      exp_backoff_restart_delay: 100,
    },
  ],
};
