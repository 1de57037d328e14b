"use strict";

/**
 * Entry point (PM2 runs this file; so can `node app.js`): settings from the environment,
 * JSON log lines on stdout, graceful shutdown on SIGINT (what PM2 sends) and SIGTERM
 * (what systemd and container runtimes send).
 */

const cluster = require("node:cluster");
const { loadConfig, ConfigError } = require("./config");
const { createApp } = require("./server");

/** See the signal handler below; covers the primary's IPC round trip many times over. */
const CLUSTER_EXIT_LINGER_MS = 500;

function log(level, msg, fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, pid: process.pid, ...fields });
  (level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    log("error", "invalid configuration", { problems: error.problems });
    process.exit(2);
  }
  throw error;
}

const app = createApp({ ...config, log });

app.server.on("error", (error) => {
  const hint =
    error.code === "EADDRINUSE"
      ? `port ${config.port} is in use; set PORT to a free port`
      : `cannot listen on ${config.host ?? "all interfaces"}:${config.port} (HOST, PORT)`;
  log("error", "server error", { code: error.code, message: error.message, hint });
  process.exit(1);
});

app.server.listen(config.port, config.host, () => {
  const address = app.server.address();
  log("info", "listening", { port: address.port, address: address.address, version: config.version });
  // PM2 (wait_ready) holds a reload until the new worker says it is ready, so old workers are
  // only stopped once their replacement accepts connections.
  if (typeof process.send === "function") {
    process.send("ready");
  }
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (app.state !== "serving") {
      log("info", "already shutting down", { signal });
      return;
    }
    app.shutdown(signal).then(({ forced }) => {
      // Non-zero when requests were cut at SHUTDOWN_TIMEOUT_MS, so the cut shows in PM2 / systemd.
      const exit = () => process.exit(forced ? 1 : 0);
      // In PM2's cluster mode the primary owns the port and hands each new connection to a
      // worker over IPC. One it handed to this worker just before it learnt that the listener
      // closed reaches us after the close; alive, the worker sends it back for another worker
      // to serve, but if it has exited, that connection hangs. Linger long enough for those.
      if (cluster.isWorker) {
        setTimeout(exit, CLUSTER_EXIT_LINGER_MS);
      } else {
        exit();
      }
    });
  });
}
