"use strict";

/**
 * The HTTP service, without process wiring (signals, stdout, PM2), so tests can run it
 * in-process: `createApp(options)` returns the server and a `shutdown()`.
 */

const http = require("node:http");
const net = require("node:net");
const { performance } = require("node:perf_hooks");
const { DEFAULTS, loadConfig } = require("./config");

/** Longest `delay_ms` the test-only slow path accepts. */
const MAX_DELAY_MS = 60000;
/**
 * One busy slice of /cpu. Between slices the event loop runs (setImmediate), so /health and
 * other requests are answered within about this long even while /cpu burns a core.
 */
const CPU_SLICE_MS = 10;
const DEFAULT_CPU_SECONDS = 10;
/**
 * How long an idle keep-alive connection is kept once the listener closed, so a request that a
 * client is sending on it right then is answered (with Connection: close) instead of reset.
 */
const IDLE_GRACE_MS = 1000;

/** Allowed methods by path. A Map, so a target such as "constructor" is not a route. */
const ROUTES = new Map([
  ["/", ["GET", "HEAD"]],
  ["/health", ["GET", "HEAD"]],
  ["/cpu", ["GET"]],
]);

/** Splits the request target by hand: `new URL("//x", base)` would read "x" as a host. */
function parseTarget(target) {
  const q = target.indexOf("?");
  return {
    pathname: q === -1 ? target : target.slice(0, q),
    query: new URLSearchParams(q === -1 ? "" : target.slice(q + 1)),
  };
}

/**
 * @param {object} [options] settings as returned by loadConfig (any subset; the rest default),
 *   and idleGraceMs (default IDLE_GRACE_MS)
 * @param {(level: string, msg: string, fields?: object) => void} [options.log]
 */
function createApp(options = {}) {
  const { log = () => {}, ...overrides } = options;
  const config = {
    ...DEFAULTS,
    idleGraceMs: IDLE_GRACE_MS,
    version: overrides.version ?? loadConfig({}).version,
    ...overrides,
  };
  const startedAt = performance.now();
  /** "serving" -> "draining" (health 503, still accepting) -> "closing" (listener closed) -> "closed" */
  let state = "serving";
  let shutdownPromise = null;

  const uptimeSeconds = () => Math.round(performance.now() - startedAt) / 1000;

  function sendJson(res, status, body, extraHeaders = {}) {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(payload),
      "Cache-Control": "no-store",
      "X-App-Version": config.version,
      // Decided when the answer is written, not when the request arrived, so that every answer
      // during the drain, slow ones included, tells a keep-alive client (the ALB too) to take
      // its next request to a new connection, which reaches another instance or worker; Node
      // closes the socket after the answer.
      ...(state === "serving" ? {} : { Connection: "close" }),
      ...extraHeaders,
    });
    res.end(payload);
  }

  function health(res) {
    const serving = state === "serving";
    sendJson(res, serving ? 200 : 503, {
      status: serving ? "ok" : "shutting-down",
      version: config.version,
      uptime: uptimeSeconds(),
    });
  }

  function home(req, res, query) {
    const body = { message: config.message, version: config.version };
    if (!config.allowDelayParam || !query.has("delay_ms")) {
      sendJson(res, 200, body);
      return;
    }
    const raw = query.get("delay_ms");
    if (!/^\d+$/.test(raw) || Number(raw) > MAX_DELAY_MS) {
      sendJson(res, 400, { error: `delay_ms must be a whole number from 0 to ${MAX_DELAY_MS}` });
      return;
    }
    const timer = setTimeout(() => sendJson(res, 200, body), Number(raw));
    res.on("close", () => clearTimeout(timer));
  }

  function cpu(req, res, query) {
    const raw = query.get("seconds");
    const seconds = raw === null ? Math.min(DEFAULT_CPU_SECONDS, config.cpuMaxSeconds) : Number(raw);
    if (raw === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > config.cpuMaxSeconds) {
      sendJson(res, 400, {
        error: `seconds must be a number greater than 0 and at most ${config.cpuMaxSeconds} (CPU_MAX_SECONDS)`,
      });
      return;
    }
    const began = performance.now();
    const deadline = began + seconds * 1000;
    let clientGone = false;
    res.on("close", () => {
      clientGone = !res.writableFinished;
    });
    let sink = 0;
    const slice = () => {
      if (clientGone) {
        return;
      }
      // Stop early on shutdown: a 30 s burn must not hold the drain for its full length.
      if (state !== "serving" || performance.now() >= deadline) {
        sendJson(res, 200, {
          requestedSeconds: seconds,
          burnedSeconds: Math.round(performance.now() - began) / 1000,
          interrupted: state !== "serving",
          version: config.version,
        });
        return;
      }
      const sliceEnd = Math.min(deadline, performance.now() + CPU_SLICE_MS);
      while (performance.now() < sliceEnd) {
        sink += Math.sqrt(sink + 1);
      }
      setImmediate(slice);
    };
    slice();
  }

  function handle(req, res) {
    const { pathname, query } = parseTarget(req.url);
    const allowed = ROUTES.get(pathname);
    if (!allowed || (pathname === "/cpu" && !config.enableCpuEndpoint)) {
      sendJson(res, 404, { error: `no route for ${pathname}` });
      return;
    }
    if (!allowed.includes(req.method)) {
      sendJson(res, 405, { error: `method ${req.method} not allowed on ${pathname}` }, { Allow: allowed.join(", ") });
      return;
    }
    if (pathname === "/health") {
      health(res);
    } else if (pathname === "/cpu") {
      cpu(req, res, query);
    } else {
      home(req, res, query);
    }
  }

  const server = http.createServer(handle);
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // headersTimeout above keepAliveTimeout: below it, a request that a kept-alive client starts
  // shortly before the keep-alive timer fires can be cut by the headers timer (the ALB then
  // answers 502).
  server.headersTimeout = config.keepAliveTimeoutMs + 1000;
  server.requestTimeout = Math.max(server.requestTimeout, server.headersTimeout + 1000);

  function closeListener() {
    state = "closing";
    return new Promise((resolve) => {
      let forced = false;
      const force = setTimeout(() => {
        forced = true;
        log("warn", "shutdown timeout: closing remaining connections", {
          shutdownTimeoutMs: config.shutdownTimeoutMs,
        });
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      // Idle keep-alive connections are closed after a grace period, not at once: a client
      // that reuses connections back to back (a load balancer, a proxy) may be sending its
      // next request on one right now, and closing the socket under that request resets it.
      // Within the grace that request is answered, with Connection: close. Sockets idle since
      // before the shutdown are closed by the timer; a socket that turns idle later (its
      // response was written before the shutdown, so without Connection: close) by Node's
      // keep-alive timeout, shortened to the same grace.
      const graceMs = Math.min(config.idleGraceMs, config.shutdownTimeoutMs);
      server.keepAliveTimeout = Math.max(graceMs, 1);
      const idle = setTimeout(() => server.closeIdleConnections(), graceMs);
      // net.Server's close, not http.Server's: since Node 19 the latter also closes every idle
      // connection on the spot, which is the reset above. This one only stops accepting and
      // calls back once the last connection has ended.
      net.Server.prototype.close.call(server, () => {
        clearTimeout(force);
        clearTimeout(idle);
        state = "closed";
        resolve({ forced });
      });
    });
  }

  /**
   * Fails health checks at once, keeps serving for shutdownDelayMs (so a load balancer
   * still routing here sees the 503s and deregisters), then stops accepting, lets in-flight
   * requests finish and force-closes whatever is left after shutdownTimeoutMs.
   * Idempotent: later calls return the first call's promise.
   * @returns {Promise<{forced: boolean}>} forced: connections were cut at the timeout
   */
  function shutdown(reason = "shutdown") {
    if (shutdownPromise) {
      return shutdownPromise;
    }
    state = "draining";
    log("info", "shutdown started", {
      reason,
      shutdownDelayMs: config.shutdownDelayMs,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    shutdownPromise = new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs))
      .then(() => (server.listening ? closeListener() : { forced: false }))
      .then((result) => {
        state = "closed";
        log(result.forced ? "warn" : "info", "shutdown complete", result);
        return result;
      });
    return shutdownPromise;
  }

  return {
    server,
    shutdown,
    config,
    get state() {
      return state;
    },
  };
}

module.exports = { createApp, MAX_DELAY_MS, CPU_SLICE_MS, IDLE_GRACE_MS };
