/**
 * Adopting one of two deployments kept in one state: the book's chapter 3 modules applied
 * twice with for_each (`module.alb["blue"]`, `module.alb["green"]`, the same for `asg`) on the
 * emulator. Without a choice `npm run adopt` lists both load balancers and writes nothing;
 * with `--load-balancer 'module.alb["green"]'` it ties green's listener, target group, group
 * and launch template together, forgets every object of blue (never destroys one), proves the
 * proposal with tofu plan, and the applied stack keeps green's ALB while blue keeps running.
 * A state from another region than the environment is refused.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { ENVIRONMENTS } from "../config/environments";
import { EnvironmentConfig } from "../config/types";
import { AdoptError, adopt } from "../ops/adopt/command";
import { emulatorClients } from "./aws-clients";
import { synthEnvironment } from "./synth-environment";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const FIXTURE = path.join(__dirname, "fixtures", "book-chapter-3");
const IMAGE = "ami-0a0000000000000a1";
const STACK = "sample-app-legacy";

const LEGACY: EnvironmentConfig = {
  ...ENVIRONMENTS.local,
  instanceType: "t2.micro",
  capacity: { min: 1, max: 4, desired: 2 },
  instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200, autoRollback: true },
};

/** The book's root module with both modules instantiated per colour (replaces the fixture's main.tf). */
const TWO_DEPLOYMENTS = `
variable "endpoint" { type = string }
variable "ami_id" { type = string }

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    autoscaling = var.endpoint
    ec2         = var.endpoint
    elbv2       = var.endpoint
    iam         = var.endpoint
    sts         = var.endpoint
  }
}

locals {
  colours = toset(["blue", "green"])
}

module "asg" {
  source   = "./modules/asg"
  for_each = local.colours

  name          = "sample-app-\${each.key}-asg"
  ami_id        = var.ami_id
  user_data     = filebase64("\${path.module}/user-data.sh")
  app_http_port = 8080

  instance_type    = "t2.micro"
  min_size         = 1
  max_size         = 4
  desired_capacity = 2

  target_group_arns = [module.alb[each.key].target_group_arn]

  instance_refresh = {
    min_healthy_percentage = 100
    max_healthy_percentage = 200
    auto_rollback          = true
  }
}

module "alb" {
  source   = "./modules/alb"
  for_each = local.colours

  name                  = "sample-app-\${each.key}-alb"
  alb_http_port         = 80
  app_http_port         = 8080
  app_health_check_path = "/"
}
`;

interface ResourceChange {
  address: string;
  previous_address?: string;
  type: string;
  change: { actions: string[] };
}

describe("adopting one of two deployments in one state", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let clients: ReturnType<typeof emulatorClients>;
  let work: string;
  let statePath: string;
  let stackDir: string | undefined;

  const tofuIn = (dir: string, args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, dir, options);
  const adoptInto = (environment: EnvironmentConfig, choice = {}, out = path.join(work, "adoption", "legacy.json")) =>
    adopt({ statePath, environment: "legacy", environments: { legacy: environment }, out, env: { SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint }, imageAppPort: LEGACY.appPort, choice });

  async function loadBalancers() {
    const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
    return Object.fromEntries(LoadBalancers.map((lb) => [lb.LoadBalancerName, lb.LoadBalancerArn]));
  }

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-adopt-two-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-adopt-two-"));
    const dir = path.join(work, "book");
    fs.cpSync(FIXTURE, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "main.tf"), TWO_DEPLOYMENTS);
    fs.writeFileSync(
      path.join(dir, "versions.tf"),
      `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${harness.VERSIONS.awsProvider.version}"\n    }\n  }\n}\n`,
    );
    tofuIn(dir, ["init", "-input=false"]);
    tofuIn(dir, ["apply", "-input=false", "-auto-approve", `-var=endpoint=${emulator.endpoint}`, `-var=ami_id=${IMAGE}`]);
    statePath = path.join(dir, "terraform.tfstate");
  });

  afterAll(async () => {
    if (stackDir && fs.existsSync(path.join(work, ".state", `${STACK}.tfstate`))) {
      tofuIn(stackDir, ["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
    await emulator?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("without a choice: lists both load balancers with the flag that picks one, writes nothing", () => {
    const out = path.join(work, "refused", "legacy.json");
    let error: Error | undefined;
    try {
      adoptInto(LEGACY, {}, out);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toBeInstanceOf(AdoptError);
    expect(error!.message).toContain("the state has 2 load balancers (aws_lb); this stack takes over one. Say which with --load-balancer ADDRESS");
    expect(error!.message).toMatch(/module\.alb\["blue"\]\.aws_lb\.sample_app \(sample-app-blue-alb, \S+\)/);
    expect(error!.message).toMatch(/module\.alb\["green"\]\.aws_lb\.sample_app \(sample-app-green-alb, \S+\)/);
    // Choosing the load balancer settles the rest: only that question is asked.
    expect(error!.message).not.toContain("--group");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses the state for an environment in another region, naming both regions", () => {
    expect(() => adoptInto({ ...LEGACY, region: "eu-west-1" }, { loadBalancer: 'module.alb["green"]' }, path.join(work, "elsewhere", "legacy.json"))).toThrow(
      /is in us-east-1, but the environment legacy is in eu-west-1 \(aws\)/,
    );
    expect(fs.existsSync(path.join(work, "elsewhere"))).toBe(false);
  });

  it("with --load-balancer module.alb[\"green\"]: green moved and proven, blue forgotten and still running; same ARN, empty second plan", async () => {
    const before = await loadBalancers();
    expect(Object.keys(before).sort()).toEqual(["sample-app-blue-alb", "sample-app-green-alb"]);
    const adoptionDir = path.join(work, "adoption");
    const result = adoptInto(LEGACY, { loadBalancer: 'module.alb["green"]' });
    const report = result.report.join("\n");
    expect(result.file.adoption.resources["load-balancer/load-balancer"]).toEqual({ from: 'module.alb["green"].aws_lb.sample_app' });
    expect(result.file.adoption.resources["auto-scaling-group/asg"]).toEqual({ from: 'module.asg["green"].aws_autoscaling_group.sample_app' });
    expect(report).toContain("plan (proven with tofu plan against a copy of the state)");
    // Green's rules the stack does not keep share their resource with blue's kept ones: forgotten, with the command that deletes them.
    expect(report).toMatch(/delete by hand after the apply [^\n]*\n {2}module\.alb\["green"\]\.aws_security_group_rule\.alb_allow_all_outbound: aws ec2 revoke-security-group-egress --group-id sg-\S+ --security-group-rule-ids sgr-\S+/);
    const blue = Object.entries(result.file.adoption.leftovers ?? {}).filter(([address]) => address.includes('["blue"]'));
    expect(blue.length).toBeGreaterThanOrEqual(8);
    expect(blue.filter(([, action]) => action !== "forget")).toEqual([]);

    fs.mkdirSync(path.join(work, ".state"), { recursive: true });
    fs.copyFileSync(statePath, path.join(work, ".state", `${STACK}.tfstate`));
    stackDir = synthEnvironment(path.join(work, "cdktf.out"), "legacy", LEGACY, { endpoint: emulator.endpoint, imageId: IMAGE, adoptionDir });
    tofuIn(stackDir, ["init", "-input=false"]);
    tofuIn(stackDir, ["plan", "-input=false", "-out=adopt.plan"]);
    const changes: ResourceChange[] = JSON.parse(tofuIn(stackDir, ["show", "-json", "adopt.plan"]).stdout).resource_changes;
    // No object of blue is touched except to be forgotten; nothing of green is replaced.
    const blueChanges = changes.filter((c) => (c.previous_address ?? c.address).includes('["blue"]'));
    expect(blueChanges.filter((c) => !c.change.actions.every((action) => action === "forget"))).toEqual([]);
    expect(changes.filter((c) => c.change.actions.includes("create") && c.change.actions.includes("delete"))).toEqual([]);

    tofuIn(stackDir, ["apply", "-input=false", "adopt.plan"]);
    expect(await loadBalancers()).toEqual(before);
    const { AutoScalingGroups = [] } = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(AutoScalingGroups.map((group) => group.AutoScalingGroupName).sort()).toEqual([expect.stringMatching(/^sample-app-blue/), expect.stringMatching(/^sample-app-green/)]);
    const second = tofuIn(stackDir, ["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] });
    expect({ exit: second.status, output: second.status === 0 ? "" : second.stdout }).toEqual({ exit: 0, output: "" });
  });
});
