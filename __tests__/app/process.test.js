"use strict";

/**
 * `node app/app.js` as a child process: the zero-failure drain under load on SIGTERM, SIGINT
 * (what PM2 sends), the forced exit at SHUTDOWN_TIMEOUT_MS, the PM2 ready message and
 * configuration errors.
 *
 * The in-flight requests are real: the app holds each one for delay_ms (the test-only slow
 * path, on only with ALLOW_DELAY_PARAM=true), and the test checks that every one of them was
 * sent before SIGTERM and answered after it.
 */

const http = require("node:http");
const net = require("node:net");
const path = require("node:path");
const { request, startApp, within, until } = require("./http-helpers");

const apps = [];
function launch(env, options) {
  const app = startApp(env, options);
  apps.push(app);
  return app;
}
afterEach(() => Promise.all(apps.splice(0).map((app) => app.stop())));

function times(n, fn) {
  return Array.from({ length: n }, (_, i) => fn(i));
}

/** Settles all, and fails listing every rejected request (resets, refusals, hang-ups). */
async function allAnswered(promises) {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  expect({ failed: failures.length, reasons: [...new Set(failures)] }).toEqual({ failed: 0, reasons: [] });
  return results.map((r) => r.value);
}

test("SIGTERM under load: 300 in-flight and arriving requests, none failed, exit 0 within the bound", async () => {
  const SHUTDOWN_DELAY_MS = 500;
  const SHUTDOWN_TIMEOUT_MS = 5000;
  const HOLD_MS = 250;
  const app = launch({
    ALLOW_DELAY_PARAM: "true",
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  });
  const { port } = await app.waitForLog("listening");

  // Two pools of established, idle keep-alive connections, like a load balancer's.
  const inFlightAgent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const arrivingAgent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  try {
    await allAnswered([
      ...times(100, () => request(port, "/health", { agent: inFlightAgent })),
      ...times(50, () => request(port, "/health", { agent: arrivingAgent })),
    ]);

    // 200 requests the app holds for HOLD_MS: half on the kept-alive connections, half on
    // connections of their own.
    const inFlight = [
      ...times(100, () => request(port, `/?delay_ms=${HOLD_MS}`, { agent: inFlightAgent })),
      ...times(100, () => request(port, `/?delay_ms=${HOLD_MS}`, { agent: false })),
    ];
    inFlight.forEach((p) => p.catch(() => {}));
    await within(5000, "200 requests written", Promise.all(inFlight.map((p) => p.written)));
    // A moment for the app to read them; it would read them during the drain delay anyway.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const sigtermAt = performance.now();
    app.child.kill("SIGTERM");
    const started = await app.waitForLog("shutdown started", 2000);
    expect(started.reason).toBe("SIGTERM");

    // Arriving during the drain delay: on idle keep-alive connections and on new ones.
    const arriving = [
      ...times(50, () => request(port, "/", { agent: arrivingAgent })),
      ...times(50, () => request(port, "/", { agent: false })),
    ];
    const health = await request(port, "/health", { agent: false });
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("shutting-down");

    const inFlightResults = await allAnswered(inFlight);
    const arrivingResults = await allAnswered(arriving);
    const exit = await within(SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS, "exit after SIGTERM", app.exited);

    expect(inFlightResults).toHaveLength(200);
    expect(arrivingResults).toHaveLength(100);
    for (const res of [...inFlightResults, ...arrivingResults]) {
      expect(res.status).toBe(200);
      expect(res.body.message).toBe("Hello, World!");
      // Answered during the drain: the client is told not to reuse the connection.
      expect(res.headers.connection).toBe("close");
    }
    // Really in flight: written before SIGTERM, answered after it.
    for (const res of inFlightResults) {
      expect(res.writtenAt).toBeLessThan(sigtermAt);
      expect(res.endedAt).toBeGreaterThan(sigtermAt);
    }
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.exitedAt - sigtermAt).toBeLessThan(SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS);
    // The listener stayed open for the delay (the arriving requests got in), then closed.
    expect(exit.exitedAt - sigtermAt).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS - 50);
    expect(app.logs.find((l) => l.msg === "shutdown complete")).toMatchObject({ forced: false });
    await expect(request(port, "/health", { agent: false })).rejects.toThrow(/ECONNREFUSED/);
  } finally {
    inFlightAgent.destroy();
    arrivingAgent.destroy();
  }
});

test("SIGINT (PM2's stop signal) drains and exits 0", async () => {
  const app = launch({ ALLOW_DELAY_PARAM: "true" });
  const { port } = await app.waitForLog("listening");
  const slow = request(port, "/?delay_ms=200", { agent: false });
  await new Promise((resolve) => setTimeout(resolve, 50));
  app.child.kill("SIGINT");
  const res = await slow;
  expect(res.status).toBe(200);
  const exit = await within(3000, "exit after SIGINT", app.exited);
  expect(exit.code).toBe(0);
  expect(app.logs.find((l) => l.msg === "shutdown started")).toMatchObject({ reason: "SIGINT", shutdownDelayMs: 0 });
});

test("a request outliving SHUTDOWN_TIMEOUT_MS is cut and the exit code says so", async () => {
  const app = launch({ ALLOW_DELAY_PARAM: "true", SHUTDOWN_TIMEOUT_MS: "200" });
  const { port } = await app.waitForLog("listening");
  const stuck = request(port, "/?delay_ms=30000", { agent: false });
  stuck.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 50));
  const sigtermAt = performance.now();
  app.child.kill("SIGTERM");
  const exit = await within(3000, "forced exit", app.exited);
  expect(exit.code).toBe(1);
  expect(exit.exitedAt - sigtermAt).toBeGreaterThanOrEqual(180);
  expect(exit.exitedAt - sigtermAt).toBeLessThan(2000);
  await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(app.logs.map((l) => l.msg)).toEqual(
    expect.arrayContaining(["shutdown timeout: closing remaining connections", "shutdown complete"]),
  );
});

test("tells PM2 it is ready once listening (process.send('ready'))", async () => {
  const app = launch({}, { ipc: true });
  const ready = new Promise((resolve) => app.child.once("message", (m) => resolve({ m, at: performance.now() })));
  const listening = await app.waitForLog("listening");
  const { m, at } = await within(3000, "ready message", ready);
  expect(m).toBe("ready");
  expect(at).toBeGreaterThanOrEqual(listening.receivedAt - 50);
  expect((await request(listening.port, "/health", { agent: false })).status).toBe(200);
});

test("bad settings stop the process with exit code 2, naming each variable", async () => {
  const app = launch({ PORT: "abc", SHUTDOWN_TIMEOUT_MS: "10s", ENABLE_CPU_ENDPOINT: "on" });
  const exit = await within(3000, "exit on bad configuration", app.exited);
  expect(exit.code).toBe(2);
  const logged = JSON.parse(app.stderr.trim());
  expect(logged).toMatchObject({ level: "error", msg: "invalid configuration" });
  expect(logged.problems).toEqual([
    'PORT="abc": must be a whole number from 0 to 65535',
    'SHUTDOWN_TIMEOUT_MS="10s": must be a whole number from 0 to 600000',
    'ENABLE_CPU_ENDPOINT="on": must be "true" or "false"',
  ]);
});

test("a port in use is reported with the PORT hint and exit code 1", async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = blocker.address();
    const app = launch({ PORT: String(port) });
    const exit = await within(3000, "exit on EADDRINUSE", app.exited);
    expect(exit.code).toBe(1);
    expect(JSON.parse(app.stderr.trim())).toMatchObject({
      code: "EADDRINUSE",
      hint: `port ${port} is in use; set PORT to a free port`,
    });
  } finally {
    blocker.close();
  }
});

test("in a cluster (PM2's mode), stopping a worker under load fails no request; the worker lingers, then exits 0", async () => {
  const LINGER_MS = 500;
  const primary = launch({ WORKERS: "2" }, { entry: path.join(__dirname, "fixtures/cluster-primary.js") });
  await until(5000, "2 workers listening", () => primary.logs.filter((l) => l.msg === "worker listening").length === 2);
  const [first, second] = primary.logs.filter((l) => l.msg === "worker listening");
  expect(second.port).toBe(first.port);
  const { port } = first;

  // Client loops, new connections and kept-alive ones, until the stopped worker has exited.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const failures = [];
  let answered = 0;
  let stop = false;
  const loop = async (useAgent) => {
    for (let i = 0; i < 2000 && !stop; i++) {
      try {
        const res = await request(port, "/", { agent: useAgent ? agent : false, timeoutMs: 3000 });
        if (res.status === 200) {
          answered++;
        } else {
          failures.push(`status ${res.status}`);
        }
      } catch (error) {
        failures.push(error.message);
      }
    }
  };
  try {
    const loops = [...times(4, () => loop(false)), ...times(4, () => loop(true))];
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stoppedAt = Date.now();
    process.kill(first.pid, "SIGTERM");
    await until(5000, "worker exit", () => primary.logs.some((l) => l.msg === "worker exit"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await Promise.all(loops);

    const exit = primary.logs.find((l) => l.msg === "worker exit");
    expect(exit).toMatchObject({ pid: first.pid, code: 0, signal: null });
    expect(exit.at - stoppedAt).toBeGreaterThanOrEqual(LINGER_MS - 20);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(50);
  } finally {
    stop = true;
    agent.destroy();
  }
  // The remaining worker exits with its primary (cluster workers leave when the IPC channel does).
});
