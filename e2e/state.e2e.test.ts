/**
 * State in S3, proven with the real OpenTofu and AWS provider against the emulator's S3,
 * the way a user runs it: the bootstrap stack creates the bucket, `npm run
 * state:settings` writes the settings, sample-app-local is synthesized with them and
 * keeps its state in that bucket, locked with OpenTofu's S3 lock file (`use_lockfile`:
 * a conditional PutObject with If-None-Match, answered 412 by S3 when the lock exists).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeLaunchTemplatesCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { emulatorClients } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const IMAGE = "ami-0a0000000000000a1";
const STATE_KEY = "sample-app/sample-app-local.tfstate";
const LOCK_KEY = `${STATE_KEY}.tflock`;

interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe("state in the emulator's S3", () => {
  const toolchain = harness.findToolchain();
  let emulator: Emulator;
  let clients: ReturnType<typeof emulatorClients>;
  let work: string;
  let settingsFile: string;

  const tofu = (dir: string, args: string[], allowExit: number[] = [0]): Exit => harness.tofu(toolchain, args, dir, { allowExit });
  /** `npm run synth` of sample-app-local into `<work>/<name>`, with the bootstrap's settings unless told otherwise. */
  const synthLocal = (name: string, settings: string | null = settingsFile): string => {
    fs.mkdirSync(path.join(work, name), { recursive: true });
    return harness.synthLocal(path.join(work, name, "cdktf.out"), {
      endpoint: emulator.endpoint,
      imageId: IMAGE,
      extraEnv: settings ? { SAMPLE_APP_STATE_SETTINGS: settings } : {},
    });
  };
  const bootstrap = () => harness.bootstrapState(toolchain, path.join(work, "bootstrap", "cdktf.out"), { endpoint: emulator.endpoint, settingsFile });
  /** Starts `tofu apply` in its own process group (so a kill takes the provider plugin with it). */
  const startApply = (dir: string): { child: ChildProcess; done: Promise<Exit>; output: () => string } => {
    const child = spawn(toolchain.tofu, ["apply", "-input=false", "-auto-approve"], { cwd: dir, env: harness.tofuEnv(toolchain), detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const done = new Promise<Exit>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
    return { child, done, output: () => stdout };
  };
  const stateAddresses = (dir: string): string[] => tofu(dir, ["state", "list"]).stdout.trim().split("\n").sort();
  const expectNoChanges = (dir: string) => {
    const plan = tofu(dir, ["plan", "-input=false", "-detailed-exitcode"], [0, 2]);
    expect({ exitCode: plan.status, output: plan.status === 0 ? "" : plan.stdout }).toEqual({ exitCode: 0, output: "" });
  };
  /** Every resource of the stack exists once in the emulator. */
  const expectOneOfEach = async () => {
    const vpcs = (await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["sample-app"] }] }))).Vpcs ?? [];
    const balancers = (await clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const targetGroups = (await clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const groups = (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    const templates = (await clients.ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
    expect({
      vpcs: vpcs.length,
      loadBalancers: balancers.map((lb) => lb.LoadBalancerName),
      targetGroups: targetGroups.length,
      autoScalingGroups: groups.map((group) => group.AutoScalingGroupName),
      launchTemplates: templates.length,
    }).toEqual({
      vpcs: 1,
      loadBalancers: ["sample-app-local"],
      targetGroups: 1,
      autoScalingGroups: ["sample-app-local"],
      launchTemplates: 1,
    });
  };
  const stateInS3 = async (bucket: string) => {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: STATE_KEY }));
    return JSON.parse(await object.Body!.transformToString()) as { resources: { mode: string; type: string; name: string }[] };
  };
  const lockExists = (bucket: string) =>
    clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: LOCK_KEY })).then(
      () => true,
      (error) => (error.name === "NotFound" ? false : Promise.reject(error)),
    );

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-state-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  beforeEach(async () => {
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-state-"));
    settingsFile = path.join(work, "state-backend.json");
  });

  afterEach(async () => {
    // The emulator's reset removes everything, the protected bucket included.
    await harness.resetEmulator(emulator.endpoint);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("bootstraps a versioned, encrypted, private, destroy-protected state bucket with a lifecycle rule (no TLS-only policy over the emulator's plain HTTP), and writes its settings", async () => {
    const { stackDir, settings } = bootstrap();
    expect(settings).toEqual({
      bucket: "sample-app-tfstate-123456789012-us-east-1",
      region: "us-east-1",
      emulatorEndpoint: emulator.endpoint,
      createdBy: "sample-app-bootstrap",
    });
    const Bucket = settings.bucket;
    expect((await clients.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    const encryption = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    expect((await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    // No TLS-only policy in the emulator: it speaks plain HTTP, so that policy would deny
    // every request (the real bootstrap has it; see __tests__/stacks/state.test.ts).
    await expect(clients.s3.send(new GetBucketPolicyCommand({ Bucket }))).rejects.toThrow(/NoSuchBucketPolicy|does not exist/);
    const lifecycle = await clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(lifecycle.Rules?.[0]).toMatchObject({ Status: "Enabled", NoncurrentVersionExpiration: { NoncurrentDays: 90 } });

    expectNoChanges(stackDir);
    // prevent_destroy: the bucket outlives a careless destroy.
    const destroy = tofu(stackDir, ["destroy", "-input=false", "-auto-approve"], [1]);
    expect(destroy.stderr).toContain("Instance cannot be destroyed");
  });

  it("reviews the bootstrap like an environment: no changes exit 0; versioning suspended needs approval (exit 3), and --plan on the saved plan agrees", () => {
    // Each test has its own work directory and a reset emulator: bootstrap again.
    const { stackDir } = bootstrap();
    const outdir = path.join(work, "bootstrap", "cdktf.out");
    const reviewDir = path.join(work, "bootstrap-review");
    const review = (args: string[]) => {
      const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "review", ...args, "--out", reviewDir], {
        cwd: harness.ROOT,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: outdir, TERRAFORM_BINARY_NAME: toolchain.tofu, TF_CLI_CONFIG_FILE: toolchain.cliConfig, CI: "true" },
      });
      const file = path.join(reviewDir, "sample-app-bootstrap.json");
      return { ...result, report: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined };
    };
    const unchanged = review(["bootstrap", "--no-synth"]);
    expect({ status: unchanged.status, stderr: unchanged.status === 0 ? "" : unchanged.stderr }).toEqual({ status: 0, stderr: "" });
    expect(unchanged.report).toMatchObject({ stack: "sample-app-bootstrap", verdict: "no changes", exitCode: 0 });

    const stackFile = path.join(stackDir, "cdk.tf.json");
    const original = fs.readFileSync(stackFile, "utf8");
    try {
      const json = JSON.parse(original);
      const versioning = Object.values(json.resource.aws_s3_bucket_versioning as Record<string, { versioning_configuration: { status: string } }>);
      expect(versioning).toHaveLength(1);
      versioning[0].versioning_configuration.status = "Suspended";
      fs.writeFileSync(stackFile, JSON.stringify(json, null, 2));
      const weakened = review(["bootstrap", "--no-synth"]);
      expect({ status: weakened.status, stderr: weakened.status === 3 ? "" : weakened.stderr }).toEqual({ status: 3, stderr: "" });
      expect(weakened.report).toMatchObject({ verdict: "needs approval", exitCode: 3 });
      expect(weakened.report.needsReview).toEqual([
        expect.objectContaining({ type: "aws_s3_bucket_versioning", role: "versioning of the state bucket", impact: expect.stringMatching(/versioning Suspended: overwritten or deleted objects \(state, logs\) can no longer be recovered/) }),
      ]);
      const planFile = path.join(work, "bootstrap-plan.json");
      fs.writeFileSync(planFile, tofu(stackDir, ["show", "-json", path.join(reviewDir, "sample-app-bootstrap.tfplan")]).stdout);
      const again = review(["--plan", planFile]);
      expect({ status: again.status, stderr: again.status === 3 ? "" : again.stderr }).toEqual({ status: 3, stderr: "" });
      expect(again.report).toMatchObject({ stack: "sample-app-bootstrap", verdict: "needs approval", planFingerprint: weakened.report.planFingerprint });
    } finally {
      fs.writeFileSync(stackFile, original);
    }
  });

  it("inits with the S3 backend; of two simultaneous applies exactly one proceeds, the other fails naming the lock holder; the state object is encrypted and versioned", async () => {
    const { settings } = bootstrap();
    // Two people, two checkouts, one state.
    const alice = synthLocal("alice");
    const bob = synthLocal("bob");
    await harness.checkStateBackend(alice);
    tofu(alice, ["init", "-input=false"]);
    tofu(bob, ["init", "-input=false"]);

    const results = await Promise.all([startApply(alice).done, startApply(bob).done]);
    const winners = results.filter((result) => result.status === 0);
    const losers = results.filter((result) => result.status !== 0);
    expect({ winners: winners.length, losers: losers.map((loser) => loser.status) }).toEqual({ winners: 1, losers: [1] });
    const error = losers[0].stderr;
    expect(error).toContain("Error acquiring the state lock");
    expect(error).toMatch(/Lock Info:\s+ID:\s+[0-9a-f-]{36}/);
    expect(error).toContain(`Path:      ${settings.bucket}/${STATE_KEY}`);
    expect(error).toContain("Operation: OperationTypeApply");
    expect(error).toContain(`Who:       ${os.userInfo().username}@${os.hostname()}`);
    expect(winners[0].stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);

    // The state is whole and holds every resource once; both checkouts see it.
    const addresses = stateAddresses(alice);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(stateAddresses(bob)).toEqual(addresses);
    expectNoChanges(alice);
    expectNoChanges(bob);
    await expectOneOfEach();
    expect(await lockExists(settings.bucket)).toBe(false);

    // The state lives in the bucket only: encrypted, versioned, every resource in it.
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: settings.bucket, Key: STATE_KEY }));
    expect(head.ServerSideEncryption).toBe("AES256");
    expect(head.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const versions = (await clients.s3.send(new ListObjectVersionsCommand({ Bucket: settings.bucket, Prefix: STATE_KEY }))).Versions ?? [];
    expect(versions.filter((version) => version.Key === STATE_KEY).length).toBeGreaterThanOrEqual(1);
    const state = await stateInS3(settings.bucket);
    const inS3 = state.resources.map((r) => `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`).sort();
    expect(inS3).toEqual(addresses);
    for (const checkout of ["alice", "bob"]) {
      expect(fs.existsSync(path.join(work, checkout, ".state", "sample-app-local.tfstate"))).toBe(false);
    }
  });

  it("recovers from an apply killed mid-way: plan reads the state and reports the leftover lock, force-unlock clears it, the cut-off resource is imported, the next apply converges", async () => {
    const { settings } = bootstrap();
    const dir = synthLocal("user");
    tofu(dir, ["init", "-input=false"]);

    // Kill the apply while the load balancer is being created, after OpenTofu has saved
    // a snapshot of everything created before it. OpenTofu saves snapshots at most every
    // 20 s during an apply, and at once when interrupted; so: freeze the provider (a hung
    // plugin), interrupt tofu (it saves the snapshot, then waits for the provider), and
    // SIGKILL both. The lock stays, and the load balancer exists in AWS but not in the state.
    const apply = startApply(dir);
    const createdBeforeKill = await new Promise<string[]>((resolve, reject) => {
      let interrupted = false;
      const timer = setInterval(async () => {
        const output = apply.output();
        if (/Apply complete!/.test(output) || apply.child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the apply ended before it could be killed:\n${output}`));
          return;
        }
        const started = [...output.matchAll(/^(\S+): Creating\.\.\./gm)].map((match) => match[1]);
        const created = [...output.matchAll(/^(\S+): Creation complete/gm)].map((match) => match[1]);
        const inFlight = started.filter((address) => !created.includes(address));
        if (!interrupted) {
          if (inFlight.length === 1 && inFlight[0].startsWith("aws_lb.") && /aws_lb\.[^:]+: Still creating/.test(output)) {
            interrupted = true;
            const plugins = spawnSync("ps", ["-o", "pid=", "--ppid", String(apply.child.pid)], { encoding: "utf8" }).stdout.trim().split(/\s+/);
            for (const plugin of plugins.filter(Boolean)) process.kill(Number(plugin), "SIGSTOP");
            process.kill(apply.child.pid!, "SIGINT");
          }
          return;
        }
        const state = await stateInS3(settings.bucket).catch(() => undefined);
        const recorded = new Set((state?.resources ?? []).map((r) => `${r.type}.${r.name}`));
        if (created.filter((address) => !address.startsWith("data.")).every((address) => recorded.has(address))) {
          clearInterval(timer);
          process.kill(-apply.child.pid!, "SIGKILL");
          resolve(created);
        }
      }, 250);
    });
    expect(createdBeforeKill.length).toBeGreaterThan(10);
    const killed = await apply.done;
    expect(killed.status).toBeNull();
    expect(killed.stdout).not.toContain("Apply complete!");

    // The lock the killed apply held is still there, and tofu reports it with its id.
    expect(await lockExists(settings.bucket)).toBe(true);
    const lock = JSON.parse(
      await (await clients.s3.send(new GetObjectCommand({ Bucket: settings.bucket, Key: LOCK_KEY }))).Body!.transformToString(),
    ) as { ID: string; Operation: string };
    expect(lock.Operation).toBe("OperationTypeApply");
    const blocked = tofu(dir, ["plan", "-input=false"], [1]);
    expect(blocked.stderr).toContain("Error acquiring the state lock");
    expect(blocked.stderr).toContain(`ID:        ${lock.ID}`);

    // The state itself is readable: a plan without the lock shows that only the load
    // balancer and what depends on it are left to create.
    const readable = tofu(dir, ["plan", "-input=false", "-lock=false"]);
    expect(readable.stdout).toMatch(/Plan: [1-9] to add, [0-9]+ to change, 0 to destroy/);
    const balancerAddress = /# (aws_lb\.\S+) will be created/.exec(readable.stdout)?.[1];
    expect(balancerAddress).toBeDefined();

    const unlock = tofu(dir, ["force-unlock", "-force", lock.ID]);
    expect(unlock.stdout).toContain("OpenTofu state has been successfully unlocked!");
    expect(await lockExists(settings.bucket)).toBe(false);

    // The load balancer whose creation was cut off exists but is not in the state; the
    // provider refuses to create a second one with its name (as against AWS), and
    // `tofu import` adopts it. Nothing else is created twice.
    const refused = tofu(dir, ["apply", "-input=false", "-auto-approve"], [1]);
    expect(refused.stderr).toContain("ELBv2 Load Balancer (sample-app-local) already exists");
    const [orphan] = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["sample-app-local"] }))).LoadBalancers ?? [];
    tofu(dir, ["import", "-input=false", balancerAddress!, orphan.LoadBalancerArn!]);
    tofu(dir, ["apply", "-input=false", "-auto-approve"]);
    const addresses = stateAddresses(dir);
    expect(new Set(addresses).size).toBe(addresses.length);
    expectNoChanges(dir);
    await expectOneOfEach();
  });

  it("moves a local state into S3 with tofu init -migrate-state, keeping every resource", async () => {
    // Before the bootstrap: local state.
    const dir = synthLocal("user", null);
    tofu(dir, ["init", "-input=false"]);
    tofu(dir, ["apply", "-input=false", "-auto-approve"]);
    const localState = path.join(work, "user", ".state", "sample-app-local.tfstate");
    expect(fs.existsSync(localState)).toBe(true);
    const before = stateAddresses(dir);

    // Bootstrap, re-synthesize with the settings: the backend is now S3.
    const { settings } = bootstrap();
    synthLocal("user");
    const moved = tofu(dir, ["init", "-input=false", "-migrate-state", "-force-copy"]);
    expect(moved.stdout).toContain('Successfully configured the backend "s3"');

    expect(stateAddresses(dir)).toEqual(before);
    expectNoChanges(dir);
    const state = await stateInS3(settings.bucket);
    expect(state.resources.length).toBeGreaterThan(0);
  });

  it("stops before tofu init with a clear message when the bucket does not exist or is in another region", async () => {
    fs.writeFileSync(settingsFile, JSON.stringify({ bucket: "sample-app-tfstate-gone", region: "us-east-1", emulatorEndpoint: emulator.endpoint }));
    const missing = synthLocal("user");
    await expect(harness.checkStateBackend(missing)).rejects.toThrow(
      'sample-app-local: the state bucket "sample-app-tfstate-gone" does not exist in the emulator',
    );
    // What tofu itself says, for comparison: an SDK error.
    expect(tofu(missing, ["init", "-input=false"], [1]).stderr).toContain("NoSuchBucket");

    const { settings } = bootstrap();
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, region: "eu-west-1" }));
    const elsewhere = synthLocal("other");
    await expect(harness.checkStateBackend(elsewhere)).rejects.toThrow(
      `sample-app-local: the state bucket "${settings.bucket}" is in us-east-1, but the backend is configured for eu-west-1`,
    );
  });
});
