/**
 * npm run adopt: reading a state, proposing names, network and mapping for the book's
 * chapter 3 deployment, refusing (naming the setting) where a replacement would follow,
 * and never writing anything on bad input.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../../config/environments";
import { loadEnvironment } from "../../../config/load";
import { EnvironmentConfig } from "../../../config/types";
import { AdoptError, adopt } from "../../../ops/adopt/command";
import { parseAdoptArguments } from "../../../ops/adopt/arguments";
import { parseState } from "../../../ops/adopt/terraform-state";
import { instanceProfileAndRole } from "../../../ops/adopt/proposal";

/** The state `tofu apply` wrote for e2e/fixtures/terraform-aws-modules on the emulator (__tests__/fixtures/states/README.md). */
const MODULES_STATE = path.join(__dirname, "..", "..", "fixtures", "states", "terraform-aws-modules.tfstate");
const modulesState = () => JSON.parse(fs.readFileSync(MODULES_STATE, "utf8")) as { resources: { module?: string; type: string; name: string; instances: { index_key?: string | number; attributes: Record<string, unknown> }[] }[] };

const VPC = "vpc-0a1b2c3d4e5f60718";
const ALB_SG = "sg-0000000000000a1b0";
const ASG_SG = "sg-0000000000000a5c0";

/** A raw state shaped like the book's chapter 3 deployment after `tofu apply`. */
function bookState(provider = "registry.opentofu.org/hashicorp/aws") {
  const p = `provider["${provider}"]`;
  const resource = (module: string, mode: string, type: string, name: string, attributes: Record<string, unknown>) => ({
    module,
    mode,
    type,
    name,
    provider: p,
    instances: [{ schema_version: 0, attributes }],
  });
  return {
    version: 4,
    terraform_version: "1.10.10",
    serial: 12,
    lineage: "e0c6f0c2-0000-4000-8000-000000000000",
    outputs: {},
    resources: [
      resource("module.alb", "data", "aws_vpc", "default", { id: VPC, default: true }),
      resource("module.alb", "managed", "aws_lb", "sample_app", { id: "arn:lb", name: "sample-app-alb", name_prefix: "", internal: false, load_balancer_type: "application", security_groups: [ALB_SG] }),
      resource("module.alb", "managed", "aws_lb_target_group", "sample_app", { id: "arn:tg", name: "sample-app-alb", name_prefix: "", port: 8080, protocol: "HTTP", target_type: "instance", vpc_id: VPC, health_check: [{ path: "/", matcher: "200", protocol: "HTTP" }] }),
      resource("module.alb", "managed", "aws_lb_listener", "sample_app", { id: "arn:listener", port: 80, protocol: "HTTP" }),
      resource("module.alb", "managed", "aws_security_group", "alb", { id: ALB_SG, name: "sample-app-alb", name_prefix: "", description: "Allow HTTP traffic into sample-app-alb", vpc_id: VPC }),
      resource("module.alb", "managed", "aws_security_group_rule", "alb_allow_http_inbound", {
        id: "sgrule-1", type: "ingress", security_group_id: ALB_SG, protocol: "tcp", from_port: 80, to_port: 80, cidr_blocks: ["0.0.0.0/0"], security_group_rule_id: "sgr-00000000000000001",
      }),
      resource("module.alb", "managed", "aws_security_group_rule", "alb_allow_all_outbound", {
        id: "sgrule-2", type: "egress", security_group_id: ALB_SG, protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"], security_group_rule_id: "sgr-00000000000000002",
      }),
      resource("module.asg", "managed", "aws_security_group", "sample_app", { id: ASG_SG, name: "sample-app-asg", name_prefix: "", description: "Allow HTTP traffic into sample-app-asg", vpc_id: VPC }),
      resource("module.asg", "managed", "aws_security_group_rule", "sample_app_allow_http_inbound", {
        id: "sgrule-3", type: "ingress", security_group_id: ASG_SG, protocol: "tcp", from_port: 8080, to_port: 8080, cidr_blocks: ["0.0.0.0/0"], security_group_rule_id: "sgr-00000000000000003",
      }),
      resource("module.asg", "managed", "aws_launch_template", "sample_app", { id: "lt-0123", name: "sample-app-asg20261123090000000000000001", name_prefix: "sample-app-asg", vpc_security_group_ids: [ASG_SG] }),
      resource("module.asg", "managed", "aws_autoscaling_group", "sample_app", { id: "sample-app-asg20261123090000000000000002", name: "sample-app-asg20261123090000000000000002", name_prefix: "sample-app-asg" }),
    ],
  };
}

describe("npm run adopt", () => {
  let dir: string;
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const environments = (change: Partial<EnvironmentConfig> = {}) => ({ legacy: { ...ENVIRONMENTS.dev, ...change } });
  const run = (statePath: string, change: Partial<EnvironmentConfig> = {}, dryRun = false) =>
    adopt({ statePath, environment: "legacy", environments: environments(change), out: path.join(dir, "legacy.json"), dryRun, env: {}, imageAppPort: change.appPort,
      // No toolchain here: the plan proof is the e2e's (e2e/adopt-book.e2e.test.ts).
      toolchainHome: path.join(dir, "no-toolchain") });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-test-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("proposes the existing names, the default VPC and the mapping, and writes them", () => {
    const result = run(write("terraform.tfstate", bookState()));
    expect(result.written).toBe(path.join(dir, "legacy.json"));
    const file = JSON.parse(fs.readFileSync(result.written!, "utf8"));
    expect(file.defaultVpc).toEqual({});
    expect(file.names).toEqual({
      loadBalancer: { name: "sample-app-alb" },
      targetGroup: { name: "sample-app-alb" },
      loadBalancerSecurityGroup: { name: "sample-app-alb", description: "Allow HTTP traffic into sample-app-alb" },
      instanceSecurityGroup: { name: "sample-app-asg", description: "Allow HTTP traffic into sample-app-asg" },
      launchTemplate: { namePrefix: "sample-app-asg" },
      autoScalingGroup: { namePrefix: "sample-app-asg" },
    });
    expect(file.adoption.resources).toEqual({
      "load-balancer/load-balancer": { from: "module.alb.aws_lb.sample_app" },
      "load-balancer/target-group": { from: "module.alb.aws_lb_target_group.sample_app" },
      "load-balancer/http-listener": { from: "module.alb.aws_lb_listener.sample_app" },
      "load-balancer/security-group": { from: "module.alb.aws_security_group.alb" },
      "load-balancer/ingress-80-0-0-0-0-0": { from: "module.alb.aws_security_group_rule.alb_allow_http_inbound", importId: "sgr-00000000000000001" },
      "auto-scaling-group/security-group": { from: "module.asg.aws_security_group.sample_app" },
      "auto-scaling-group/launch-template": { from: "module.asg.aws_launch_template.sample_app" },
      "auto-scaling-group/asg": { from: "module.asg.aws_autoscaling_group.sample_app" },
    });
    expect(file.adoption.leftovers).toEqual({
      "module.alb.aws_security_group_rule.alb_allow_all_outbound": "destroy",
      "module.asg.aws_security_group_rule.sample_app_allow_http_inbound": "destroy",
    });
    const report = result.report.join("\n");
    expect(report).toContain("destroyed (deliberately not kept):\n  module.alb.aws_security_group_rule.alb_allow_all_outbound (egress all traffic to 0.0.0.0/0 on the load balancer security group: not kept");
    expect(report).toContain("module.asg.aws_security_group_rule.sample_app_allow_http_inbound (ingress tcp 8080 from 0.0.0.0/0 on the instances security group: not kept");
    // What the adopted configuration creates (no network: it stays in the default VPC).
    expect(report.split("created (new in this stack):\n")[1].split("\nchanges behaviour")[0].split("\nwrote ")[0].split("\n").map((line) => line.trim())).toEqual([
      "access-logs/bucket",
      "access-logs/public-access-block",
      "access-logs/ownership-controls",
      "access-logs/encryption",
      "access-logs/versioning",
      "access-logs/lifecycle",
      "access-logs/policy",
      "load-balancer/egress-to-instances",
      "rollout-alarms/target-5xx",
      "rollout-alarms/unhealthy-hosts",
      "auto-scaling-group/ingress-from-load-balancer",
      "auto-scaling-group/egress-https",
      "auto-scaling-group/role",
      "auto-scaling-group/session-manager",
      "auto-scaling-group/instance-profile",
      "auto-scaling-group/cpu-target-tracking",
    ]);
    expect(report).toContain("imported by id (old address forgotten, never destroyed):\n  module.alb.aws_security_group_rule.alb_allow_http_inbound -> load-balancer/ingress-80-0-0-0-0-0 (sgr-00000000000000001");
  });

  it("names the traffic-affecting settings the stack changes on adopted objects, old and new", () => {
    const report = run(write("terraform.tfstate", bookState())).report.join("\n");
    expect(report).toContain(
      'changes behaviour (the adopted stack changes these on live objects; keep an old value with the setting named):\n  module.alb.aws_lb_target_group.sample_app: health check path "/" -> "/health" (set healthCheck.path to "/" in config/environments.ts to keep it)',
    );
    expect(report).not.toContain("health check matcher");
  });

  it("writes a file the configuration loader merges and the stack synthesizes with", () => {
    run(write("terraform.tfstate", bookState()));
    const environment = loadEnvironment("legacy", { environments: environments(), env: {}, adoptionDir: dir });
    expect(environment.config.adoption?.resources["load-balancer/load-balancer"]).toEqual({ from: "module.alb.aws_lb.sample_app" });
    expect(environment.config.defaultVpc).toEqual({});
  });

  it("only prints with --dry-run", () => {
    const result = run(write("terraform.tfstate", bookState()), {}, true);
    expect(result.written).toBeUndefined();
    expect(fs.existsSync(path.join(dir, "legacy.json"))).toBe(false);
    expect(result.report.join("\n")).toContain('--dry-run: ' + path.join(dir, "legacy.json") + " would contain:");
  });

  it("reads `tofu show -json` output as well", () => {
    const raw = bookState();
    const show = {
      format_version: "1.0",
      terraform_version: "1.10.10",
      values: {
        root_module: {
          child_modules: ["module.alb", "module.asg"].map((module) => ({
            address: module,
            resources: raw.resources
              .filter((r) => r.module === module)
              .map((r) => ({ address: `${module}.${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`, mode: r.mode, type: r.type, name: r.name, provider_name: "registry.opentofu.org/hashicorp/aws", values: r.instances[0].attributes })),
          })),
        },
      },
    };
    const result = run(write("show.json", show));
    expect(Object.keys(result.file.adoption.resources)).toHaveLength(8);
  });

  it("says how to switch the provider address of a state written by Terraform", () => {
    const result = run(write("terraform.tfstate", bookState("registry.terraform.io/hashicorp/aws")));
    expect(result.report.join("\n")).toContain("tofu state replace-provider -auto-approve registry.terraform.io/hashicorp/aws registry.opentofu.org/hashicorp/aws");
  });

  it.each<[string, unknown, string]>([
    ["not JSON", "# not a state\n", "not a state file: it is not JSON"],
    ["JSON that is no state", { hello: "world" }, 'not a state file: expected a raw state ("version": 4 with "resources")'],
    ["a plan instead of a state", { format_version: "1.2", planned_values: {}, resource_changes: [] }, "this is a plan (tofu show -json <planfile>), not a state"],
    ["an old state format", { version: 3, modules: [] }, "state format version 3 is not supported"],
    ["a package.json", { name: "x", version: "0.1.0" }, 'not a state file: expected a raw state ("version": 4 with "resources")'],
  ])("rejects %s and writes nothing", (_case, content, message) => {
    expect(() => run(write("input.json", content))).toThrow(message);
    expect(fs.existsSync(path.join(dir, "legacy.json"))).toBe(false);
  });

  it.each<[string, Partial<EnvironmentConfig>, string]>([
    [
      "a configured name that differs from the existing one",
      { names: { loadBalancer: { name: "sample-app-legacy" } } },
      'names.loadBalancer.name = "sample-app-legacy": the existing module.alb.aws_lb.sample_app has name "sample-app-alb"; a different value replaces it',
    ],
    ["another app port", { appPort: 9090 }, "appPort = 9090: the existing target group module.alb.aws_lb_target_group.sample_app sends to port 8080; a different port replaces it"],
    [
      "another VPC",
      { existingNetwork: { vpcId: "vpc-0fffffffffffffff0", publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"], privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"] } },
      'existingNetwork.vpcId = "vpc-0fffffffffffffff0": the existing objects are in vpc-0a1b2c3d4e5f60718; another VPC replaces them',
    ],
  ])("refuses %s, naming the setting, and writes nothing", (_case, change, message) => {
    const statePath = write("terraform.tfstate", bookState());
    let error: Error | undefined;
    try {
      run(statePath, change);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toBeInstanceOf(AdoptError);
    expect(error!.message).toContain(message);
    expect(error!.message).toContain("Nothing was written.");
    expect(fs.existsSync(path.join(dir, "legacy.json"))).toBe(false);
  });

  it("refuses a rule whose sgr- id the state does not have", () => {
    const state = bookState();
    delete (state.resources[5].instances[0].attributes as Record<string, unknown>).security_group_rule_id;
    expect(() => run(write("terraform.tfstate", state))).toThrow(
      "module.alb.aws_security_group_rule.alb_allow_http_inbound: has no security_group_rule_id in the state",
    );
  });

  it.each<[string[], string]>([
    [["--env", "legacy"], "--state is required"],
    [["--state", "x.tfstate"], "--env is required"],
    [["--state", "x", "--env", "dev", "--dryrun"], "unknown option --dryrun; did you mean --dry-run?"],
    [["--state", "--env", "dev"], "--state needs a value"],
  ])("rejects the arguments %j", (argv, message) => {
    expect(() => parseAdoptArguments(argv)).toThrow(message);
  });

  it("parses --no-plan, and proves by default", () => {
    expect(parseAdoptArguments(["--state", "x", "--env", "dev", "--no-plan"])).toEqual({ statePath: "x", environment: "dev", dryRun: false, out: undefined, plan: false, choice: {} });
    expect(parseAdoptArguments(["--state", "x", "--env", "dev"])).toMatchObject({ plan: true });
  });

  it("says plainly that the proposal is unproven without the toolchain, or with --no-plan, and how to prove it", () => {
    const state = write("terraform.tfstate", bookState());
    const report = run(state).report;
    expect(report[report.length - 2]).toMatch(
      new RegExp(`^unproven: the toolchain is not there \\(missing ${path.join(dir, "no-toolchain", "bin", "tofu").replace(/[.]/g, "\\.")}, .*\\), so no tofu plan was run\\. Build it \\(npm run toolchain\\)`),
    );
    const skipped = adopt({ statePath: state, environment: "legacy", environments: environments(), out: path.join(dir, "legacy.json"), env: {}, plan: false });
    expect(skipped.report).toContain("unproven (--no-plan): no tofu plan was run; run npm run adopt without --no-plan to prove the proposal before writing it.");
  });

  it("names an unknown environment", () => {
    expect(() => adopt({ statePath: "x", environment: "prd", environments: ENVIRONMENTS, env: {} })).toThrow("--env prd: no such environment; did you mean prod?");
  });

  it("parses addresses of counted and module resources in raw state", () => {
    const parsed = parseState(
      JSON.stringify({ version: 4, resources: [{ module: 'module.a["x"]', mode: "managed", type: "aws_instance", name: "web", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ index_key: 0, attributes: {} }, { index_key: 1, attributes: {} }] }] }),
      "s",
    );
    expect(parsed.resources.map((r) => r.address)).toEqual(['module.a["x"].aws_instance.web[0]', 'module.a["x"].aws_instance.web[1]']);
    expect(parsed.providers).toEqual(["registry.terraform.io/hashicorp/aws"]);
  });
});

describe("npm run adopt: a state written with terraform-aws-modules (alb v10, autoscaling v9)", () => {
  let dir: string;
  const run = (state: unknown, change: Partial<EnvironmentConfig> = {}) => {
    const statePath = path.join(dir, "terraform.tfstate");
    fs.writeFileSync(statePath, JSON.stringify(state));
    return adopt({ statePath, environment: "legacy", environments: { legacy: { ...ENVIRONMENTS.dev, ...change } }, out: path.join(dir, "legacy.json"), env: {}, toolchainHome: path.join(dir, "no-toolchain") });
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-modules-test-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("maps every keyed module resource by shape, the module's instance profile and role with them", () => {
    const result = run(modulesState());
    expect(Object.fromEntries(Object.entries(result.file.adoption.resources).map(([ours, entry]) => [entry.from, ours]))).toEqual({
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
    });
    expect(result.file.adoption.leftovers).toEqual({
      'module.alb.aws_vpc_security_group_egress_rule.this["all"]': "destroy",
      "aws_vpc_security_group_egress_rule.instances_all": "destroy",
      'module.asg.aws_autoscaling_traffic_source_attachment.this["app"]': "forget",
      'module.asg.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"]': "forget",
    });
    // Created from prefixes: the prefixes are kept, so nothing is renamed (renaming replaces).
    expect(result.file.names).toMatchObject({
      instanceRole: { namePrefix: "tfam-app-" },
      instanceProfile: { namePrefix: "tfam-app-" },
      launchTemplate: { namePrefix: "tfam-app-" },
      autoScalingGroup: { namePrefix: "tfam-app-" },
      loadBalancerSecurityGroup: { namePrefix: "tfam-alb-" },
    });
    const report = result.report.join("\n");
    // What stays attached when the attachments are forgotten is said, not left to guess.
    expect(report).toContain('module.asg.aws_autoscaling_traffic_source_attachment.this["app"] (the target group module.alb.aws_lb_target_group.this["app"] stays attached to the group, which now names it in target_group_arns; removed from state only)');
    expect(report).toContain('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore stays attached to the adopted role module.asg.aws_iam_role.this[0], which this stack does not attach it to: set it to "destroy" to detach it');
  });

  it("moves the role's policy attachment when the stack attaches the same policy (ssmAccess managed-instance-core)", () => {
    const result = run(modulesState(), { ssmAccess: "managed-instance-core" });
    expect(result.file.adoption.resources["auto-scaling-group/ssm-managed-instance-core"]).toEqual({ from: 'module.asg.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"]' });
    expect(result.file.adoption.leftovers).not.toHaveProperty(['module.asg.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"]']);
  });

  it("refuses an instance role or profile under another path than /, which would replace it", () => {
    const state = modulesState();
    for (const resource of state.resources.filter((r) => r.type === "aws_iam_role" || r.type === "aws_iam_instance_profile")) {
      resource.instances[0].attributes.path = "/apps/";
    }
    expect(() => run(state)).toThrow(/module\.asg\.aws_iam_role\.this\[0\]: path "\/apps\/"; this project's instance role and profile are at "\/", so it would be replaced/);
    expect(fs.existsSync(path.join(dir, "legacy.json"))).toBe(false);
  });

  it("finds the instance profile by the launch template's ARN or name, and its role by the profile's role", () => {
    const raw = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: "managed", type, name, provider: 'provider["registry.opentofu.org/hashicorp/aws"]', instances: [{ attributes }] });
    const parsed = parseState(
      JSON.stringify({
        version: 4,
        resources: [
          raw("aws_iam_instance_profile", "a", { arn: "arn:aws:iam::1:instance-profile/a", name: "a", role: "role-a" }),
          raw("aws_iam_instance_profile", "b", { arn: "arn:aws:iam::1:instance-profile/b", name: "b", role: "role-b" }),
          raw("aws_iam_role", "a", { name: "role-a" }),
          raw("aws_iam_role", "b", { name: "role-b" }),
        ],
      }),
      "s",
    ).resources;
    const profiles = parsed.filter((r) => r.type === "aws_iam_instance_profile");
    const roles = parsed.filter((r) => r.type === "aws_iam_role");
    const found = (iam: unknown) => {
      const template = parseState(JSON.stringify({ version: 4, resources: [raw("aws_launch_template", "t", { iam_instance_profile: iam })] }), "t").resources[0];
      const { profile, role } = instanceProfileAndRole(template, profiles, roles);
      return [profile?.address, role?.address];
    };
    expect(found([{ arn: "arn:aws:iam::1:instance-profile/b", name: "" }])).toEqual(["aws_iam_instance_profile.b", "aws_iam_role.b"]);
    expect(found([{ arn: "", name: "a" }])).toEqual(["aws_iam_instance_profile.a", "aws_iam_role.a"]);
    // A profile made elsewhere (not in this state), or none: nothing to take over.
    expect(found([{ arn: "arn:aws:iam::1:instance-profile/other", name: "" }])).toEqual([undefined, undefined]);
    expect(found([])).toEqual([undefined, undefined]);
    expect(instanceProfileAndRole(undefined, profiles, roles)).toEqual({});
  });
});
