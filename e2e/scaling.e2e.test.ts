/**
 * Request-count scaling and scheduled actions, end to end: the real OpenTofu and AWS provider
 * apply sample-app-local with a target tracking policy on ALBRequestCountPerTarget (beside the
 * CPU policy) and three scheduled actions (cron in a time zone; one with only a minimum; one
 * with a start and an end) to the emulator. The policy and the schedules read back unchanged
 * (the next plan is empty), and so does a desired capacity set as a schedule would set it (a
 * minimum set that way is the one change the next plan makes); a new image is still two
 * in-place updates and an instance refresh
 * of the same group; and removing one schedule and adding another touches only those two
 * (the schedules are keyed by name, so no other address moves).
 *
 * What the emulator does not do (docs/emulator.md): no CloudWatch metric drives the policy and
 * no scheduled action fires. What AWS stores and returns is what is checked.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  InstanceRefresh,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { emulatorClients, waitForRefresh } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";

const SCHEDULES: NonNullable<EnvironmentConfig["scheduledActions"]> = {
  "weekday-morning": { recurrence: "0 8 * * 1-5", timeZone: "Europe/Berlin", min: 3, desired: 4 },
  "weekday-evening": { recurrence: "0 19 * * MON-FRI", timeZone: "Europe/Berlin", min: 2 },
  "quarter-end": { recurrence: "*/30 9-17 * * *", max: 6, startTime: "2030-01-01T00:00:00Z", endTime: "2030-04-01T00:00:00Z" },
};

/** local with room to scale, a request-count policy beside the CPU one, and the schedules above. */
const SCALING: EnvironmentConfig = {
  ...ENVIRONMENTS.local,
  capacity: { min: 2, max: 6, desired: 2 },
  requestCountTargetTracking: { targetRequestsPerTarget: 500 },
  scheduledActions: SCHEDULES,
};

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

describe("sample-app-local with request-count scaling and scheduled actions against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (imageId: string, config: EnvironmentConfig = SCALING) => {
    stackDir = synthEnvironment(path.join(work, "cdktf.out"), "local", config, { endpoint: emulator.endpoint, imageId });
  };
  const groupOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
  const schedulesOf = async (name: string) =>
    (await clients.autoscaling.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: name }))).ScheduledUpdateGroupActions ?? [];
  const planChanges = (planFile: string) =>
    (JSON.parse(tofu(["show", "-json", planFile]).stdout).resource_changes as PlannedChange[])
      .filter((change) => change.change.actions.join() !== "no-op")
      .map((change) => `${change.type}: ${change.change.actions.join(",")}`)
      .sort();
  const waitFor = (group: string, done: (refresh: InstanceRefresh) => boolean, seconds?: number) => waitForRefresh(clients.autoscaling, group, done, seconds);

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-scaling-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-scaling-"));
  });

  afterAll(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("applies the request-count policy and the schedules, reads them back unchanged, rolls a new image without replacing the group, and moves no schedule's address when one is swapped", async () => {
    synth(FIRST_IMAGE);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
    const outputs = JSON.parse(tofu(["output", "-json"]).stdout);
    const asgName: string = outputs.asg_name.value;

    // The resource label is <load balancer arn suffix>/<target group arn suffix>, from the real objects.
    const [loadBalancer] = (await clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!;
    const [targetGroup] = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [outputs.target_group_arn.value] }))).TargetGroups!;
    const suffix = (arn: string, marker: string) => arn.slice(arn.indexOf(marker));
    const resourceLabel = `${suffix(loadBalancer.LoadBalancerArn!, "app/")}/${suffix(targetGroup.TargetGroupArn!, "targetgroup/")}`;
    const policies = (await clients.autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: asgName }))).ScalingPolicies!;
    expect(policies.map((policy) => policy.PolicyName).sort()).toEqual(["sample-app-local-cpu-target-tracking", "sample-app-local-request-count-target-tracking"]);
    expect(policies.find((policy) => policy.PolicyName === "sample-app-local-request-count-target-tracking")).toMatchObject({
      PolicyType: "TargetTrackingScaling",
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget", ResourceLabel: resourceLabel },
        TargetValue: 500,
      },
    });

    const schedules = await schedulesOf(asgName);
    const byName = Object.fromEntries(schedules.map((schedule) => [schedule.ScheduledActionName, schedule]));
    expect(Object.keys(byName).sort()).toEqual(["quarter-end", "weekday-evening", "weekday-morning"]);
    expect(byName["weekday-morning"]).toMatchObject({ Recurrence: "0 8 * * 1-5", TimeZone: "Europe/Berlin", MinSize: 3, DesiredCapacity: 4 });
    // A size the action does not set is not sent (the provider's -1), so AWS leaves it as it is.
    expect(byName["weekday-morning"].MaxSize).toBeUndefined();
    expect(byName["weekday-evening"]).toMatchObject({ Recurrence: "0 19 * * MON-FRI", TimeZone: "Europe/Berlin", MinSize: 2 });
    expect(byName["weekday-evening"].DesiredCapacity).toBeUndefined();
    expect(byName["quarter-end"]).toMatchObject({ Recurrence: "*/30 9-17 * * *", TimeZone: "Etc/UTC", MaxSize: 6 });
    expect(byName["quarter-end"].StartTime?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(byName["quarter-end"].EndTime?.toISOString()).toBe("2030-04-01T00:00:00.000Z");

    // What the provider reads back is what it wrote: nothing to change.
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);

    // What weekday-morning does when it runs (moto never runs it): desired 4. The group ignores
    // desired_capacity drift, so the next apply does not undo it.
    await clients.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: asgName, DesiredCapacity: 4 }));
    expect((await groupOf(asgName)).DesiredCapacity).toBe(4);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);
    // Its min 3 is the group's bound, which stays Terraform's: an apply before weekday-evening
    // puts capacity.min back (docs/configuration.md says so), and the plan shows only that.
    await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MinSize: 3 }));
    tofu(["plan", "-input=false", "-out=bounds.plan"]);
    const bounds = (JSON.parse(tofu(["show", "-json", "bounds.plan"]).stdout).resource_changes as Array<PlannedChange & { change: { before: Record<string, unknown>; after: Record<string, unknown> } }>).filter(
      (change) => change.change.actions.join() !== "no-op",
    );
    expect(bounds.map((change) => `${change.type}: ${change.change.actions.join(",")}`)).toEqual(["aws_autoscaling_group: update"]);
    expect([bounds[0].change.before.min_size, bounds[0].change.after.min_size]).toEqual([3, 2]);
    await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MinSize: 2, DesiredCapacity: 2 }));
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);

    // A new image still rolls by instance refresh, the policies and schedules untouched.
    synth(SECOND_IMAGE);
    const planText = tofu(["plan", "-input=false", "-out=rollout.plan"]).stdout;
    expect(planText).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
    expect(planChanges("rollout.plan")).toEqual(["aws_autoscaling_group: update", "aws_launch_template: update"]);
    const group = await groupOf(asgName);
    const before = group.Instances!.map((instance) => instance.InstanceId!);
    tofu(["apply", "-input=false", "rollout.plan"]);
    const refresh = await waitFor(asgName, (r) => !["Pending", "InProgress"].includes(r.Status!));
    expect(refresh.Status).toBe("Successful");
    const after = await groupOf(asgName);
    expect(after.AutoScalingGroupARN).toBe(group.AutoScalingGroupARN);
    expect(after.Instances!.map((instance) => instance.InstanceId!).filter((id) => before.includes(id))).toEqual([]);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);

    // Swap one schedule for another: one create, one delete, every other address kept.
    const kept = Object.fromEntries(Object.entries(SCHEDULES).filter(([name]) => name !== "quarter-end"));
    synth(SECOND_IMAGE, { ...SCALING, scheduledActions: { ...kept, "weekend-floor": { recurrence: "0 0 * * SAT", timeZone: "America/New_York", min: 2, max: 4 } } });
    tofu(["plan", "-input=false", "-out=swap.plan"]);
    const swap = (JSON.parse(tofu(["show", "-json", "swap.plan"]).stdout).resource_changes as PlannedChange[]).filter(
      (change) => change.change.actions.join() !== "no-op",
    );
    expect(swap.map((change) => `${change.type}: ${change.change.actions.join(",")}`).sort()).toEqual(["aws_autoscaling_schedule: create", "aws_autoscaling_schedule: delete"]);
    expect(swap.find((change) => change.change.actions.join() === "delete")!.address).toContain("quarter-end");
    expect(swap.find((change) => change.change.actions.join() === "create")!.address).toContain("weekend-floor");
    tofu(["apply", "-input=false", "swap.plan"]);
    expect((await schedulesOf(asgName)).map((schedule) => schedule.ScheduledActionName).sort()).toEqual(["weekday-evening", "weekday-morning", "weekend-floor"]);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);
  });
});
