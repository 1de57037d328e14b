/**
 * The promise of the project, checked with the real OpenTofu and the real AWS
 * provider against the emulator: synth, init, validate, plan, apply; no drift right
 * after apply; a new image rolls out as two in-place updates and an instance refresh
 * with the configured preferences; destroy leaves nothing behind.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import {
  DescribeAddressesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListInstanceProfilesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { ENVIRONMENTS } from "../config/environments";
import { emulatorClients } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const local = ENVIRONMENTS.local;

interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

describe("sample-app-local against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: Emulator;
  let work: string;
  let stackDir: string;
  let clients: ReturnType<typeof emulatorClients>;

  const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
  const synth = (imageId: string) => {
    stackDir = harness.synthLocal(path.join(work, "cdktf.out"), { endpoint: emulator.endpoint, imageId });
  };
  const deploy = (imageId = FIRST_IMAGE) => {
    synth(imageId);
    tofu(["init", "-input=false"]);
    tofu(["apply", "-input=false", "-auto-approve"]);
  };

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  // Each test starts from an emptied emulator and a fresh working copy, and cleans up.
  beforeEach(async () => {
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-"));
  });

  afterEach(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", "sample-app-local.tfstate"))) {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await harness.resetEmulator(emulator.endpoint);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("inits, validates, plans and applies; the emulator then holds what the config describes", async () => {
    synth(FIRST_IMAGE);
    tofu(["init", "-input=false"]);
    const validation = JSON.parse(tofu(["validate", "-json"]).stdout);
    expect(validation).toMatchObject({ valid: true, error_count: 0 });
    expect(tofu(["plan", "-input=false", "-out=initial.plan"]).stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    tofu(["apply", "-input=false", "initial.plan"]);

    const outputs = JSON.parse(tofu(["output", "-json"]).stdout);
    const vpcId = outputs.vpc_id.value;
    const { Vpcs } = await clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs?.[0].CidrBlock).toBe(local.vpcCidr);

    const { Subnets = [] } = await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(Subnets).toHaveLength(2 * local.azCount);
    const subnetsPerAz = new Map<string, number>();
    for (const subnet of Subnets) subnetsPerAz.set(subnet.AvailabilityZone!, (subnetsPerAz.get(subnet.AvailabilityZone!) ?? 0) + 1);
    expect([...subnetsPerAz.values()]).toEqual(Array(local.azCount).fill(2));

    const { NatGateways = [] } = await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(NatGateways.filter((nat) => nat.State !== "deleted")).toHaveLength(local.natMode === "per-az" ? local.azCount : local.natMode === "single" ? 1 : 0);

    const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(LoadBalancers).toHaveLength(1);
    expect(LoadBalancers[0]).toMatchObject({ DNSName: outputs.alb_dns_name.value, Scheme: "internet-facing", Type: "application" });
    const { Listeners = [] } = await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: LoadBalancers[0].LoadBalancerArn }));
    expect(Listeners).toEqual([expect.objectContaining({ Port: 80, Protocol: "HTTP" })]);
    expect(Listeners[0].DefaultActions?.[0]).toMatchObject({ Type: "forward", TargetGroupArn: outputs.target_group_arn.value });

    const { TargetGroups = [] } = await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [outputs.target_group_arn.value] }));
    expect(TargetGroups[0]).toMatchObject({
      Port: local.appPort,
      Protocol: "HTTP",
      TargetType: "instance",
      HealthCheckPath: "/health",
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: "200" },
    });

    const { LaunchTemplateVersions = [] } = await clients.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: outputs.launch_template_id.value, Versions: ["$Latest"] }),
    );
    expect(LaunchTemplateVersions[0].LaunchTemplateData).toMatchObject({
      ImageId: FIRST_IMAGE,
      MetadataOptions: expect.objectContaining({ HttpTokens: "required" }),
    });
    // app/user-data.sh, rendered with the environment's appPort (the port the target group checks).
    const userData = Buffer.from(LaunchTemplateVersions[0].LaunchTemplateData?.UserData ?? "", "base64").toString("utf8");
    expect(userData).toContain(`readonly APP_PORT=${local.appPort}\n`);
    expect(userData).not.toMatch(/@[A-Z_]+@/);

    const { AutoScalingGroups = [] } = await clients.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [outputs.asg_name.value] }),
    );
    expect(AutoScalingGroups[0]).toMatchObject({
      MinSize: local.capacity.min,
      MaxSize: local.capacity.max,
      TargetGroupARNs: [outputs.target_group_arn.value],
      HealthCheckType: "ELB",
    });
  });

  it("reports no changes right after apply", () => {
    deploy();
    const plan = tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] });
    expect({ exitCode: plan.status, output: plan.status === 0 ? "" : plan.stdout }).toEqual({ exitCode: 0, output: "" });
  });

  it("rolls a new image out as two in-place updates and an instance refresh with the configured preferences", async () => {
    deploy(FIRST_IMAGE);
    const asgName = JSON.parse(tofu(["output", "-json"]).stdout).asg_name.value;

    synth(SECOND_IMAGE);
    const planText = tofu(["plan", "-input=false", "-out=rollout.plan"]).stdout;
    expect(planText).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
    const plan = JSON.parse(tofu(["show", "-json", "rollout.plan"]).stdout);
    const changes = plan.resource_changes
      .filter((change: { change: { actions: string[] } }) => change.change.actions.join() !== "no-op")
      .map((change: { type: string; change: { actions: string[] } }) => `${change.type}: ${change.change.actions.join(",")}`)
      .sort();
    expect(changes).toEqual(["aws_autoscaling_group: update", "aws_launch_template: update"]);

    tofu(["apply", "-input=false", "rollout.plan"]);

    const { InstanceRefreshes = [] } = await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: asgName }));
    expect(InstanceRefreshes).toHaveLength(1);
    expect(InstanceRefreshes[0]).toMatchObject({
      AutoScalingGroupName: asgName,
      Strategy: "Rolling",
      Preferences: expect.objectContaining({
        MinHealthyPercentage: 100,
        MaxHealthyPercentage: 200,
        AutoRollback: true,
        SkipMatching: false,
      }),
    });
    const { AutoScalingGroups = [] } = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
    const templateRef = AutoScalingGroups[0].LaunchTemplate!;
    expect(templateRef.Version).toBe("2");
    const { LaunchTemplateVersions = [] } = await clients.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateRef.LaunchTemplateId, Versions: [templateRef.Version!] }),
    );
    expect(LaunchTemplateVersions[0].LaunchTemplateData?.ImageId).toBe(SECOND_IMAGE);
  });

  it("destroys everything it created", async () => {
    deploy();
    tofu(["destroy", "-input=false", "-auto-approve"]);
    const state = JSON.parse(tofu(["show", "-json"]).stdout);
    expect(state.values?.root_module?.resources ?? []).toEqual([]);

    const { Vpcs = [] } = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["sample-app"] }] }));
    expect(Vpcs).toEqual([]);
    const nonDefaultVpcs = (await clients.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.filter((vpc) => !vpc.IsDefault) ?? [];
    expect(nonDefaultVpcs).toEqual([]);
    expect((await clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toEqual([]);
    expect((await clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toEqual([]);
    expect((await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []).toEqual([]);
    expect((await clients.ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? []).toEqual([]);
    const groups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    expect(groups.filter((group) => group.GroupName !== "default")).toEqual([]);
    expect((await clients.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []).toEqual([]);
    const nats = (await clients.ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
    expect(nats.filter((nat) => nat.State !== "deleted")).toEqual([]);
    const roles = (await clients.iam.send(new ListRolesCommand({}))).Roles ?? [];
    expect(roles.filter((role) => role.RoleName?.startsWith("sample-app-"))).toEqual([]);
    const profiles = (await clients.iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles ?? [];
    expect(profiles.filter((profile) => profile.InstanceProfileName?.startsWith("sample-app-"))).toEqual([]);
  });
});
