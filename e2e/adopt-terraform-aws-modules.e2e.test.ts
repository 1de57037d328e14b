/**
 * Adopting a deployment written with terraform-aws-modules (alb v10.5.0, autoscaling v9.2.0,
 * vendored in e2e/fixtures/terraform-aws-modules) into a stack of this project, against the
 * emulator: every module resource is keyed (`this[0]`, `this["http"]`, `this["app"]`,
 * `this["all_http"]`), the group's target group is attached with AttachTrafficSources
 * (`traffic_source_attachments`), and the module creates the instance role and profile.
 * Apply the HCL, run the adoption (proven by its own tofu plan), plan and apply the stack:
 * nothing replaced, the keyed objects moved, the same ALB ARN, no instance relaunched except
 * by the instance refresh the new launch template version starts, an empty second plan.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { adopt } from "../ops/adopt/command";
import { emulatorClients } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIXTURE = path.join(__dirname, "fixtures", "terraform-aws-modules");
const IMAGE = "ami-0a0000000000000a1";
const STACK = "sample-app-modules";

/** The environment that takes the deployment over: the fixture's sizes, the local emulator. */
const MODULES: EnvironmentConfig = {
  ...ENVIRONMENTS.local,
  instanceType: "t3.micro",
  capacity: { min: 1, max: 4, desired: 2 },
  instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200, autoRollback: true },
};

/** Addresses the modules wrote and the construct paths that take them over. */
const MOVED: Record<string, string> = {
  "module.alb.aws_lb.this[0]": "load-balancer/load-balancer",
  'module.alb.aws_lb_target_group.this["app"]': "load-balancer/target-group",
  'module.alb.aws_lb_listener.this["http"]': "load-balancer/http-listener",
  "module.alb.aws_security_group.this[0]": "load-balancer/security-group",
  'module.alb.aws_vpc_security_group_ingress_rule.this["all_http"]': "load-balancer/ingress-80-0-0-0-0-0",
  "aws_security_group.instances": "auto-scaling-group/security-group",
  "aws_vpc_security_group_ingress_rule.instances_http": "auto-scaling-group/ingress-from-load-balancer",
  "module.asg.aws_launch_template.this[0]": "auto-scaling-group/launch-template",
  "module.asg.aws_autoscaling_group.this[0]": "auto-scaling-group/asg",
  "module.asg.aws_iam_instance_profile.this[0]": "auto-scaling-group/instance-profile",
  "module.asg.aws_iam_role.this[0]": "auto-scaling-group/role",
};
/** Rules this project does not allow (all egress), listed by the report as not kept. */
const DESTROYED = ['module.alb.aws_vpc_security_group_egress_rule.this["all"]', "aws_vpc_security_group_egress_rule.instances_all"];
/** Removed from state, left in AWS: the attachment between two adopted objects, the policy on the adopted role. */
const FORGOTTEN = ['module.asg.aws_autoscaling_traffic_source_attachment.this["app"]', 'module.asg.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"]'];

interface ResourceChange {
  address: string;
  previous_address?: string;
  type: string;
  change: { actions: string[]; importing?: { id: string } };
}

/** An address of ours for a construct path: cdktf joins the path with `_` (a repeated segment once) and adds a hash. */
const addressPattern = (type: string, ourPath: string) => new RegExp(`^${type}\\.${ourPath.split("/")[0]}(_[\\w-]+)?_[0-9A-F]{8}$`);

describe("adopting a terraform-aws-modules deployment (alb v10, autoscaling v9)", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let clients: ReturnType<typeof emulatorClients>;
  let work: string;

  const tofuIn = (dir: string, args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, dir, options);

  async function theLoadBalancer() {
    const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["tfam-alb"] }));
    expect(LoadBalancers).toHaveLength(1);
    return { arn: LoadBalancers[0].LoadBalancerArn, dns: LoadBalancers[0].DNSName };
  }

  async function theGroup() {
    const { AutoScalingGroups = [] } = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(AutoScalingGroups).toHaveLength(1);
    const group = AutoScalingGroups[0];
    return { name: group.AutoScalingGroupName!, instances: (group.Instances ?? []).map((i) => i.InstanceId!).sort(), targetGroups: group.TargetGroupARNs ?? [] };
  }

  /** Polls until no refresh of the group is active; its instances are then final. */
  async function refreshesSettled(groupName: string) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { InstanceRefreshes = [] } = await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName }));
      if (InstanceRefreshes.every((r) => !["Pending", "InProgress", "Cancelling", "RollbackInProgress"].includes(r.Status ?? ""))) return InstanceRefreshes;
      if (Date.now() > deadline) throw new Error(`instance refreshes still active after 120 s: ${JSON.stringify(InstanceRefreshes.map((r) => r.Status))}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Every replacement the emulator's instance refreshes made: old id -> new id. */
  async function replacementsByRefresh(): Promise<Map<string, string>> {
    const response = await fetch(`${emulator.endpoint}/_sample_app/instance-refreshes`);
    const { instanceRefreshes } = (await response.json()) as { instanceRefreshes: { Replaced: { old: string; new: string }[] }[] };
    return new Map(instanceRefreshes.flatMap((refresh) => refresh.Replaced.map((r) => [r.old, r.new] as const)));
  }

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-adopt-tfam-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-adopt-tfam-"));
  });

  afterAll(async () => {
    // The emulator holds everything this file created; stopping it is the teardown.
    await emulator?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("maps the keyed module resources by shape; applied: same ALB, instances replaced only by the refresh, empty second plan", async () => {
    // The modules' deployment, applied with tofu on the emulator.
    const modulesDir = path.join(work, "modules-deployment");
    fs.cpSync(FIXTURE, modulesDir, { recursive: true });
    fs.writeFileSync(
      path.join(modulesDir, "versions.tf"),
      `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${harness.VERSIONS.awsProvider.version}"\n    }\n  }\n}\n`,
    );
    tofuIn(modulesDir, ["init", "-input=false"]);
    tofuIn(modulesDir, ["apply", "-input=false", "-auto-approve", `-var=endpoint=${emulator.endpoint}`, `-var=ami_id=${IMAGE}`]);
    const loadBalancerBefore = await theLoadBalancer();
    const groupBefore = await theGroup();
    expect(groupBefore.instances).toHaveLength(2);
    // autoscaling v9 attached the target group with AttachTrafficSources: it registered the instances.
    expect(groupBefore.targetGroups).toHaveLength(1);

    // npm run adopt, in process: the environment lives only in this test.
    const statePath = path.join(modulesDir, "terraform.tfstate");
    const adoptionDir = path.join(work, "adoption");
    const result = adopt({
      statePath,
      environment: "modules",
      environments: { modules: MODULES },
      out: path.join(adoptionDir, "modules.json"),
      env: { SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint },
      imageAppPort: MODULES.appPort,
    });
    const report = result.report.join("\n");
    expect(Object.fromEntries(Object.entries(result.file.adoption.resources).map(([ours, entry]) => [entry.from, ours]))).toEqual(MOVED);
    expect(result.file.adoption.leftovers).toEqual({
      ...Object.fromEntries(DESTROYED.map((address) => [address, "destroy"])),
      ...Object.fromEntries(FORGOTTEN.map((address) => [address, "forget"])),
    });
    expect(result.file.names).toMatchObject({
      loadBalancer: { name: "tfam-alb" },
      targetGroup: { name: "tfam-app" },
      autoScalingGroup: { namePrefix: "tfam-app-" },
      instanceRole: { namePrefix: "tfam-app-" },
      instanceProfile: { namePrefix: "tfam-app-" },
    });
    expect(report).toMatch(/plan \(proven with tofu plan against a copy of the state\): 0 to import, \d+ to add, \d+ to change, 2 to destroy, 2 to forget, 0 to replace/);

    // The existing state becomes the stack's state.
    fs.mkdirSync(path.join(work, ".state"), { recursive: true });
    fs.copyFileSync(statePath, path.join(work, ".state", `${STACK}.tfstate`));
    const stack = synthEnvironment(path.join(work, "cdktf.out"), "modules", MODULES, { endpoint: emulator.endpoint, imageId: IMAGE, adoptionDir });
    tofuIn(stack, ["init", "-input=false"]);
    tofuIn(stack, ["plan", "-input=false", "-out=adopt.plan"]);
    const changes: ResourceChange[] = JSON.parse(tofuIn(stack, ["show", "-json", "adopt.plan"]).stdout).resource_changes;

    const replaced = changes.filter((c) => c.change.actions.includes("create") && c.change.actions.includes("delete"));
    expect(replaced.map((c) => c.address)).toEqual([]);
    for (const [from, ourPath] of Object.entries(MOVED)) {
      const change = changes.find((c) => c.previous_address === from);
      expect({ from, found: change?.address, actions: change?.change.actions }).toEqual({
        from,
        found: expect.stringMatching(addressPattern(from.replace(/\[[^\]]*\]$/, "").split(".").slice(-2)[0], ourPath)),
        actions: [expect.stringMatching(/^(no-op|update)$/)],
      });
    }
    expect(changes.filter((c) => c.change.importing)).toEqual([]);
    expect(changes.filter((c) => c.change.actions.includes("delete")).map((c) => c.address).sort()).toEqual([...DESTROYED].sort());

    tofuIn(stack, ["apply", "-input=false", "adopt.plan"]);
    expect(await theLoadBalancer()).toEqual(loadBalancerBefore);
    const groupAfter = await theGroup();
    expect(groupAfter.name).toBe(groupBefore.name);
    await refreshesSettled(groupAfter.name);
    // No instance relaunched except by instance refresh: each instance of before is still
    // there or was replaced by a refresh, and each instance now is one of before or a refresh's.
    const replacements = await replacementsByRefresh();
    const now = (await theGroup()).instances;
    const launchedByRefresh = new Set(replacements.values());
    expect(now.filter((id) => !groupBefore.instances.includes(id) && !launchedByRefresh.has(id))).toEqual([]);
    expect(groupBefore.instances.filter((id) => !now.includes(id) && !replacements.has(id))).toEqual([]);
    expect(now).toHaveLength(2);
    // The stack's launch template differs from the module's (IMDSv2, volumes, tags): a new
    // version, so the refresh, not anything else, replaced the whole fleet; else nothing moved.
    const templateChange = changes.find((c) => c.previous_address === "module.asg.aws_launch_template.this[0]");
    if (templateChange?.change.actions.includes("update")) {
      expect([...replacements.keys()].sort()).toEqual(groupBefore.instances);
    } else {
      expect(now).toEqual(groupBefore.instances);
    }

    const second = tofuIn(stack, ["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] });
    expect({ exit: second.status, output: second.status === 0 ? "" : second.stdout }).toEqual({ exit: 0, output: "" });
  });
});
