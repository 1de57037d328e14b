/**
 * Operating a rollout, end to end: the real OpenTofu and AWS provider apply the local
 * stack to the emulator, a new image rolls out, an alarm goes to ALARM mid-refresh, and
 * `npm run rollout` watches, explains and acts. The emulator's refresh steps are slowed
 * (10 s per batch) so "mid-refresh" is a window, not a race.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  InstanceRefresh,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLaunchTemplateVersionsCommand } from "@aws-sdk/client-ec2";
import { emulatorClients, newestRefresh, waitForRefresh } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const THIRD_IMAGE = "ami-0c0000000000000c3";
const STEP_SECONDS = 10;

/**
 * Keeps a command's output for the README when E2E_KEEP_OUTPUT names a directory (the
 * test's temporary directories are removed after the run).
 */
function keep(name: string, text: string): void {
  const dir = process.env.E2E_KEEP_OUTPUT;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

describe("operating a rollout of sample-app-local", () => {
  const toolchain = harness.findToolchain();
  let emulator: Emulator;
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;
  let cloudwatch: CloudWatchClient;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (imageId: string) => {
    stackDir = harness.synthLocal(path.join(work, "cdktf.out"), { endpoint: emulator.endpoint, imageId });
  };
  const deploy = (imageId: string) => {
    synth(imageId);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
  };
  const outputs = () => JSON.parse(tofu(["output", "-json"]).stdout) as Record<string, { value: string }>;
  /** npm run rollout -- <args>, as a user runs it (no terminal: plain lines). */
  const rollout = (...args: string[]) => {
    const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "rollout", ...args, "--state", path.join(work, ".state", "sample-app-local.tfstate")], {
      cwd: harness.ROOT,
      env: { ...process.env, SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint },
      encoding: "utf8",
      input: "",
      timeout: 5 * 60 * 1000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
  };
  /**
   * The same, running in the background (to watch while the test acts): `done` settles when it
   * exits; `printed(pattern)` resolves once its stdout matches (instead of sleeping a fixed time).
   */
  const rolloutInBackground = (...args: string[]) => {
    let stdout = "";
    let stderr = "";
    let exited = false;
    const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "rollout", ...args, "--state", path.join(work, ".state", "sample-app-local.tfstate")], {
        cwd: harness.ROOT,
        env: { ...process.env, SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (status) => {
        exited = true;
        resolve({ status, stdout, stderr });
      });
    });
    const printed = async (pattern: RegExp, seconds = 60) => {
      const deadline = Date.now() + seconds * 1000;
      while (!pattern.test(stdout)) {
        if (exited || Date.now() > deadline) {
          throw new Error(`rollout ${args.join(" ")} ${exited ? "exited" : `after ${seconds} s`} without printing ${pattern}:\n${stdout}\n${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    return { done, printed };
  };
  /** npm run review -- local, as CI runs it, with the stack's image set to `imageId`. */
  const review = (imageId: string) => {
    const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "review", "local"], {
      cwd: harness.ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CDKTF_OUTDIR: path.join(work, "cdktf.out"),
        SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint,
        SAMPLE_APP_IMAGE_ID_LOCAL: imageId,
        TERRAFORM_BINARY_NAME: toolchain.tofu,
        TF_CLI_CONFIG_FILE: toolchain.cliConfig,
        CI: "true",
      },
      timeout: 5 * 60 * 1000,
    });
    const dir = path.join(work, "cdktf.out", "review");
    const report = fs.existsSync(path.join(dir, "sample-app-local.json"))
      ? (JSON.parse(fs.readFileSync(path.join(dir, "sample-app-local.json"), "utf8")) as {
          verdict: string;
          exitCode: number;
          counts: { add: number; change: number; destroy: number };
          flags: Array<{ id: string; severity: string; message: string }>;
        })
      : undefined;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, report, plan: path.join(dir, "sample-app-local.tfplan") };
  };
  const newestRefreshOf = (group: string) => newestRefresh(clients.autoscaling, group);
  const waitFor = (group: string, done: (refresh: InstanceRefresh) => boolean, seconds?: number) => waitForRefresh(clients.autoscaling, group, done, seconds);
  const groupOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  const imageOfVersion = async (templateId: string, version: string) =>
    (await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [version] }))).LaunchTemplateVersions![0]
      .LaunchTemplateData!.ImageId;
  const setAlarm = (name: string, state: "ALARM" | "OK") =>
    cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: `e2e: ${state}` }));

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, {
      logFile: path.join(os.tmpdir(), "sample-app-e2e-rollout-emulator.log"),
      extraArgs: ["--refresh-pending-seconds", "1", "--refresh-step-seconds", String(STEP_SECONDS)],
    });
    clients = emulatorClients(emulator.endpoint);
    cloudwatch = new CloudWatchClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  beforeEach(async () => {
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-rollout-"));
  });

  afterEach(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await harness.resetEmulator(emulator.endpoint);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("refuses to watch an environment with no applied state, changing nothing", () => {
    const result = rollout("watch", "local");
    // No applied state: an error (1), not bad usage (ops/shared/exit-codes.ts).
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('rollout: environment "local" has no applied state');
    expect(rollout("watch", "nowhere").stderr).toContain('unknown environment "nowhere"; known environments: dev, stage, prod, local');
  });

  it("an alarm in ALARM mid-refresh rolls it back; watch --wait fails, names the image to set, and setting it really rolls back", async () => {
    deploy(FIRST_IMAGE);
    const out = outputs();
    const group = out.asg_name.value;
    const alarmNames = out.rollout_alarm_names.value.split(",");
    expect(alarmNames).toEqual(["sample-app-local-target-5xx", "sample-app-local-unhealthy-hosts"]);
    const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
    expect(MetricAlarms.map((alarm) => [alarm.AlarmName, alarm.MetricName, alarm.StateValue]).sort()).toEqual([
      ["sample-app-local-target-5xx", "HTTPCode_Target_5XX_Count", "OK"],
      ["sample-app-local-unhealthy-hosts", "UnHealthyHostCount", "OK"],
    ]);

    // Nothing in progress: cancel and rollback refuse and change nothing.
    for (const command of ["cancel", "rollback"]) {
      const refused = rollout(command, "local", "--yes");
      expect({ status: refused.status, stderr: refused.stderr.trim() }).toEqual({
        status: 1,
        stderr: expect.stringMatching(/no instance refresh is Pending or InProgress on sample-app-local \(none has run yet\)\. Nothing was changed\.$/),
      });
    }

    // Roll out the second image; the refresh watches both alarms.
    synth(SECOND_IMAGE);
    tofu(["apply", "-input=false", "-auto-approve"]);
    const started = await newestRefreshOf(group);
    expect(started.Preferences).toMatchObject({ AutoRollback: true, AlarmSpecification: { Alarms: alarmNames } });
    expect(started.DesiredConfiguration?.LaunchTemplate?.Version).toBe("2");
    const watching = rolloutInBackground("watch", "local", "--wait", "--interval", "0.5");
    await waitFor(group, (refresh) => refresh.Status === "InProgress");
    await watching.printed(/status=InProgress/); // the watch has seen the refresh in progress
    await setAlarm("sample-app-local-target-5xx", "ALARM");

    const watched = await watching.done;
    expect(watched.status).toBe(1);
    expect(watched.stdout).toMatch(/status=InProgress complete=0% to_update=2/);
    expect(watched.stdout).toMatch(/ended RollbackSuccessful: Instance refresh failed: alarm sample-app-local-target-5xx is in ALARM state\./);
    // What AWS does with the provider's order of calls (#34189), and what to set.
    expect(watched.stdout).toContain("The rollback did NOT restore the previous image.");
    expect(watched.stdout).toContain(`To roll back for real, deploy the previous image ${FIRST_IMAGE} (from launch template ${out.launch_template_id.value} version 1)`);
    expect(watched.stdout).toContain(`SAMPLE_APP_IMAGE_ID_LOCAL=${FIRST_IMAGE} npm run synth`);
    keep("watch-rollback.txt", watched.stdout);

    const rolledBack = await newestRefreshOf(group);
    expect(rolledBack.Status).toBe("RollbackSuccessful");
    expect(rolledBack.RollbackDetails?.RollbackReason).toContain("sample-app-local-target-5xx");
    // The group is on the launch template version the provider set before the refresh
    // started: the new one. The state says the same, so tofu plans nothing.
    const afterRollback = await groupOf(group);
    expect(afterRollback.LaunchTemplate?.Version).toBe("2");
    expect(await imageOfVersion(out.launch_template_id.value, "2")).toBe(SECOND_IMAGE);
    const plan = tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] });
    expect(plan.status).toBe(0);

    // npm run review on that "no changes" plan: it needs approval (exit 3), because the
    // config and the group still name the image that was just rolled back.
    const flagged = review(SECOND_IMAGE);
    expect({ status: flagged.status, stderr: flagged.status === 3 ? "" : flagged.stderr }).toEqual({ status: 3, stderr: "" });
    expect(flagged.report).toMatchObject({ verdict: "needs approval", exitCode: 3, counts: { add: 0, change: 0, destroy: 0 } });
    expect(flagged.report!.flags).toEqual([expect.objectContaining({ id: "ROLLED-BACK-IMAGE", severity: "disruptive" })]);
    expect(flagged.report!.flags[0].message).toContain(
      `No instance is replaced by this plan, but the configuration still names ${SECOND_IMAGE}, the image instance refresh ${rolledBack.InstanceRefreshId} (RollbackSuccessful`,
    );
    expect(flagged.report!.flags[0].message).toContain(`Set the image to ${FIRST_IMAGE}`);
    expect(flagged.stdout).toContain("> [!CAUTION]");
    keep("review-after-rollback.md", flagged.stdout);

    // Following the advice: the review passes (a rolling update, noted as replacing the
    // rolled-back image), and applying the reviewed plan rolls the first image out as
    // launch template version 3.
    await setAlarm("sample-app-local-target-5xx", "OK");
    const fixed = review(FIRST_IMAGE);
    expect({ status: fixed.status, stderr: fixed.status === 0 ? "" : fixed.stderr }).toEqual({ status: 0, stderr: "" });
    expect(fixed.report).toMatchObject({ verdict: "rolling update", exitCode: 0, counts: { add: 0, change: 2, destroy: 0 } });
    expect(fixed.report!.flags).toEqual([
      expect.objectContaining({ id: "ROLLED-BACK-IMAGE", severity: "info", message: expect.stringContaining(`This plan replaces ${SECOND_IMAGE}`) }),
    ]);
    stackDir = path.join(work, "cdktf.out", "stacks", "sample-app-local");
    tofu(["apply", "-input=false", fixed.plan]);
    const succeeded = rollout("watch", "local", "--wait", "--interval", "0.5");
    expect(succeeded.status).toBe(0);
    expect(succeeded.stdout).toMatch(/Instance refresh \S+ Successful\./);
    const final = await groupOf(group);
    expect(final.LaunchTemplate?.Version).toBe("3");
    expect(await imageOfVersion(out.launch_template_id.value, "3")).toBe(FIRST_IMAGE);
    expect(new Set(final.Instances?.map((instance) => instance.LaunchTemplate?.Version))).toEqual(new Set(["3"]));
  });

  it("a refresh started with the group still on the old version rolls the group back to it, and the next plan would deploy the bad image again", async () => {
    deploy(FIRST_IMAGE);
    const out = outputs();
    const group = out.asg_name.value;
    const templateId = out.launch_template_id.value;
    // tofu creates launch template version 2 (the second image) and starts a refresh. Then the
    // refresh is redone in the order AWS intends (and terraform-provider-aws PR #39007
    // proposed): the group back on version 1, a refresh deploying version 2 as its desired
    // configuration, so the configuration saved on the group is the previous one.
    synth(SECOND_IMAGE);
    tofu(["apply", "-input=false", "-auto-approve"]);
    await clients.autoscaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: group }));
    await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" } }));
    await clients.autoscaling.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: group,
        Strategy: "Rolling",
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: "2" } },
        Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, AutoRollback: true, AlarmSpecification: { Alarms: out.rollout_alarm_names.value.split(",") } },
      }),
    );
    await waitFor(group, (refresh) => refresh.Status === "InProgress");
    await setAlarm("sample-app-local-unhealthy-hosts", "ALARM");
    const ended = await waitFor(group, (refresh) => !["Pending", "InProgress", "RollbackInProgress"].includes(refresh.Status!));
    expect(ended.Status).toBe("RollbackSuccessful");
    const afterRollback = await groupOf(group);
    expect(afterRollback.LaunchTemplate?.Version).toBe("1");
    expect(new Set(afterRollback.Instances?.map((instance) => instance.LaunchTemplate?.Version))).toEqual(new Set(["1"]));

    const watched = rollout("watch", "local", "--wait", "--once");
    expect(watched.status).toBe(1);
    expect(watched.stdout).toContain(`The group is back on launch template version 1 (${FIRST_IMAGE})`);
    expect(watched.stdout).toContain(`the next tofu apply moves the group to version 2 again and rolls ${SECOND_IMAGE} out again`);
    expect(watched.stdout).toContain(`SAMPLE_APP_IMAGE_ID_LOCAL=${FIRST_IMAGE} npm run synth`);
    keep("watch-true-rollback.txt", watched.stdout);

    // What the provider plans now: state and config name version 2, the group runs 1, so
    // the plan moves the group to version 2 -- the image that was just rolled back. The
    // review says so and needs approval.
    const again = review(SECOND_IMAGE);
    expect({ status: again.status, stderr: again.status === 3 ? "" : again.stderr }).toEqual({ status: 3, stderr: "" });
    expect(again.report).toMatchObject({ verdict: "needs approval", exitCode: 3, counts: { add: 0, change: 1, destroy: 0 } });
    expect(again.report!.flags[0].message).toMatch(new RegExp(`^This plan rolls ${SECOND_IMAGE} out again: instance refresh ${ended.InstanceRefreshId} \\(RollbackSuccessful`));
    expect(again.report!.flags[0].message).toContain("the group moves from launch template version 1 to 2, which starts an instance refresh");
    expect(again.report!.flags[0].message).toContain(`Set the image to ${FIRST_IMAGE}`);
    keep("review-after-true-rollback.md", again.stdout);
    stackDir = path.join(work, "cdktf.out", "stacks", "sample-app-local");
    const plan = JSON.parse(tofu(["show", "-json", again.plan]).stdout);
    const changed = plan.resource_changes.filter((change: { change: { actions: string[] } }) => change.change.actions.join() !== "no-op");
    expect(changed.map((change: { type: string }) => change.type)).toEqual(["aws_autoscaling_group"]);
    expect(changed[0].change.before.launch_template[0].version).toBe("1");
    expect(changed[0].change.after.launch_template[0].version).toBe("2");
  });

  it("cancel and rollback ask for confirmation and act on the refresh in progress", async () => {
    deploy(FIRST_IMAGE);
    const group = outputs().asg_name.value;
    synth(SECOND_IMAGE);
    tofu(["apply", "-input=false", "-auto-approve"]);
    await waitFor(group, (refresh) => refresh.Status === "InProgress");

    const unconfirmed = rollout("rollback", "local");
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toContain("not confirmed: stdin is not a terminal; pass --yes to confirm");
    expect((await newestRefreshOf(group)).Status).toBe("InProgress");

    const rolledBack = rollout("rollback", "local", "--yes");
    expect(rolledBack.status).toBe(0);
    expect(rolledBack.stdout).toContain("Warning: the group already names launch template version 2");
    expect(rolledBack.stdout).toMatch(/Rolling back instance refresh \S+\./);
    const ended = await waitFor(group, (refresh) => refresh.Status === "RollbackSuccessful");
    expect(ended.RollbackDetails?.RollbackReason).toBe("Manual rollback: RollbackInstanceRefresh");

    synth(THIRD_IMAGE);
    tofu(["apply", "-input=false", "-auto-approve"]);
    await waitFor(group, (refresh) => refresh.Status === "InProgress" || refresh.Status === "Pending");
    const cancelled = rollout("cancel", "--yes", "local");
    expect(cancelled.status).toBe(0);
    expect(cancelled.stdout).toMatch(/Cancelling instance refresh \S+\./);
    const watched = rollout("watch", "local", "--wait", "--interval", "0.5");
    expect(watched.status).toBe(1);
    expect(watched.stdout).toMatch(/ended Cancelled: Cancelled by CancelInstanceRefresh\./);
  });
});
