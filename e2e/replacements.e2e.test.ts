/**
 * Every replacement we can plan is one that applies: with name prefixes (the default),
 * a new app port replaces the target group and a new description replaces a security
 * group, and each applies against the emulator with the fleet still registered behind
 * the load balancer. With fixed names both fail (DuplicateTargetGroupName /
 * ResourceInUse, InvalidGroup.Duplicate), which is why names default to prefixes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeLaunchTemplateVersionsCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { emulatorClients } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const IMAGE = "ami-0a0000000000000a1";

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

describe("replacements apply cleanly against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (config: EnvironmentConfig) => {
    stackDir = synthEnvironment(path.join(work, "cdktf.out"), "local", config, { endpoint: emulator.endpoint, imageId: IMAGE });
  };
  const plan = (): { text: string; changes: PlannedChange[] } => {
    const text = tofu(["plan", "-input=false", "-out=change.plan"]).stdout;
    const json = JSON.parse(tofu(["show", "-json", "change.plan"]).stdout);
    return { text, changes: json.resource_changes.filter((c: PlannedChange) => c.change.actions.join() !== "no-op") };
  };
  const outputs = () => JSON.parse(tofu(["output", "-json"]).stdout);

  /** The group's instances, every one registered (and not draining) in `targetGroupArn`. */
  async function expectFleetRegistered(asgName: string, targetGroupArn: string) {
    const { AutoScalingGroups = [] } = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
    expect(AutoScalingGroups[0].TargetGroupARNs).toEqual([targetGroupArn]);
    const instanceIds = (AutoScalingGroups[0].Instances ?? []).map((instance) => instance.InstanceId!).sort();
    expect(instanceIds.length).toBeGreaterThanOrEqual(ENVIRONMENTS.local.capacity.min);
    const { TargetHealthDescriptions = [] } = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    const registered = TargetHealthDescriptions.filter((target) => target.TargetHealth?.State !== "draining").map((target) => target.Target!.Id!);
    expect(registered.sort()).toEqual(expect.arrayContaining(instanceIds));
  }

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-replacements-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  beforeEach(async () => {
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-replace-"));
    synth(ENVIRONMENTS.local);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
  });

  afterEach(async () => {
    if (stackDir) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await harness.resetEmulator(emulator.endpoint);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("a new app port replaces the target group (created first), the listener and the group move to it, the fleet stays registered", async () => {
    const before = outputs();
    synth({ ...ENVIRONMENTS.local, appPort: 9090 });
    const { text, changes } = plan();
    const targetGroup = changes.find((change) => change.type === "aws_lb_target_group")!;
    expect(targetGroup.change.actions).toEqual(["create", "delete"]);
    expect(text).toMatch(/aws_lb_target_group\.\S+ must be replaced/);
    expect(text).toMatch(/port\s+= 8080 -> 9090 # forces replacement/);
    tofu(["apply", "-input=false", "change.plan"]);

    const after = outputs();
    expect(after.target_group_arn.value).not.toBe(before.target_group_arn.value);
    expect(after.alb_dns_name.value).toBe(before.alb_dns_name.value);
    const { TargetGroups = [] } = await clients.elbv2.send(new DescribeTargetGroupsCommand({}));
    expect(TargetGroups.map((group) => [group.TargetGroupArn, group.Port])).toEqual([[after.target_group_arn.value, 9090]]);
    const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
    const { Listeners = [] } = await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: LoadBalancers[0].LoadBalancerArn }));
    expect(Listeners[0].DefaultActions?.[0].TargetGroupArn).toBe(after.target_group_arn.value);
    await expectFleetRegistered(after.asg_name.value, after.target_group_arn.value);
    expect(tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] }).status).toBe(0);
  });

  it("a new security group description replaces the group (created first); the launch template moves to it, the fleet stays registered", async () => {
    const before = outputs();
    const description = "Instances of sample-app-local: app port from the ALB only (reworded)";
    synth({ ...ENVIRONMENTS.local, names: { instanceSecurityGroup: { description } } });
    const { text, changes } = plan();
    const replaced = changes.filter((change) => change.change.actions.includes("delete")).map((change) => `${change.type}: ${change.change.actions.join(",")}`);
    expect(replaced).toContain("aws_security_group: create,delete");
    expect(text).toMatch(/aws_security_group\.auto-scaling-group_security-group_\S+ must be replaced/);
    tofu(["apply", "-input=false", "change.plan"]);

    const after = outputs();
    const all = (await clients.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    const SecurityGroups = all.filter((group) => group.Description === description);
    expect(SecurityGroups).toHaveLength(1);
    // The old group is gone: its replacement exists once.
    expect(all.filter((group) => group.GroupName?.startsWith("sample-app-local-instances-"))).toHaveLength(1);
    const { LaunchTemplateVersions = [] } = await clients.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: after.launch_template_id.value, Versions: ["$Latest"] }),
    );
    expect(LaunchTemplateVersions[0].LaunchTemplateData?.SecurityGroupIds).toEqual([SecurityGroups[0].GroupId]);
    expect(after.target_group_arn.value).toBe(before.target_group_arn.value);
    await expectFleetRegistered(after.asg_name.value, after.target_group_arn.value);
  });
});
