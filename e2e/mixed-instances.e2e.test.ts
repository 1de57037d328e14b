/**
 * Mixed instances and Spot, end to end: the real OpenTofu and AWS provider apply
 * sample-app-local with a mixed instances policy (two instance types, an On-Demand base of 1,
 * 50 % On-Demand above it, the rest on Spot, capacity rebalance) to the emulator; the policy
 * reads back unchanged (the next plan is empty); then a new image is two in-place updates
 * ("0 to add, 2 to change, 0 to destroy"), the group is not replaced, and the instance
 * refresh replaces every instance with one running the new image.
 *
 * What the emulator does not do (docs/emulator.md): nothing is bought on Spot, and instances
 * run the launch template's instance type, not the overrides'. The purchase split and the
 * policy's round trip are what moto answers.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeAutoScalingGroupsCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { emulatorClients, waitForRefresh } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";

/** local with a mixed instances policy: 3 instances, 1 On-Demand base, the 2 above it half On-Demand, half Spot. */
const MIXED: EnvironmentConfig = {
  ...ENVIRONMENTS.local,
  capacity: { min: 3, max: 6, desired: 3 },
  mixedInstances: {
    instanceTypes: [{ instanceType: "t3.micro" }, { instanceType: "t3a.micro" }],
    onDemandBaseCapacity: 1,
    onDemandPercentageAboveBaseCapacity: 50,
    spotAllocationStrategy: "price-capacity-optimized",
    capacityRebalance: true,
  },
};

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

describe("sample-app-local with mixed instances and Spot against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (imageId: string) => {
    stackDir = synthEnvironment(path.join(work, "cdktf.out"), "local", MIXED, { endpoint: emulator.endpoint, imageId });
  };
  const groupOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  const waitFor = (group: string, done: (refresh: InstanceRefresh) => boolean, seconds?: number) => waitForRefresh(clients.autoscaling, group, done, seconds);

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-mixed-instances-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-mixed-"));
  });

  afterAll(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("applies the mixed instances policy, reads it back unchanged, and rolls a new image by instance refresh without replacing the group", async () => {
    synth(FIRST_IMAGE);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
    const outputs = JSON.parse(tofu(["output", "-json"]).stdout);
    const asgName: string = outputs.asg_name.value;
    const templateId: string = outputs.launch_template_id.value;

    const group = await groupOf(asgName);
    // The launch template lives inside the policy, at a version number (never $Latest).
    expect(group.LaunchTemplate).toBeUndefined();
    expect(group.MixedInstancesPolicy).toMatchObject({
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: templateId, Version: "1" },
        Overrides: [expect.objectContaining({ InstanceType: "t3.micro" }), expect.objectContaining({ InstanceType: "t3a.micro" })],
      },
      InstancesDistribution: {
        OnDemandAllocationStrategy: "prioritized",
        OnDemandBaseCapacity: 1,
        OnDemandPercentageAboveBaseCapacity: 50,
        SpotAllocationStrategy: "price-capacity-optimized",
      },
    });
    expect(group.CapacityRebalance).toBe(true);
    expect(group.Instances).toHaveLength(3);
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
    const groupChange = (plan.resource_changes as Array<PlannedChange & { change: { before: Record<string, unknown>; after_unknown: Record<string, unknown> } }>).find(
      (change) => change.type === "aws_autoscaling_group",
    )!;
    // The version inside the policy is what changes (known after apply: the new template version).
    expect(JSON.stringify(groupChange.change.after_unknown.mixed_instances_policy)).toContain('"version":true');

    const before = (await groupOf(asgName)).Instances!.map((instance) => instance.InstanceId!);
    tofu(["apply", "-input=false", "rollout.plan"]);

    const refresh = await waitFor(asgName, (r) => !["Pending", "InProgress"].includes(r.Status!));
    expect(refresh).toMatchObject({ Status: "Successful", Preferences: expect.objectContaining({ MinHealthyPercentage: 100, MaxHealthyPercentage: 200, AutoRollback: true }) });
    const after = await groupOf(asgName);
    // The same group (not replaced), on the new version inside the policy, the distribution kept.
    expect(after.AutoScalingGroupARN).toBe(group.AutoScalingGroupARN);
    expect(after.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification).toMatchObject({ LaunchTemplateId: templateId, Version: "2" });
    expect(after.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({ OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 50 });
    const ids = after.Instances!.map((instance) => instance.InstanceId!);
    expect(ids).toHaveLength(3);
    expect(ids.filter((id) => before.includes(id))).toEqual([]);
    const { Reservations = [] } = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    expect(Reservations.flatMap((r) => r.Instances ?? []).map((instance) => instance.ImageId)).toEqual([SECOND_IMAGE, SECOND_IMAGE, SECOND_IMAGE]);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);
  });
});
