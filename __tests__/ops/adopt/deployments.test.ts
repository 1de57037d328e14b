/**
 * npm run adopt on states that hold more than one deployment (module instances per colour, a
 * second ALB or group) or live in another region: the objects are tied together by what
 * references what, the rest is listed with the flag that picks one, and nothing of another
 * deployment is ever destroyed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../../config/environments";
import { AdoptError, adopt } from "../../../ops/adopt/command";
import { parseAdoptArguments } from "../../../ops/adopt/arguments";
import { DeploymentChoice, chooseDeployment } from "../../../ops/adopt/deployment";
import { parseState } from "../../../ops/adopt/terraform-state";

const VPC = "vpc-0a1b2c3d4e5f60718";
const ACCOUNT = "123456789012";

interface Colour {
  readonly key: string;
  /** Whether the group names its target group (else an aws_autoscaling_attachment does). */
  readonly attachment?: boolean;
}

/**
 * A raw state with one book-shaped deployment per colour, as `module.alb["blue"]` and
 * `module.asg["blue"]` instances: load balancer, listener, target group, groups and rules.
 */
function colouredState(colours: Colour[], region = "us-east-1") {
  const p = 'provider["registry.opentofu.org/hashicorp/aws"]';
  const resources: Record<string, unknown>[] = [
    { mode: "data", type: "aws_vpc", name: "default", provider: p, instances: [{ attributes: { id: VPC, default: true } }] },
  ];
  const add = (module: string, type: string, name: string, attributes: Record<string, unknown>) => {
    const existing = resources.find((r) => r.module === module && r.type === type && r.name === name);
    if (existing) throw new Error("duplicate");
    resources.push({ module, mode: "managed", type, name, provider: p, instances: [{ schema_version: 0, attributes }] });
  };
  for (const { key, attachment } of colours) {
    const alb = `module.alb["${key}"]`;
    const asg = `module.asg["${key}"]`;
    const lbArn = `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/${key}/0000000000000001`;
    const tgArn = `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/${key}/0000000000000002`;
    const albSg = `sg-${key}-alb`;
    const asgSg = `sg-${key}-asg`;
    const groupName = `app-${key}`;
    add(alb, "aws_lb", "sample_app", { id: lbArn, arn: lbArn, name: `app-${key}`, name_prefix: "", dns_name: `app-${key}.elb.amazonaws.com`, internal: false, load_balancer_type: "application", security_groups: [albSg] });
    add(alb, "aws_lb_target_group", "sample_app", { id: tgArn, arn: tgArn, name: `app-${key}`, name_prefix: "", port: 8080, protocol: "HTTP", target_type: "instance", vpc_id: VPC, health_check: [{ path: "/", matcher: "200", protocol: "HTTP" }] });
    add(alb, "aws_lb_listener", "sample_app", { id: `${lbArn}/listener`, arn: `${lbArn}/listener`, load_balancer_arn: lbArn, port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: tgArn }] });
    add(alb, "aws_security_group", "alb", { id: albSg, name: `app-${key}-alb`, name_prefix: "", description: "alb", vpc_id: VPC });
    add(alb, "aws_security_group_rule", "http_in", { id: "r1", type: "ingress", security_group_id: albSg, protocol: "tcp", from_port: 80, to_port: 80, cidr_blocks: ["0.0.0.0/0"], security_group_rule_id: `sgr-${key}1` });
    add(alb, "aws_security_group_rule", "all_out", { id: "r3", type: "egress", security_group_id: albSg, protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"], security_group_rule_id: `sgr-${key}3` });
    add(asg, "aws_security_group", "app", { id: asgSg, name: `app-${key}-asg`, name_prefix: "", description: "asg", vpc_id: VPC });
    add(asg, "aws_security_group_rule", "app_in", { id: "r2", type: "ingress", security_group_id: asgSg, protocol: "tcp", from_port: 8080, to_port: 8080, source_security_group_id: albSg, security_group_rule_id: `sgr-${key}2` });
    add(asg, "aws_launch_template", "app", { id: `lt-${key}`, arn: `arn:aws:ec2:${region}:${ACCOUNT}:launch-template/lt-${key}`, name: `app-${key}`, name_prefix: "", vpc_security_group_ids: [asgSg] });
    add(asg, "aws_autoscaling_group", "app", {
      id: groupName, arn: `arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:1:autoScalingGroupName/${groupName}`, name: groupName, name_prefix: "",
      target_group_arns: attachment ? [] : [tgArn], launch_template: [{ id: `lt-${key}`, name: `app-${key}`, version: "$Latest" }],
    });
    if (attachment) add(asg, "aws_autoscaling_attachment", "app", { id: `${groupName}-attach`, autoscaling_group_name: groupName, lb_target_group_arn: tgArn });
  }
  return { version: 4, terraform_version: "1.10.10", serial: 3, lineage: "e0c6f0c2-0000-4000-8000-000000000001", outputs: {}, resources };
}

describe("npm run adopt: which deployment of a state", () => {
  let dir: string;
  const write = (content: unknown) => {
    const file = path.join(dir, "terraform.tfstate");
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const run = (statePath: string, choice: DeploymentChoice = {}) =>
    adopt({ statePath, environment: "legacy", environments: { legacy: ENVIRONMENTS.dev }, out: path.join(dir, "legacy.json"), env: {}, choice, plan: false });
  const refusal = (fn: () => unknown) => {
    let error: Error | undefined;
    try {
      fn();
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toBeInstanceOf(AdoptError);
    expect(error!.message).toContain("Nothing was written.");
    expect(fs.existsSync(path.join(dir, "legacy.json"))).toBe(false);
    return error!.message;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-deployments-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("asks which load balancer when the state holds two, listing them with the flag that picks one", () => {
    const message = refusal(() => run(write(colouredState([{ key: "blue" }, { key: "green" }]))));
    expect(message).toContain("the state has 2 load balancers (aws_lb); this stack takes over one. Say which with --load-balancer ADDRESS (or a module path holding one), one of:");
    expect(message).toContain('module.alb["blue"].aws_lb.sample_app (app-blue, app-blue.elb.amazonaws.com)');
    expect(message).toContain('module.alb["green"].aws_lb.sample_app (app-green, app-green.elb.amazonaws.com)');
  });

  it("takes over the chosen deployment by a module path and forgets the other one, never destroying it", () => {
    const result = run(write(colouredState([{ key: "blue" }, { key: "green" }])), { loadBalancer: 'module.alb["green"]' });
    expect(result.written).toBe(path.join(dir, "legacy.json"));
    const file = result.file;
    expect(file.adoption.resources["load-balancer/load-balancer"]).toEqual({ from: 'module.alb["green"].aws_lb.sample_app' });
    expect(file.adoption.resources["load-balancer/target-group"]).toEqual({ from: 'module.alb["green"].aws_lb_target_group.sample_app' });
    expect(file.adoption.resources["load-balancer/http-listener"]).toEqual({ from: 'module.alb["green"].aws_lb_listener.sample_app' });
    expect(file.adoption.resources["auto-scaling-group/asg"]).toEqual({ from: 'module.asg["green"].aws_autoscaling_group.app' });
    expect(file.adoption.resources["auto-scaling-group/launch-template"]).toEqual({ from: 'module.asg["green"].aws_launch_template.app' });
    expect(file.names.loadBalancer).toEqual({ name: "app-green" });
    // Every object of blue is forgotten (left in AWS), rules included: none is destroyed.
    const blue = Object.entries(file.adoption.leftovers ?? {}).filter(([address]) => address.includes('"blue"'));
    expect(blue.map(([address]) => address).sort()).toEqual([
      'module.alb["blue"].aws_lb.sample_app',
      'module.alb["blue"].aws_lb_listener.sample_app',
      'module.alb["blue"].aws_lb_target_group.sample_app',
      'module.alb["blue"].aws_security_group.alb',
      'module.alb["blue"].aws_security_group_rule.all_out',
      'module.alb["blue"].aws_security_group_rule.http_in',
      'module.asg["blue"].aws_autoscaling_group.app',
      'module.asg["blue"].aws_launch_template.app',
      'module.asg["blue"].aws_security_group.app',
      'module.asg["blue"].aws_security_group_rule.app_in',
    ]);
    expect(blue.every(([, action]) => action === "forget")).toBe(true);
    const report = result.report.join("\n");
    expect(report).toContain('module.alb["blue"].aws_lb.sample_app (not the chosen load balancer (module.alb["green"].aws_lb.sample_app): removed from state, kept in AWS)');
    expect(report).toContain('module.alb["blue"].aws_security_group_rule.http_in (a rule of module.alb["blue"].aws_security_group.alb, which this stack does not take over: removed from state, kept in AWS)');
    expect(report).toContain('chosen: module.asg["green"].aws_autoscaling_group.app: the state has 2 auto scaling groups (aws_autoscaling_group); this one is the one attached to the chosen target group');
  });

  it("forgets a rule it does not keep when another deployment's instance of it must stay, and says how to delete it", () => {
    const result = run(write(colouredState([{ key: "blue" }, { key: "green" }])), { loadBalancer: 'module.alb["green"]' });
    // Green's ALB egress to the world is not kept, but blue's instance of the same resource
    // must stay: one removed block cannot destroy one and keep the other.
    expect(result.file.adoption.leftovers?.['module.alb["green"].aws_security_group_rule.all_out']).toBe("forget");
    const report = result.report.join("\n");
    expect(report).toContain(
      'delete by hand after the apply (not kept by the stack, but only forgotten: a removed block cannot destroy one instance of a resource and keep another):\n  module.alb["green"].aws_security_group_rule.all_out: aws ec2 revoke-security-group-egress --group-id sg-green-alb --security-group-rule-ids sgr-green3',
    );
    expect(report).toContain('forgotten, not destroyed, because module.alb["blue"].aws_security_group_rule.all_out at the same resource address is kept');
    expect(report).not.toContain("destroyed (deliberately not kept):");
  });

  it("ties the group to the chosen load balancer through an aws_autoscaling_attachment too", () => {
    const state = parseState(JSON.stringify(colouredState([{ key: "blue", attachment: true }, { key: "green", attachment: true }])), "s");
    const selection = chooseDeployment(state, { loadBalancer: 'module.alb["blue"].aws_lb.sample_app' }, "s");
    expect(selection.ok).toBe(true);
    if (!selection.ok) return;
    expect([...selection.notChosen.keys()]).toEqual(expect.arrayContaining(['module.asg["green"].aws_autoscaling_group.app', 'module.asg["green"].aws_launch_template.app']));
    expect(selection.notChosen.has('module.asg["blue"].aws_autoscaling_group.app')).toBe(false);
  });

  it("follows a chosen group to its target group, load balancer and launch template", () => {
    const state = parseState(JSON.stringify(colouredState([{ key: "blue" }, { key: "green" }])), "s");
    const selection = chooseDeployment(state, { group: 'module.asg["blue"]' }, "s");
    expect(selection.ok && [...selection.notChosen.keys()].sort()).toEqual([
      'module.alb["green"].aws_lb.sample_app',
      'module.alb["green"].aws_lb_listener.sample_app',
      'module.alb["green"].aws_lb_target_group.sample_app',
      'module.asg["green"].aws_autoscaling_group.app',
      'module.asg["green"].aws_launch_template.app',
    ]);
  });

  it("names a chosen address the state does not have, with what it has", () => {
    const message = refusal(() => run(write(colouredState([{ key: "blue" }, { key: "green" }])), { group: 'module.asg["red"]' }));
    expect(message).toContain('--group module.asg["red"]: no auto scaling groups (aws_autoscaling_group) at that address or below that module in');
    expect(message).toContain('the state\'s auto scaling groups (aws_autoscaling_group): module.asg["blue"].aws_autoscaling_group.app (app-blue); module.asg["green"].aws_autoscaling_group.app (app-green)');
  });

  it("refuses a module path that holds more than one of what it picks", () => {
    const state = parseState(JSON.stringify(colouredState([{ key: "blue" }, { key: "green" }])), "s");
    const selection = chooseDeployment(state, { loadBalancer: "module" }, "s");
    expect(selection.ok).toBe(false);
    // "module" is no module path: nothing is below "module." with the key syntax.
    const twoBelow = chooseDeployment(
      parseState(JSON.stringify({ ...colouredState([{ key: "blue" }]), resources: [...colouredState([{ key: "blue" }]).resources, ...colouredState([{ key: "blue" }]).resources.slice(1).map((r) => ({ ...r, name: `${String(r.name)}_2` }))] }), "s"),
      { loadBalancer: 'module.alb["blue"]' },
      "s",
    );
    expect(twoBelow.ok === false && twoBelow.problems[0]).toContain('--load-balancer module.alb["blue"]: holds 2 load balancers (aws_lb) (module.alb["blue"].aws_lb.sample_app, module.alb["blue"].aws_lb.sample_app_2); give one address');
  });

  it("refuses a state whose objects are in another region than the environment", () => {
    const message = refusal(() => run(write(colouredState([{ key: "blue" }], "eu-west-1"))));
    expect(message).toContain('module.alb["blue"].aws_lb.sample_app is in eu-west-1, but the environment legacy is in us-east-1 (aws): its stack would create new objects in us-east-1 instead of taking these over');
  });

  it("adopts a single deployment without asking, whatever its module keys", () => {
    const result = run(write(colouredState([{ key: "blue" }])));
    expect(result.file.adoption.resources["load-balancer/load-balancer"]).toEqual({ from: 'module.alb["blue"].aws_lb.sample_app' });
    expect(result.report.join("\n")).not.toContain("chosen:");
  });

  it.each<[string[], unknown]>([
    [["--load-balancer", 'module.alb["blue"]'], { loadBalancer: 'module.alb["blue"]' }],
    [["--group", "module.asg.aws_autoscaling_group.this[0]", "--target-group", 'aws_lb_target_group.this["app"]'], { group: "module.asg.aws_autoscaling_group.this[0]", targetGroup: 'aws_lb_target_group.this["app"]' }],
  ])("parses the deployment flags %j", (flags, choice) => {
    expect(parseAdoptArguments(["--state", "x", "--env", "dev", ...flags])).toMatchObject({ choice });
  });

  it("rejects an empty deployment flag as bad usage", () => {
    expect(() => parseAdoptArguments(["--state", "x", "--env", "dev", "--group", " "])).toThrow("--group is empty: give a state address");
  });
});
