/**
 * The review's classes, one edit at a time, as a reviewer would try them (issue 17): each plan
 * is the recorded no-change plan of sample-app-local (the shape `tofu show -json` prints) with
 * the smallest edit that makes one change, then the classification and the exit code read.
 *
 * An outage must never be benign or a rolling update; a debatable change needs approval;
 * anything no rule covers needs approval ("not classified"), never passes.
 */
import * as fs from "fs";
import * as path from "path";
import { Finding, classifyChanges } from "../../../ops/review/classify";
import { PlanJson, ResourceChange } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const STACK = "sample-app-local";

function recorded(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
}

type Values = Record<string, unknown>;

interface Edit {
  /** Resource type, and a fragment of the address when the type has several resources. */
  readonly type: string;
  readonly address?: string;
  readonly action: "update" | "delete" | "replace" | "create";
  /** Attributes set in `after` (update, replace) or the whole `after` (create). */
  readonly set?: Values | ((before: Values) => Values);
  /** Attributes set in `before` too (a prior state this stack would not write itself). */
  readonly before?: Values;
  /** replace_paths of a replacement. */
  readonly forcedBy?: string[];
}

const ACTIONS = { update: ["update"], delete: ["delete"], replace: ["delete", "create"], create: ["create"] } as const;

function find(plan: PlanJson, type: string, address?: string): ResourceChange {
  const matches = (plan.resource_changes ?? []).filter((rc) => rc.type === type && (!address || rc.address.includes(address)));
  if (matches.length !== 1) throw new Error(`test setup: ${matches.length} ${type} resources match ${address ?? "(any)"}`);
  return matches[0];
}

/** The recorded plan with edits applied, each to one resource (or a new one for `create`). */
function edited(base: string, ...edits: Edit[]): PlanJson {
  const plan = recorded(base);
  for (const e of edits) {
    if (e.action === "create") {
      const after = typeof e.set === "function" ? e.set({}) : (e.set ?? {});
      const address = `${e.type}.${e.address ?? "added"}`;
      (plan.resource_changes as ResourceChange[]).push({
        address,
        mode: "managed",
        type: e.type,
        name: e.address ?? "added",
        provider_name: "registry.opentofu.org/hashicorp/aws",
        change: { actions: ["create"], before: null, after, after_unknown: {} },
      } as unknown as ResourceChange);
      continue;
    }
    const rc = find(plan, e.type, e.address);
    const before = { ...(rc.change.before as Values), ...(e.before ?? {}) };
    const patch = typeof e.set === "function" ? e.set(before) : (e.set ?? {});
    Object.assign(rc.change, {
      actions: [...ACTIONS[e.action]],
      before,
      after: e.action === "delete" ? null : { ...before, ...patch },
      after_unknown: {},
      replace_paths: e.forcedBy?.map((p) => [p]),
    });
  }
  return plan;
}

/** A new resource in the plan whose `before` is given: an existing resource of a type the stack does not write itself. */
function withExisting(plan: PlanJson, type: string, name: string, action: "delete" | "update", before: Values, after?: Values): PlanJson {
  (plan.resource_changes as ResourceChange[]).push({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: "registry.opentofu.org/hashicorp/aws",
    change: { actions: [action], before, after: action === "delete" ? null : { ...before, ...after }, after_unknown: {} },
  } as unknown as ResourceChange);
  return plan;
}

function findingOf(plan: PlanJson, type: string, address?: string): Finding {
  const matches = classifyChanges(plan).filter((f) => f.type === type && (!address || f.address.includes(address)));
  if (matches.length !== 1) throw new Error(`${matches.length} findings of ${type} ${address ?? ""}: ${JSON.stringify(classifyChanges(plan), null, 1)}`);
  return matches[0];
}

function exitOf(plan: PlanJson): number {
  return buildReport(plan, { stack: STACK, environment: "local" }).exitCode;
}

const block = (v: unknown) => (v as Values[])[0];
const TG = (before: Values) => block(before.health_check);
const LB_DNS = () => {
  const lb = find(recorded("no-changes"), "aws_lb").change.before as Values;
  return { dns: lb.dns_name as string, zone: lb.zone_id as string };
};

/** Each outage the issue lists: the edit, the class, and the words a reviewer must read. */
const OUTAGES: Array<[string, Edit[], RegExp]> = [
  ["the group's desired capacity set to 0", [{ type: "aws_autoscaling_group", action: "update", set: { desired_capacity: 0 } }], /0 instances|no instances|capacity/i],
  ["the group's min and desired capacity set to 0", [{ type: "aws_autoscaling_group", action: "update", set: { min_size: 0, desired_capacity: 0 } }], /0 instances|no instances|capacity/i],
  ["the group's target_group_arns emptied", [{ type: "aws_autoscaling_group", action: "update", set: { target_group_arns: [] } }], /deregistered|target group/i],
  ["the load balancer moved to the private subnets", [{ type: "aws_lb", action: "update", set: { subnets: ["subnet-c05e3cd8d5f648abf", "subnet-c5f9982a990ab059f"] } }], /subnet/i],
  ["the load balancer given other security groups", [{ type: "aws_lb", action: "update", set: { security_groups: ["sg-0000000000000000a"] } }], /security group/i],
  [
    "the listener's default action sent to another target group",
    [{ type: "aws_lb_listener", action: "update", set: (b) => ({ default_action: [{ ...block(b.default_action), target_group_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/0123456789abcdef" }] }) }],
    /default action|target group/i,
  ],
  [
    "the listener's default action a fixed 503",
    [
      {
        type: "aws_lb_listener",
        action: "update",
        set: (b) => ({ default_action: [{ ...block(b.default_action), type: "fixed-response", target_group_arn: "", fixed_response: [{ content_type: "text/plain", message_body: "down", status_code: "503" }] }] }),
      },
    ],
    /fixed|503|default action/i,
  ],
  ["the listener's port changed", [{ type: "aws_lb_listener", action: "update", set: { port: 8081 } }], /port/i],
  ["the target group's health check path changed", [{ type: "aws_lb_target_group", action: "update", set: (b) => ({ health_check: [{ ...TG(b), path: "/healthz" }] }) }], /health check/i],
  ["the target group's health check port changed", [{ type: "aws_lb_target_group", action: "update", set: (b) => ({ health_check: [{ ...TG(b), port: "9090" }] }) }], /health check/i],
  ["the target group's health check matcher changed", [{ type: "aws_lb_target_group", action: "update", set: (b) => ({ health_check: [{ ...TG(b), matcher: "204" }] }) }], /health check/i],
  ["the instances' security group's inline ingress emptied", [{ type: "aws_security_group", address: "auto-scaling-group", action: "update", set: { ingress: [] } }], /ingress|reach/i],
  ["the instances' security group's inline egress emptied", [{ type: "aws_security_group", address: "auto-scaling-group", action: "update", set: { egress: [] } }], /egress|reach/i],
  ["the load balancer's security group's inline ingress emptied", [{ type: "aws_security_group", address: "load-balancer", action: "update", set: { ingress: [] } }], /ingress|reach/i],
  ["the app-port rule's port changed", [{ type: "aws_vpc_security_group_ingress_rule", address: "auto-scaling-group", action: "update", set: { from_port: 8081, to_port: 8081 } }], /port|rule/i],
  ["the load balancer's ingress rule's CIDR changed", [{ type: "aws_vpc_security_group_ingress_rule", address: "ingress-80", action: "update", set: { cidr_ipv4: "10.0.0.0/8" } }], /cidr|rule|10\.0\.0\.0\/8/i],
  [
    "the private default route moved from the NAT gateway to the internet gateway",
    [{ type: "aws_route", address: "private-default-route", action: "update", set: { nat_gateway_id: "", gateway_id: "igw-646633231f0351ebd" } }],
    /route|target|gateway/i,
  ],
  ["the private route table's routes emptied", [{ type: "aws_route_table", address: "private-route-table_", action: "update", set: { route: [] } }], /route/i],
  ["the access-log bucket deleted", [{ type: "aws_s3_bucket", action: "delete" }], /log/i],
  ["the load balancer deleted", [{ type: "aws_lb", action: "delete" }], /entry point|request/i],
  ["the launch template deleted while the group uses it", [{ type: "aws_launch_template", action: "delete" }], /template|group/i],
];

describe("outages are disruptive (exit 3), never benign or a rolling update", () => {
  it.each(OUTAGES)("%s", (_what, edits, words) => {
    const plan = edited("no-changes", ...edits);
    const finding = findingOf(plan, edits[0].type, edits[0].address);
    expect({ class: finding.class, exit: exitOf(plan) }).toEqual({ class: "disruptive", exit: EXIT_CODES.disruptive });
    expect(finding.impact).toMatch(words);
  });

  it("a new image with min healthy 0 % / max 100 % takes every instance out at once", () => {
    const plan = recorded("image-change");
    const group = find(plan, "aws_autoscaling_group").change;
    for (const values of [group.before, group.after] as Values[]) {
      const preferences = block(block(values.instance_refresh).preferences);
      Object.assign(preferences, { min_healthy_percentage: 0, max_healthy_percentage: 100 });
    }
    const finding = findingOf(plan, "aws_autoscaling_group");
    expect(finding.class).toBe("disruptive");
    expect(finding.impact).toMatch(/0 ?%/);
    const report = buildReport(plan, { stack: STACK, environment: "local" });
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
    expect(JSON.stringify(report)).not.toMatch(/no downtime expected/i);
  });

  it("a Route 53 alias to the load balancer deleted", () => {
    const { dns, zone } = LB_DNS();
    const plan = withExisting(recorded("no-changes"), "aws_route53_record", "app", "delete", {
      name: "app.example.com",
      type: "A",
      zone_id: "Z0000000000000",
      alias: [{ name: dns, zone_id: zone, evaluate_target_health: true }],
    });
    const finding = findingOf(plan, "aws_route53_record");
    expect(finding.class).toBe("disruptive");
    expect(finding.impact).toMatch(/DNS|name/i);
    expect(exitOf(plan)).toBe(EXIT_CODES.disruptive);
  });

  it("the WAF association deleted", () => {
    const lb = find(recorded("no-changes"), "aws_lb").change.before as Values;
    const plan = withExisting(recorded("no-changes"), "aws_wafv2_web_acl_association", "waf", "delete", {
      resource_arn: lb.arn,
      web_acl_arn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/app/0000",
    });
    const finding = findingOf(plan, "aws_wafv2_web_acl_association");
    expect(finding.class).toBe("disruptive");
    expect(finding.impact).toMatch(/WAF|web ACL|unfiltered|protect/i);
  });
});

/** Debatable: may be intended, may hurt. A person approves (exit 3), never a silent pass. */
const DEBATABLE: Array<[string, Edit[], RegExp]> = [
  ["health check type ELB to EC2", [{ type: "aws_autoscaling_group", action: "update", set: { health_check_type: "EC2" } }], /EC2|health check/i],
  [
    "auto rollback off",
    [{ type: "aws_autoscaling_group", action: "update", set: (b) => ({ instance_refresh: [{ ...block(b.instance_refresh), preferences: [{ ...block(block(b.instance_refresh).preferences), auto_rollback: false }] }] }) }],
    /roll ?back/i,
  ],
  [
    "the rollout alarms removed from the refresh",
    [{ type: "aws_autoscaling_group", action: "update", set: (b) => ({ instance_refresh: [{ ...block(b.instance_refresh), preferences: [{ ...block(block(b.instance_refresh).preferences), alarm_specification: [] }] }] }) }],
    /no longer watches/i,
  ],
  ["processes suspended", [{ type: "aws_autoscaling_group", action: "update", set: { suspended_processes: ["Launch", "HealthCheck"] } }], /suspend|Launch/i],
  ["the group's subnets changed", [{ type: "aws_autoscaling_group", action: "update", set: { vpc_zone_identifier: ["subnet-c05e3cd8d5f648abf"] } }], /subnet/i],
  ["the load balancer down to one subnet", [{ type: "aws_lb", action: "update", set: (b) => ({ subnets: [(b.subnets as string[])[0]] }) }], /subnet/i],
  ["deregistration delay 0", [{ type: "aws_lb_target_group", action: "update", set: { deregistration_delay: "0" } }], /deregistration|in-flight|drain/i],
  ["deregistration delay shortened (30 s to 5 s)", [{ type: "aws_lb_target_group", action: "update", set: { deregistration_delay: "5" } }], /shortened from 30 s to 5 s.*drain/i],
  ["deregistration delay not a number of seconds", [{ type: "aws_lb_target_group", action: "update", set: { deregistration_delay: "30s" } }], /not a number of seconds/i],
  ["health check type neither ELB nor EC2 (VPC_LATTICE)", [{ type: "aws_autoscaling_group", action: "update", set: { health_check_type: "VPC_LATTICE" } }], /VPC_LATTICE.*not ELB/i],
  ["the group's minimum lowered to one instance", [{ type: "aws_autoscaling_group", action: "update", set: { min_size: 1 } }], /floor drops from 2 to 1 instance: .*single instance/i],
  ["the instance role's policy deleted", [{ type: "aws_iam_role_policy", address: "auto-scaling-group", action: "delete" }], /polic|permission|instance/i],
  ["the flow-log group deleted", [{ type: "aws_cloudwatch_log_group", action: "delete" }], /log/i],
  ["a rollout alarm's threshold raised", [{ type: "aws_cloudwatch_metric_alarm", address: "target-5xx", action: "update", set: { threshold: 1000 } }], /alarm|threshold/i],
  ["the target group's health check thresholds loosened", [{ type: "aws_lb_target_group", action: "update", set: (b) => ({ health_check: [{ ...TG(b), unhealthy_threshold: 10 }] }) }], /health check|threshold/i],
];

describe("debatable changes need approval (exit 3)", () => {
  it.each(DEBATABLE)("%s", (_what, edits, words) => {
    const plan = edited("no-changes", ...edits);
    const finding = findingOf(plan, edits[0].type, edits[0].address);
    expect(["needs-review", "disruptive"]).toContain(finding.class);
    expect(exitOf(plan)).toBe(EXIT_CODES.disruptive);
    expect(finding.impact).toMatch(words);
  });
});

describe("no false alarms", () => {
  it.each<[string, Edit]>([
    ["a longer deregistration delay", { type: "aws_lb_target_group", action: "update", set: { deregistration_delay: "120" } }],
    ["a higher minimum", { type: "aws_autoscaling_group", action: "update", set: { min_size: 3, max_size: 6 } }],
  ])("%s is benign", (_what, edit) => {
    const plan = edited("no-changes", edit);
    expect(findingOf(plan, edit.type).class).toBe("benign");
    expect(exitOf(plan)).toBe(EXIT_CODES.ok);
  });

  it("replacing the flow-log IAM role is benign: the flow log follows the new role, the instances keep their credentials", () => {
    const plan = edited("no-changes", { type: "aws_iam_role", address: "flow-log", action: "replace", set: { name: "sample-app-local-flow-log-v2" }, forcedBy: ["name"] });
    const finding = findingOf(plan, "aws_iam_role", "flow-log");
    expect(finding.class).toBe("benign");
    expect(finding.impact).not.toMatch(/credentials/i);
    expect(exitOf(plan)).toBe(EXIT_CODES.ok);
  });

  it("a launch template replaced under a new name, picked up by the group's instance refresh, is a rolling update", () => {
    const plan = recorded("image-change");
    const template = find(plan, "aws_launch_template");
    const group = find(plan, "aws_autoscaling_group");
    const before = template.change.before as Values;
    Object.assign(template.change, {
      actions: ["create", "delete"],
      after: { ...(template.change.after as Values), name: "sample-app-local-v2", id: null, latest_version: null },
      after_unknown: { id: true, latest_version: true, arn: true },
      replace_paths: [["name"]],
    });
    const groupAfter = group.change.after as Values;
    groupAfter.launch_template = [{ ...block(groupAfter.launch_template), id: null, name: "sample-app-local-v2", version: null }];
    Object.assign(group.change, { after_unknown: { ...(group.change.after_unknown ?? {}), launch_template: [{ id: true, version: true }] } });
    expect(before.name).not.toBe("sample-app-local-v2");
    const findings = classifyChanges(plan);
    expect(findings.map((f) => `${f.type}:${f.kind}:${f.class}`).sort()).toEqual(["aws_autoscaling_group:update:rolling-update", "aws_launch_template:replace:rolling-update"]);
    expect(exitOf(plan)).toBe(EXIT_CODES.ok);
  });

  it("tags alone are benign", () => {
    const plan = edited("no-changes", { type: "aws_lb", action: "update", set: { tags: { Name: STACK, Team: "web" } } });
    expect(findingOf(plan, "aws_lb").class).toBe("benign");
    expect(exitOf(plan)).toBe(EXIT_CODES.ok);
  });

  it("the group's max size raised is benign", () => {
    const plan = edited("no-changes", { type: "aws_autoscaling_group", action: "update", set: { max_size: 6 } });
    expect(findingOf(plan, "aws_autoscaling_group").class).toBe("benign");
  });
});

describe("fail closed: what no rule covers needs approval", () => {
  it("a type the review has no rule for", () => {
    const plan = withExisting(recorded("no-changes"), "aws_sqs_queue", "jobs", "update", { name: "jobs", visibility_timeout_seconds: 30 }, { visibility_timeout_seconds: 60 });
    const finding = findingOf(plan, "aws_sqs_queue");
    expect(finding).toMatchObject({ class: "needs-review" });
    expect(finding.impact).toMatch(/^not classified: review by hand/);
    expect(exitOf(plan)).toBe(EXIT_CODES.disruptive);
  });

  it("an attribute of a known type its rule does not name", () => {
    const plan = edited("no-changes", { type: "aws_lb", action: "update", set: { some_future_attribute: true }, before: { some_future_attribute: false } });
    const finding = findingOf(plan, "aws_lb");
    expect(finding.class).toBe("needs-review");
    expect(finding.impact).toMatch(/not classified: review by hand.*some_future_attribute/);
  });

  it("an unknown attribute beside a benign one keeps the worse class", () => {
    const plan = edited("no-changes", { type: "aws_lb", action: "update", set: { tags: { Name: "x" }, some_future_attribute: true }, before: { some_future_attribute: false } });
    expect(findingOf(plan, "aws_lb").class).toBe("needs-review");
  });

  it("an action the review does not know is an error, not a pass", () => {
    const plan = recorded("no-changes");
    Object.assign(find(plan, "aws_lb").change, { actions: ["frobnicate"] });
    expect(() => exitOf(plan)).toThrow(/unknown plan action combination: \[frobnicate\]/);
  });
});
