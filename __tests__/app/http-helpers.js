"use strict";

/** Small HTTP and child-process helpers for the app tests (loopback only, every wait bounded). */

const http = require("node:http");
const path = require("node:path");
const { spawn } = require("node:child_process");

const APP_DIR = path.resolve(__dirname, "../../app");
const APP_ENTRY = path.join(APP_DIR, "app.js");

/**
 * One request to 127.0.0.1:port. Resolves with status, headers, parsed body and timings;
 * rejects on any socket error (reset, refused, hang-up) or after timeoutMs. The returned
 * promise has a `written` promise too.
 */
function request(port, target, { method = "GET", agent, timeoutMs = 10000 } = {}) {
  let markWritten;
  const written = new Promise((resolve) => {
    markWritten = resolve;
  });
  const response = new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let writtenAt;
    const req = http.request({ host: "127.0.0.1", port, path: target, method, agent }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body = text;
        if ((res.headers["content-type"] || "").startsWith("application/json") && text !== "") {
          body = JSON.parse(text);
        }
        resolve({ status: res.statusCode, headers: res.headers, body, text, startedAt, writtenAt, endedAt: performance.now() });
      });
    });
    req.on("finish", () => {
      writtenAt = performance.now();
      markWritten(writtenAt);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response to ${method} ${target} within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
  // Resolves when the request has been fully handed to the OS (never, if it failed before).
  response.written = written;
  return response;
}

/** Rejects after ms with a message; for racing against a promise that must settle sooner. */
function deadline(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

async function within(ms, what, promise) {
  const limit = deadline(ms, what);
  try {
    return await Promise.race([promise, limit.promise]);
  } finally {
    limit.cancel();
  }
}

/**
 * Runs `node app/app.js` (or another entry) with only the given environment (plus PATH), on
 * 127.0.0.1 and a port of the OS's choosing. Log lines (JSON on stdout) are collected; waitForLog resolves on the
 * first line matching a msg.
 */
function startApp(env = {}, { ipc = false, entry = APP_ENTRY } = {}) {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const logs = [];
  const waiters = [];
  let stderr = "";
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (data) => {
    buffered += data;
    let newline;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const entry = { ...JSON.parse(line), receivedAt: performance.now() };
      logs.push(entry);
      for (const waiter of waiters.filter((w) => w.msg === entry.msg)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (data) => {
    stderr += data;
  });
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal, exitedAt: performance.now() }));
  });

  function waitForLog(msg, ms = 5000) {
    const seen = logs.find((entry) => entry.msg === msg);
    if (seen) {
      return Promise.resolve(seen);
    }
    const found = new Promise((resolve) => waiters.push({ msg, resolve }));
    const failed = exited.then(({ code }) => {
      throw new Error(`app exited (code ${code}) before logging "${msg}"; stderr: ${stderr}`);
    });
    return within(ms, `log line "${msg}"`, Promise.race([found, failed]));
  }

  return {
    child,
    logs,
    exited,
    waitForLog,
    get stderr() {
      return stderr;
    },
    /** Kills the process if a test left it running. */
    stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
      }
      return exited;
    },
  };
}

/** Resolves once check() is true, polling every 10 ms; rejects after ms. */
async function until(ms, what, check) {
  const endAt = performance.now() + ms;
  while (!check()) {
    if (performance.now() > endAt) {
      throw new Error(`${what}: not within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Listens an in-process app server on 127.0.0.1 and an OS-chosen port. */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

module.exports = { APP_DIR, APP_ENTRY, request, within, until, startApp, listen };
