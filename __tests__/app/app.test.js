"use strict";

/**
 * The HTTP service in-process (routes, /cpu, the test-only delay, health during shutdown), its
 * settings, and what PM2 and the image get (app.config.js, app/package.json, no dependencies).
 */

const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { builtinModules } = require("node:module");
const { createApp } = require("../../app/server");
const { loadConfig, ConfigError } = require("../../app/config");
const appPackage = require("../../app/package.json");
const pm2Config = require("../../app/app.config.js");
const { APP_DIR, request, listen, within, until } = require("./http-helpers");

const running = [];

/** idleGraceMs 0 unless a test needs it: each shutdown would wait out jest's idle keep-alive sockets. */
async function start(options = {}) {
  const app = createApp({ idleGraceMs: 0, ...options });
  const port = await listen(app.server);
  running.push(app);
  return { app, port };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => (app.server.listening ? app.shutdown("test end") : null)));
});

describe("GET /", () => {
  test("answers the default message and the version from app/package.json", async () => {
    const { port } = await start();
    const res = await request(port, "/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.body).toEqual({ message: "Hello, World!", version: appPackage.version });
    expect(res.headers["x-app-version"]).toBe(appPackage.version);
  });

  test("answers a configured message and version", async () => {
    const { port } = await start({ message: "Hi from blue", version: "2.3.4" });
    const res = await request(port, "/?anything=1");
    expect(res.body).toEqual({ message: "Hi from blue", version: "2.3.4" });
    expect(res.headers["x-app-version"]).toBe("2.3.4");
  });

  test("HEAD answers the headers without a body", async () => {
    const { port } = await start();
    const res = await request(port, "/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});

describe("GET /health", () => {
  test("answers 200 with status, version and uptime while serving", async () => {
    const { port } = await start({ version: "9.9.9" });
    const res = await request(port, "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", version: "9.9.9", uptime: expect.any(Number) });
    expect(res.body.uptime).toBeGreaterThanOrEqual(0);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  test("answers 503 as soon as shutdown starts, while the drain delay still serves other requests", async () => {
    const { app, port } = await start({ shutdownDelayMs: 150 });
    expect((await request(port, "/health")).status).toBe(200);

    const done = app.shutdown("test");
    const health = await request(port, "/health", { agent: false });
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: "shutting-down", version: appPackage.version, uptime: expect.any(Number) });
    expect(health.headers.connection).toBe("close");

    const home = await request(port, "/", { agent: false });
    expect(home.status).toBe(200);
    expect(home.headers.connection).toBe("close");

    expect(app.shutdown("again")).toBe(done);
    await expect(within(3000, "shutdown", done)).resolves.toEqual({ forced: false });
    expect(app.server.listening).toBe(false);
    expect(app.state).toBe("closed");
  });
});

describe("unknown paths and methods", () => {
  test.each(["/nope", "/health/", "/health/x", "/HEALTH", "//health", "*"])("%s answers 404", async (target) => {
    const { port } = await start();
    const res = await request(port, target);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/no route/);
  });

  test.each([
    ["POST", "/", "GET, HEAD"],
    ["PUT", "/", "GET, HEAD"],
    ["DELETE", "/health", "GET, HEAD"],
    ["POST", "/cpu", "GET"],
    ["HEAD", "/cpu", "GET"],
  ])("%s %s answers 405 with Allow: %s", async (method, target, allow) => {
    const { port } = await start({ enableCpuEndpoint: true });
    const res = await request(port, target, { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
  });
});

describe("GET /cpu", () => {
  test("is 404 unless enabled", async () => {
    const { port } = await start();
    expect((await request(port, "/cpu?seconds=1")).status).toBe(404);
  });

  test("burns CPU for the requested time while /health keeps answering", async () => {
    const { port } = await start({ enableCpuEndpoint: true });
    const cpu = request(port, "/cpu?seconds=0.25");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await request(port, "/health", { agent: false });
    const burned = await cpu;

    expect(burned.status).toBe(200);
    expect(burned.body).toMatchObject({ requestedSeconds: 0.25, interrupted: false });
    expect(burned.body.burnedSeconds).toBeGreaterThanOrEqual(0.25);
    expect(burned.body.burnedSeconds).toBeLessThan(2);
    expect(burned.endedAt - burned.startedAt).toBeGreaterThanOrEqual(240);
    // Served between two slices, not after the whole burn.
    expect(health.status).toBe(200);
    expect(health.endedAt).toBeLessThan(burned.endedAt);
  });

  test.each([
    ["seconds=31", 30],
    ["seconds=0", 30],
    ["seconds=-1", 30],
    ["seconds=abc", 30],
    ["seconds=", 30],
    ["seconds=Infinity", 30],
    ["seconds=3", 2],
  ])("rejects %s with 400 when the bound is %i s", async (query, cpuMaxSeconds) => {
    const { port } = await start({ enableCpuEndpoint: true, cpuMaxSeconds });
    const res = await request(port, `/cpu?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(`seconds must be a number greater than 0 and at most ${cpuMaxSeconds} (CPU_MAX_SECONDS)`);
  });

  test("defaults to the bound when it is below 10 s, and stops early on shutdown", async () => {
    const { app, port } = await start({ enableCpuEndpoint: true, cpuMaxSeconds: 5 });
    const cpu = request(port, "/cpu");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await within(3000, "shutdown during /cpu", app.shutdown("test"));
    const res = await cpu;
    expect(res.status).toBe(200);
    expect(res.body.requestedSeconds).toBe(5);
    expect(res.body.interrupted).toBe(true);
    expect(res.body.burnedSeconds).toBeLessThan(2);
  });
});

describe("test-only delay (ALLOW_DELAY_PARAM)", () => {
  test("is ignored unless allowed", async () => {
    const { port } = await start();
    const res = await request(port, "/?delay_ms=3000");
    expect(res.status).toBe(200);
    expect(res.endedAt - res.startedAt).toBeLessThan(1500);
  });

  test("delays the answer when allowed", async () => {
    const { port } = await start({ allowDelayParam: true });
    const res = await request(port, "/?delay_ms=100");
    expect(res.status).toBe(200);
    expect(res.endedAt - res.startedAt).toBeGreaterThanOrEqual(95);
  });

  test.each(["abc", "-5", "1.5", "60001"])("rejects delay_ms=%s with 400", async (value) => {
    const { port } = await start({ allowDelayParam: true });
    const res = await request(port, `/?delay_ms=${value}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("delay_ms must be a whole number from 0 to 60000");
  });
});

describe("shutdown in-process", () => {
  test("lets an in-flight request finish, then closes", async () => {
    const { app, port } = await start({ allowDelayParam: true });
    const slow = request(port, "/?delay_ms=100");
    await new Promise((resolve) => setTimeout(resolve, 30));
    const result = await within(3000, "shutdown", app.shutdown("test"));
    const res = await slow;
    expect(result).toEqual({ forced: false });
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe("close");
  });

  test("closes idle keep-alive connections after the grace, not at their 65 s timeout", async () => {
    const { app, port } = await start({ idleGraceMs: 100 });
    const agent = new http.Agent({ keepAlive: true });
    try {
      await request(port, "/", { agent });
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      const began = performance.now();
      await expect(within(2000, "shutdown with an idle keep-alive socket", app.shutdown("test"))).resolves.toEqual({
        forced: false,
      });
      expect(performance.now() - began).toBeGreaterThanOrEqual(95);
      await until(1000, "the client sees its socket closed", () => Object.values(agent.freeSockets).flat().length === 0);
    } finally {
      agent.destroy();
    }
  });

  test("answers a request sent on an idle keep-alive connection after the listener closed", async () => {
    // The race a load balancer reusing connections would lose if idle sockets were closed at once.
    const { app, port } = await start({ idleGraceMs: 500 });
    const agent = new http.Agent({ keepAlive: true });
    try {
      await request(port, "/", { agent });
      const done = app.shutdown("test");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(app.state).toBe("closing");
      const res = await request(port, "/health", { agent });
      expect(res.status).toBe(503);
      expect(res.headers.connection).toBe("close");
      await expect(within(2000, "shutdown", done)).resolves.toEqual({ forced: false });
    } finally {
      agent.destroy();
    }
  });

  test("cuts what is still running after shutdownTimeoutMs and reports it", async () => {
    const logs = [];
    const { app, port } = await start({
      allowDelayParam: true,
      shutdownTimeoutMs: 100,
      log: (level, msg) => logs.push(`${level}:${msg}`),
    });
    const stuck = request(port, "/?delay_ms=10000");
    stuck.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const began = performance.now();
    await expect(within(3000, "forced shutdown", app.shutdown("test"))).resolves.toEqual({ forced: true });
    expect(performance.now() - began).toBeLessThan(1500);
    await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(logs).toEqual(expect.arrayContaining(["warn:shutdown timeout: closing remaining connections", "warn:shutdown complete"]));
  });
});

describe("loadConfig", () => {
  test("defaults", () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: undefined,
      message: "Hello, World!",
      version: appPackage.version,
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10000,
      keepAliveTimeoutMs: 65000,
      enableCpuEndpoint: false,
      cpuMaxSeconds: 30,
      allowDelayParam: false,
    });
  });

  test("reads every variable", () => {
    expect(
      loadConfig({
        PORT: "3000",
        HOST: "127.0.0.1",
        APP_MESSAGE: "Hi",
        APP_VERSION: "1.2.3-rc.1",
        SHUTDOWN_DELAY_MS: "5000",
        SHUTDOWN_TIMEOUT_MS: "0",
        KEEP_ALIVE_TIMEOUT_MS: "120000",
        ENABLE_CPU_ENDPOINT: "true",
        CPU_MAX_SECONDS: "60",
        ALLOW_DELAY_PARAM: "false",
      }),
    ).toEqual({
      port: 3000,
      host: "127.0.0.1",
      message: "Hi",
      version: "1.2.3-rc.1",
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 0,
      keepAliveTimeoutMs: 120000,
      enableCpuEndpoint: true,
      cpuMaxSeconds: 60,
      allowDelayParam: false,
    });
  });

  test("names every bad variable and what it allows", () => {
    let error;
    try {
      loadConfig({
        PORT: "abc",
        SHUTDOWN_DELAY_MS: "-1",
        SHUTDOWN_TIMEOUT_MS: "1.5",
        KEEP_ALIVE_TIMEOUT_MS: "0",
        ENABLE_CPU_ENDPOINT: "yes",
        CPU_MAX_SECONDS: "601",
        ALLOW_DELAY_PARAM: "1",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      'PORT="abc": must be a whole number from 0 to 65535',
      'SHUTDOWN_DELAY_MS="-1": must be a whole number from 0 to 120000',
      'SHUTDOWN_TIMEOUT_MS="1.5": must be a whole number from 0 to 600000',
      'KEEP_ALIVE_TIMEOUT_MS="0": must be a whole number from 1 to 600000',
      'ENABLE_CPU_ENDPOINT="yes": must be "true" or "false"',
      'CPU_MAX_SECONDS="601": must be a whole number from 1 to 600',
      'ALLOW_DELAY_PARAM="1": must be "true" or "false"',
    ]);
  });

  test.each(["65536", "80 ", " 80", "0x50", "8e3"])("rejects PORT=%j", (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(`PORT=${JSON.stringify(port)}: must be a whole number from 0 to 65535`);
  });

  test("keeps Node's keep-alive timeout above the ALB's 60 s idle timeout", () => {
    const { server } = createApp(loadConfig({}));
    expect(server.keepAliveTimeout).toBe(65000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.requestTimeout).toBeGreaterThan(server.headersTimeout);
  });
});

describe("app/app.config.js (PM2)", () => {
  const [app] = pm2Config.apps;

  test("runs app.js as sample-app, one cluster worker per CPU, in production on port 8080", () => {
    expect(pm2Config.apps).toHaveLength(1);
    expect(app).toMatchObject({
      name: "sample-app",
      script: "app.js",
      exec_mode: "cluster",
      instances: "max",
      env: { NODE_ENV: "production", PORT: 8080 },
    });
    expect(fs.existsSync(path.join(app.cwd, app.script))).toBe(true);
    expect(app.cwd).toBe(APP_DIR);
  });

  test("a reload waits for the new worker's ready message", () => {
    expect(app.wait_ready).toBe(true);
    expect(app.listen_timeout).toBeGreaterThanOrEqual(3000);
  });

  test("PM2 waits longer than the app's whole drain before SIGKILL", () => {
    const { SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS } = app.env;
    expect(Number.isInteger(SHUTDOWN_DELAY_MS) && Number.isInteger(SHUTDOWN_TIMEOUT_MS)).toBe(true);
    expect(app.kill_timeout).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 2000);
  });

  test("its environment passes the app's own validation", () => {
    const env = Object.fromEntries(Object.entries(app.env).map(([k, v]) => [k, String(v)]));
    expect(loadConfig(env)).toMatchObject({ port: 8080, shutdownDelayMs: app.env.SHUTDOWN_DELAY_MS });
  });

  test("a configuration error (exit 2) is not restarted in a loop", () => {
    expect(app.stop_exit_codes).toEqual([2]);
  });
});

describe("app/package.json", () => {
  test("is the private, dependency-free sample-app 1.0.0", () => {
    expect(appPackage).toMatchObject({ name: "sample-app", version: "1.0.0", private: true, main: "app.js" });
    expect(appPackage.dependencies).toBeUndefined();
    expect(appPackage.devDependencies).toBeUndefined();
  });

  test("app/*.js require only Node built-ins and each other", () => {
    const builtins = new Set(builtinModules);
    const required = [];
    for (const file of fs.readdirSync(APP_DIR).filter((f) => f.endsWith(".js"))) {
      const source = fs.readFileSync(path.join(APP_DIR, file), "utf8");
      for (const [, name] of source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
        required.push(name);
      }
      expect(source).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
    }
    expect(required.length).toBeGreaterThan(0);
    const foreign = required.filter((name) => {
      if (name.startsWith("./")) {
        return !fs.existsSync(path.join(APP_DIR, name.endsWith(".js") || name.endsWith(".json") ? name : `${name}.js`));
      }
      return !(name.startsWith("node:") ? builtins.has(name.slice(5)) : builtins.has(name));
    });
    expect(foreign).toEqual([]);
  });
});
