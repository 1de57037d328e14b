/**
 * Warm pool, lifecycle hooks and the instance maintenance policy, end to end: the real
 * OpenTofu and AWS provider apply sample-app-local with a hibernated warm pool (min 1, max
 * prepared 4, reuse on scale-in), a launching hook (an initial hook of the group) and the
 * terminating hook (its own resource, timeout = deregistration delay + the app's drain), to
 * the emulator; everything reads back unchanged (the next plan is empty); then a new image is
 * two in-place updates ("0 to add, 2 to change, 0 to destroy"): the group and its hooks are
 * kept, and the instance refresh replaces every instance.
 *
 * No mixed instances here: AWS refuses a warm pool on a mixed instances (or Spot) group, and
 * the config refuses the pair. What the emulator does not do (docs/emulator.md): instances
 * are not kept in the warm pool, and no launch or termination waits in a hook; the
 * configuration's round trip and the refresh are what moto answers.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeAutoScalingGroupsCommand, DescribeLifecycleHooksCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand } from "@aws-sdk/client-ec2";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { readAppDrainSeconds } from "../stacks/app-drain";
import { emulatorClients, waitForRefresh } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const DEREGISTRATION_DELAY = 40;

/** local with a hibernated warm pool and both hooks. */
const WARM: EnvironmentConfig = {
  ...ENVIRONMENTS.local,
  capacity: { min: 2, max: 4, desired: 2 },
  deregistrationDelaySeconds: DEREGISTRATION_DELAY,
  warmPool: { state: "Hibernated", minSize: 1, maxPreparedCapacity: 4, reuseOnScaleIn: true },
  lifecycleHooks: { launching: { heartbeatTimeoutSeconds: 120, defaultResult: "CONTINUE" } },
};

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

describe("sample-app-local with a warm pool and lifecycle hooks against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (imageId: string) => {
    stackDir = synthEnvironment(path.join(work, "cdktf.out"), "local", WARM, { endpoint: emulator.endpoint, imageId });
  };
  const groupOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  const hooksOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }))).LifecycleHooks ?? [];
  const waitFor = (group: string, done: (refresh: InstanceRefresh) => boolean, seconds?: number) => waitForRefresh(clients.autoscaling, group, done, seconds);

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-warm-pool-hooks-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-warm-"));
  });

  afterAll(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("applies the warm pool, hooks and maintenance policy, reads them back unchanged, and rolls a new image without replacing the group", async () => {
    synth(FIRST_IMAGE);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
    const outputs = JSON.parse(tofu(["output", "-json"]).stdout);
    const asgName: string = outputs.asg_name.value;
    const templateId: string = outputs.launch_template_id.value;

    const group = await groupOf(asgName);
    expect(group.WarmPoolConfiguration).toMatchObject({ PoolState: "Hibernated", MinSize: 1, MaxGroupPreparedCapacity: 4, InstanceReusePolicy: { ReuseOnScaleIn: true } });
    expect(group.InstanceMaintenancePolicy).toEqual({ MinHealthyPercentage: 100, MaxHealthyPercentage: 200 });
    expect(group.Instances).toHaveLength(2);
    const hooks = Object.fromEntries((await hooksOf(asgName)).map((hook) => [hook.LifecycleHookName!, hook]));
    expect(Object.keys(hooks).sort()).toEqual([`${asgName}-launching`, `${asgName}-terminating`]);
    expect(hooks[`${asgName}-launching`]).toMatchObject({ LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 120, DefaultResult: "CONTINUE" });
    expect(hooks[`${asgName}-terminating`]).toMatchObject({
      LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
      HeartbeatTimeout: DEREGISTRATION_DELAY + readAppDrainSeconds(),
      DefaultResult: "CONTINUE",
    });
    // Hibernation needs it on the template (the root volume is encrypted already).
    const version = (await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: ["1"] }))).LaunchTemplateVersions![0];
    expect(version.LaunchTemplateData?.HibernationOptions).toEqual({ Configured: true });
    // What the provider reads back is what it wrote: nothing to change.
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);

    synth(SECOND_IMAGE);
    const planText = tofu(["plan", "-input=false", "-out=rollout.plan"]).stdout;
    expect(planText).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
    const plan = JSON.parse(tofu(["show", "-json", "rollout.plan"]).stdout);
    const changes = (plan.resource_changes as PlannedChange[])
      .filter((change) => change.change.actions.join() !== "no-op")
      .map((change) => `${change.type}: ${change.change.actions.join(",")}`)
      .sort();
    expect(changes).toEqual(["aws_autoscaling_group: update", "aws_launch_template: update"]);

    const before = (await groupOf(asgName)).Instances!.map((instance) => instance.InstanceId!);
    tofu(["apply", "-input=false", "rollout.plan"]);

    const refresh = await waitFor(asgName, (r) => !["Pending", "InProgress"].includes(r.Status!));
    expect(refresh).toMatchObject({ Status: "Successful" });
    const after = await groupOf(asgName);
    // The same group with the same warm pool, maintenance policy and hooks; new instances on the new image.
    expect(after.AutoScalingGroupARN).toBe(group.AutoScalingGroupARN);
    expect(after.LaunchTemplate).toMatchObject({ LaunchTemplateId: templateId, Version: "2" });
    expect(after.WarmPoolConfiguration).toEqual(group.WarmPoolConfiguration);
    expect(after.InstanceMaintenancePolicy).toEqual(group.InstanceMaintenancePolicy);
    expect((await hooksOf(asgName)).map((hook) => hook.LifecycleHookName).sort()).toEqual([`${asgName}-launching`, `${asgName}-terminating`]);
    const ids = after.Instances!.map((instance) => instance.InstanceId!);
    expect(ids).toHaveLength(2);
    expect(ids.filter((id) => before.includes(id))).toEqual([]);
    const { Reservations = [] } = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    expect(Reservations.flatMap((r) => r.Instances ?? []).map((instance) => instance.ImageId)).toEqual([SECOND_IMAGE, SECOND_IMAGE]);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);
  });
});
