"use strict";

/**
 * Reads the app's settings from environment variables. Every variable is checked, and a
 * bad value is reported with its name and what is allowed: a typo in PORT must stop the
 * process at boot (PM2 then shows the error) rather than start a server on a surprise port.
 */

const fs = require("node:fs");
const path = require("node:path");

const DEFAULTS = Object.freeze({
  port: 8080,
  message: "Hello, World!",
  // 0: under an Auto Scaling group the ALB has already deregistered (and drained) the target
  // before the instance is terminated, and in PM2 cluster mode the primary stops routing to a
  // worker as soon as it closes its listener. A delay there only adds time (and, during a
  // `pm2 reload`, 503 answers to ALB health checks). Set it where a process can be stopped
  // while its target is still in service; see SHUTDOWN_DELAY_MS in docs/app.md.
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10000,
  // Must exceed the ALB idle timeout (60 s by default): if Node closes an idle keep-alive
  // connection first, the ALB can send a request into the closing socket and answer 502.
  keepAliveTimeoutMs: 65000,
  enableCpuEndpoint: false,
  cpuMaxSeconds: 30,
  allowDelayParam: false,
});

/** Upper bounds keep a typo (an extra zero) from turning into an hour-long shutdown. */
const LIMITS = Object.freeze({
  shutdownDelayMs: 120000,
  shutdownTimeoutMs: 600000,
  keepAliveTimeoutMs: 600000,
  cpuMaxSeconds: 600,
});

class ConfigError extends Error {
  constructor(problems) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

function readPackageVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "package.json"), "utf8"));
  return pkg.version;
}

function integer(env, name, fallback, min, max, problems) {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name}=${JSON.stringify(raw)}: must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return Number(raw);
}

function boolean(env, name, fallback, problems) {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  if (raw === "true") {
    return true;
  }
  if (raw === "false") {
    return false;
  }
  problems.push(`${name}=${JSON.stringify(raw)}: must be "true" or "false"`);
  return fallback;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{port:number, host:string|undefined, message:string, version:string,
 *   shutdownDelayMs:number, shutdownTimeoutMs:number, keepAliveTimeoutMs:number,
 *   enableCpuEndpoint:boolean, cpuMaxSeconds:number, allowDelayParam:boolean}}
 * @throws {ConfigError} naming every bad variable
 */
function loadConfig(env = process.env) {
  const problems = [];
  const config = {
    port: integer(env, "PORT", DEFAULTS.port, 0, 65535, problems),
    // Unset: all interfaces, which is what the ALB needs. Tests pin 127.0.0.1.
    host: env.HOST || undefined,
    message: env.APP_MESSAGE === undefined || env.APP_MESSAGE === "" ? DEFAULTS.message : env.APP_MESSAGE,
    version: env.APP_VERSION || readPackageVersion(),
    shutdownDelayMs: integer(env, "SHUTDOWN_DELAY_MS", DEFAULTS.shutdownDelayMs, 0, LIMITS.shutdownDelayMs, problems),
    shutdownTimeoutMs: integer(
      env,
      "SHUTDOWN_TIMEOUT_MS",
      DEFAULTS.shutdownTimeoutMs,
      0,
      LIMITS.shutdownTimeoutMs,
      problems,
    ),
    keepAliveTimeoutMs: integer(
      env,
      "KEEP_ALIVE_TIMEOUT_MS",
      DEFAULTS.keepAliveTimeoutMs,
      1,
      LIMITS.keepAliveTimeoutMs,
      problems,
    ),
    enableCpuEndpoint: boolean(env, "ENABLE_CPU_ENDPOINT", DEFAULTS.enableCpuEndpoint, problems),
    cpuMaxSeconds: integer(env, "CPU_MAX_SECONDS", DEFAULTS.cpuMaxSeconds, 1, LIMITS.cpuMaxSeconds, problems),
    allowDelayParam: boolean(env, "ALLOW_DELAY_PARAM", DEFAULTS.allowDelayParam, problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

module.exports = { loadConfig, ConfigError, DEFAULTS, LIMITS };
