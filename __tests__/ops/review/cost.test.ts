/**
 * What a change costs (ops/review/cost.ts): the monthly list price of the groups' instances, NAT
 * gateways and application load balancers before and after, from the price table; unknown values
 * and missing prices are unknown (never zero) and fail the threshold check closed; Spot is a
 * range; a raise above --cost-threshold needs approval (exit 3). The plans are the recorded plans
 * of sample-app-local (scripts/record-plan-fixtures.mjs) with the smallest edit per case.
 */
import * as fs from "fs";
import * as path from "path";
import { CostReport, DEFAULT_COST_THRESHOLD_PERCENT, PRICES, PriceTable, costOfPlan, formatRange, parseCostThreshold, planRegion } from "../../../ops/review/cost";
import { PlanJson, ResourceChange } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport, renderMarkdown } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const STACK = "sample-app-local";
const HOURS = PRICES.hoursPerMonth;
const US_EAST_1 = PRICES.regions["us-east-1"];
const NAT_MONTH = US_EAST_1.natGatewayHour * HOURS + US_EAST_1.natGatewayGb * 100;
const ALB_MONTH = US_EAST_1.albHour * HOURS;
const MICRO_MONTH = US_EAST_1.instanceHour["t3.micro"] * HOURS;

function recorded(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
}

/** A recorded plan with `edit` applied to each resource change of `type` (a deep copy). */
function edited(
  name: string,
  type: string,
  edit: (change: { before: Record<string, unknown>; after: Record<string, unknown>; after_unknown: Record<string, unknown>; actions: string[] }) => void,
  editPlan?: (plan: PlanJson, rc: ResourceChange) => void,
): PlanJson {
  const plan = recorded(name);
  for (const rc of plan.resource_changes!) {
    if (rc.type !== type) continue;
    edit(rc.change as never);
    editPlan?.(plan, rc);
  }
  return plan;
}

const item = (cost: CostReport, type: string) => cost.items.find((i) => i.address.startsWith(`${type}.`))!;
const review = (plan: PlanJson, costThresholdPercent?: number) => buildReport(plan, { stack: STACK, environment: "local", checks: [], production: false, costThresholdPercent });

/** capacity-change.json with the group's min_size (and so its desired capacity) and max_size raised to `size`. */
function capacityTo(size: number): PlanJson {
  return edited("capacity-change", "aws_autoscaling_group", (change) => {
    change.after.min_size = size;
    change.after.max_size = Math.max(size, change.after.max_size as number);
  });
}

describe("the price table (ops/review/prices.json)", () => {
  it("is dated, names its refresh, and prices every region and instance type it covers", () => {
    expect(PRICES.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "ops", "review", "prices.json"), "utf8"));
    expect(Object.keys(PRICES.regions).sort()).toEqual([...file.coverage.regions].sort());
    for (const region of Object.values(PRICES.regions)) {
      expect(Object.keys(region.instanceHour).sort()).toEqual([...file.coverage.instanceTypes].sort());
      for (const price of [...Object.values(region.instanceHour), region.natGatewayHour, region.natGatewayGb, region.albHour]) expect(price).toBeGreaterThan(0);
    }
    expect(PRICES.spotDiscount.min).toBeGreaterThanOrEqual(0);
    expect(PRICES.spotDiscount.max).toBeLessThan(1);
  });

  it("covers the region and instance type of every shipped environment", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ENVIRONMENTS } = require("../../../config/environments");
    for (const [name, env] of Object.entries(ENVIRONMENTS as Record<string, { region: string; instanceType: string; mixedInstances?: { instanceTypes: Array<{ instanceType: string }> } }>)) {
      expect({ name, price: PRICES.regions[env.region]?.instanceHour[env.instanceType] }).toEqual({ name, price: expect.any(Number) });
      for (const t of env.mixedInstances?.instanceTypes ?? []) expect({ name, type: t.instanceType, price: PRICES.regions[env.region]?.instanceHour[t.instanceType] }).toEqual({ name, type: t.instanceType, price: expect.any(Number) });
    }
  });
});

describe("costOfPlan: each resource kind from the recorded plans", () => {
  it("prices the group's instances (desired capacity × the launch template's type), the NAT gateway (hours + assumed data) and the ALB (hours)", () => {
    const cost = costOfPlan(recorded("image-change"));
    expect(cost.region).toBe("us-east-1");
    expect(item(cost, "aws_autoscaling_group").after!.high).toBeCloseTo(2 * MICRO_MONTH, 2);
    expect(item(cost, "aws_autoscaling_group").basisAfter).toBe("2 × t3.micro, On-Demand (desired capacity 2 as planned)");
    expect(item(cost, "aws_nat_gateway").after!.high).toBeCloseTo(NAT_MONTH, 2);
    expect(item(cost, "aws_lb").after!.high).toBeCloseTo(ALB_MONTH, 2);
    expect(cost.after.high).toBeCloseTo(2 * MICRO_MONTH + NAT_MONTH + ALB_MONTH, 1);
    expect(cost.before).toEqual(cost.after);
    expect(cost.raise).toBe(0);
    expect(cost.overThreshold).toBe(false);
    expect(cost.table).toMatchObject({ file: "ops/review/prices.json", date: PRICES.date, refresh: "npm run prices:refresh" });
  });

  it("a first deployment: nothing before, its cost stated, no threshold", () => {
    const cost = costOfPlan(recorded("initial"));
    expect(cost.before).toEqual({ low: 0, high: 0 });
    expect(cost.after.high).toBeCloseTo(2 * MICRO_MONTH + NAT_MONTH + ALB_MONTH, 1);
    expect(cost.raise).toBeNull();
    expect(cost.overThreshold).toBe(false);
  });

  it("a destroy: everything before, nothing after", () => {
    const cost = costOfPlan(recorded("destroy"));
    expect(cost.after).toEqual({ low: 0, high: 0 });
    expect(cost.items.every((i) => i.after === null)).toBe(true);
    expect(cost.raise).toBe(-1);
    expect(cost.overThreshold).toBe(false);
  });

  it("a second NAT gateway adds its hours and assumed data", () => {
    const plan = recorded("no-changes");
    const nat = plan.resource_changes!.find((rc) => rc.type === "aws_nat_gateway")!;
    plan.resource_changes!.push({ ...nat, address: "aws_nat_gateway.second", change: { ...nat.change, actions: ["create"], before: null } });
    const cost = costOfPlan(plan, { thresholdPercent: 100 });
    expect(cost.after.high! - cost.before.high!).toBeCloseTo(NAT_MONTH, 1);
    expect(cost.overThreshold).toBe(false);
  });

  it("a load balancer of another type than application is unknown, not zero", () => {
    const cost = costOfPlan(edited("no-changes", "aws_lb", (change) => { change.after.load_balancer_type = "network"; change.actions = ["update"]; }));
    expect(item(cost, "aws_lb").after).toEqual({ low: null, high: null });
    expect(item(cost, "aws_lb").notes).toEqual(["after: unknown, a network load balancer is not in the price table"]);
    expect(cost.after).toEqual({ low: null, high: null });
    expect(cost.overThreshold).toBe(true);
  });

  it("a new instance type in the launch template is priced at the new type", () => {
    const cost = costOfPlan(edited("image-change", "aws_launch_template", (change) => { change.after.instance_type = "t3.small"; }));
    expect(item(cost, "aws_autoscaling_group").before!.high).toBeCloseTo(2 * MICRO_MONTH, 2);
    expect(item(cost, "aws_autoscaling_group").after!.high).toBeCloseTo(2 * US_EAST_1.instanceHour["t3.small"] * HOURS, 2);
    expect(item(cost, "aws_autoscaling_group").changed).toBe(true);
  });
});

describe("costOfPlan: the capacity counted", () => {
  it("the desired capacity as planned, clamped up to a raised min_size (the stack may ignore desired_capacity drift)", () => {
    const cost = costOfPlan(capacityTo(4));
    expect(item(cost, "aws_autoscaling_group").after!.high).toBeCloseTo(4 * MICRO_MONTH, 2);
    expect(item(cost, "aws_autoscaling_group").basisAfter).toBe("4 × t3.micro, On-Demand (desired capacity 4 as planned (desired 2 clamped to min 4 / max 6))");
  });

  it("states the monthly figure at min_size and at max_size", () => {
    expect(item(costOfPlan(recorded("capacity-change")), "aws_autoscaling_group").scaling).toEqual({ minSize: 2, maxSize: 6, atMin: Math.round(2 * MICRO_MONTH * 100) / 100, atMax: Math.round(6 * MICRO_MONTH * 100) / 100 });
  });

  it("a desired capacity unknown at plan time spans min_size..max_size, and the raise is checked at the bound", () => {
    const plan = edited("capacity-change", "aws_autoscaling_group", (change) => {
      change.after.desired_capacity = null;
      change.after_unknown.desired_capacity = true;
    });
    const cost = costOfPlan(plan);
    expect(item(cost, "aws_autoscaling_group").after!.low).toBeCloseTo(2 * MICRO_MONTH, 2);
    expect(item(cost, "aws_autoscaling_group").after!.high).toBeCloseTo(6 * MICRO_MONTH, 2);
    expect(cost.overThreshold).toBe(true);
    expect(cost.reason).toMatch(/rises from \$68\.96 a month to \$68\.96–\$99\.33 a month \(\+44 %\)/);
  });

  it("capacity that nothing bounds is unknown and fails closed", () => {
    const plan = edited("capacity-change", "aws_autoscaling_group", (change) => {
      change.before.desired_capacity = null;
      change.after.desired_capacity = null;
      change.after.max_size = null;
      change.after_unknown.desired_capacity = true;
      change.after_unknown.max_size = true;
    });
    const cost = costOfPlan(plan);
    expect(item(cost, "aws_autoscaling_group").after).toEqual({ low: null, high: null });
    expect(item(cost, "aws_autoscaling_group").notes).toContain("after: unknown, its capacity is unknown until apply and max_size does not bound it");
    expect(cost.overThreshold).toBe(true);
    expect(cost.reason).toContain("cannot be ruled out");
  });
});

describe("costOfPlan: unknown values and missing prices are never zero", () => {
  it("an instance type unknown at plan time: unknown, needs approval", () => {
    const cost = costOfPlan(edited("image-change", "aws_launch_template", (change) => {
      change.after.instance_type = null;
      change.after_unknown.instance_type = true;
    }));
    expect(item(cost, "aws_autoscaling_group").after).toEqual({ low: null, high: null });
    expect(item(cost, "aws_autoscaling_group").notes).toEqual(["after: unknown, its instance type is unknown until apply"]);
    expect(cost.overThreshold).toBe(true);
  });

  it("an instance type missing from the table: unknown for it, needs approval", () => {
    const cost = costOfPlan(edited("image-change", "aws_launch_template", (change) => { change.after.instance_type = "x2iedn.32xlarge"; }));
    expect(item(cost, "aws_autoscaling_group").notes).toEqual(["after: unknown, the price table has no x2iedn.32xlarge in us-east-1"]);
    expect(formatRange(cost.after)).toBe("unknown");
    expect(cost.overThreshold).toBe(true);
    expect(cost.reason).toContain("the price table has no x2iedn.32xlarge in us-east-1");
  });

  it("a region missing from the table: every figure unknown; a change to what is priced needs approval, no change does not", () => {
    const inRegion = (name: string) => {
      const plan = recorded(name);
      (plan.configuration as unknown as { provider_config: { aws: { expressions: { region: { constant_value: string } } } } }).provider_config.aws.expressions.region.constant_value = "ap-southeast-4";
      return plan;
    };
    const unchanged = costOfPlan(inRegion("no-changes"));
    expect(planRegion(inRegion("no-changes"))).toBe("ap-southeast-4");
    expect(unchanged.after).toEqual({ low: null, high: null });
    expect(unchanged.items.map((i) => formatRange(i.after))).toEqual(["unknown", "unknown", "unknown"]);
    expect(item(unchanged, "aws_nat_gateway").notes).toEqual(["unknown: the price table has no region ap-southeast-4"]);
    expect(unchanged.overThreshold).toBe(false);
    const raised = costOfPlan(inRegion("capacity-change"));
    expect(raised.overThreshold).toBe(true);
  });

  it("no raise possible (nothing priced changes): an unknown figure passes", () => {
    const cost = costOfPlan(edited("image-change", "aws_launch_template", (change) => { change.before.instance_type = "x9.huge"; change.after.instance_type = "x9.huge"; }));
    expect(formatRange(cost.after)).toBe("unknown");
    expect(cost.overThreshold).toBe(false);
  });
});

/** image-change.json with the group on a mixed instances policy (types and distribution) after the change. */
function mixed(distribution: Record<string, unknown>, types: Array<[string, string]> = [["t3.small", ""], ["t3a.small", ""]], unknown: Record<string, unknown> = {}): PlanJson {
  return edited("image-change", "aws_autoscaling_group", (change) => {
    const template = (change.before.launch_template as Array<Record<string, unknown>>)[0];
    change.after.launch_template = [];
    change.after.desired_capacity = 4;
    change.after.max_size = 6;
    change.after.mixed_instances_policy = [{
      instances_distribution: [{ on_demand_allocation_strategy: "prioritized", spot_allocation_strategy: "price-capacity-optimized", ...distribution }],
      launch_template: [{ launch_template_specification: [{ launch_template_id: template.id, version: "2" }], override: types.map(([instance_type, weighted_capacity]) => ({ instance_type, weighted_capacity })) }],
    }];
    change.after_unknown.mixed_instances_policy = [{ instances_distribution: [unknown], launch_template: [{ launch_template_specification: [{}], override: types.map(() => ({})) }] }];
  }, (plan, rc) => {
    // The configuration sets the policy (as the stack does with mixedInstances).
    const resource = plan.configuration!.root_module!.resources!.find((r) => r.address === rc.address)!;
    (resource.expressions as Record<string, unknown>).mixed_instances_policy = [{}];
  });
}

describe("costOfPlan: Spot as a range", () => {
  const small = US_EAST_1.instanceHour["t3.small"];
  const smallA = US_EAST_1.instanceHour["t3a.small"];

  it("On-Demand base 1, 50 % Spot above it: low with Spot at the largest discount and the cheapest type, high at On-Demand and the dearest", () => {
    const cost = costOfPlan(mixed({ on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 50 }));
    const group = item(cost, "aws_autoscaling_group");
    // 4 instances: 1 base + 1.5 On-Demand + 1.5 Spot.
    expect(group.after!.low).toBeCloseTo((2.5 + 1.5 * (1 - PRICES.spotDiscount.max)) * smallA * HOURS, 2);
    expect(group.after!.high).toBeCloseTo((2.5 + 1.5 * (1 - PRICES.spotDiscount.min)) * small * HOURS, 2);
    expect(group.basisAfter).toBe("4 × t3.small, t3a.small, On-Demand base 1, 50 % Spot above it (desired capacity 4 as planned)");
    expect(formatRange(group.after)).toMatch(/^\$\d+\.\d\d–\$\d+\.\d\d$/);
  });

  it("a Spot share unknown until apply spans all Spot .. all On-Demand", () => {
    const cost = costOfPlan(mixed({ on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: null }, undefined, { on_demand_percentage_above_base_capacity: true }));
    const group = item(cost, "aws_autoscaling_group");
    expect(group.after!.low).toBeCloseTo(4 * (1 - PRICES.spotDiscount.max) * smallA * HOURS, 2);
    expect(group.after!.high).toBeCloseTo(4 * small * HOURS, 2);
  });

  it("weighted types are priced per capacity unit", () => {
    const cost = costOfPlan(mixed({ on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 100 }, [["t3.small", "1"], ["t3.large", "4"]]));
    const group = item(cost, "aws_autoscaling_group");
    expect(group.after!.low).toBeCloseTo(4 * (US_EAST_1.instanceHour["t3.large"] / 4) * HOURS, 2);
    expect(group.after!.high).toBeCloseTo(4 * small * HOURS, 2);
    expect(group.basisAfter).toContain("t3.large (weight 4)");
  });

  it("override types unknown until apply: unknown", () => {
    const plan = mixed({ on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 100 });
    const group = plan.resource_changes!.find((rc) => rc.type === "aws_autoscaling_group")!;
    (group.change.after_unknown as Record<string, unknown>).mixed_instances_policy = [{ launch_template: [{ override: [{ instance_type: true }] }] }];
    expect(item(costOfPlan(plan), "aws_autoscaling_group").notes).toEqual(["after: unknown, its instance types are unknown until apply"]);
  });
});

describe("the threshold (--cost-threshold)", () => {
  /** A table where an instance costs $1 a month and nothing else costs anything: raises are exact. */
  const flat: PriceTable = {
    ...PRICES,
    regions: { "us-east-1": { instanceHour: { "t3.micro": 1 / HOURS }, natGatewayHour: 0, natGatewayGb: 0, albHour: 0 } },
  };

  it.each([
    [3, 50, false, "on: 2 → 3 instances is +50 %, not more than 50 %"],
    [3, 49.9, true, "over: +50 % > 49.9 %"],
    [3, 60, false, "under: +50 % < 60 %"],
  ])("%i instances at %d %%: over %s (%s)", (size, threshold, over) => {
    const cost = costOfPlan(capacityTo(size), { table: flat, thresholdPercent: threshold });
    expect(cost.raise).toBe(0.5);
    expect(cost.overThreshold).toBe(over);
  });

  it("the default is 20 %: a raise of 2 → 4 instances on sample-app-local (+22 %) needs approval, exit 3, naming the old and new figure", () => {
    expect(DEFAULT_COST_THRESHOLD_PERCENT).toBe(20);
    const report = review(capacityTo(4));
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
    expect(report.verdict).toBe("needs approval");
    const flag = report.flags.find((f) => f.id === "COST")!;
    expect(flag.severity).toBe("disruptive");
    expect(flag.message).toMatch(/^the monthly list price rises from \$68\.96 a month to \$84\.15 a month \(\+22 %\), more than the 20 % threshold \(--cost-threshold\)\. Approve the cost explicitly\.$/);
    expect(review(capacityTo(4), 25).exitCode).toBe(EXIT_CODES.ok);
    expect(review(capacityTo(4), 25).flags.map((f) => f.id)).not.toContain("COST");
  });

  it.each([["20", 20], ["20%", 20], ["0", 0], ["12.5", 12.5], ["1000", 1000]])("parses %j as %d", (raw, value) => {
    expect(parseCostThreshold(raw)).toBe(value);
  });

  it.each(["", "-5", "abc", "20 percent", "1001", "0x10", "1e3"])("refuses %j, naming the flag and what is allowed", (raw) => {
    expect(() => parseCostThreshold(raw)).toThrow(`--cost-threshold = ${JSON.stringify(raw)}: must be a percentage from 0 to 1000`);
  });
});

describe("the report carries the cost", () => {
  it("in its JSON and Markdown: the table's date, each line, the total and the peak rollout cost", () => {
    const report = review(recorded("image-change"));
    expect(report.cost.table.date).toBe(PRICES.date);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("#### Cost");
    expect(markdown).toContain(`List prices of **${PRICES.date}** (\`ops/review/prices.json\``);
    expect(markdown).toContain("refresh with `npm run prices:refresh`");
    expect(markdown).toMatch(/\| `aws_autoscaling_group\.[^`]+` \(instances\) \| \$15\.18 \| \$15\.18 \| 2 × t3\.micro, On-Demand/);
    expect(markdown).toContain("| **total** | **$68.96** | **$68.96** | 0 %; needs approval above +20 % |");
    // 2 extra instances (max healthy 200 %) for the estimated 150 s.
    expect(report.cost.rollouts).toEqual([expect.objectContaining({ instances: 2, peakInstances: 4, maxHealthyPercentage: 200, durationSeconds: 150 })]);
    expect(report.cost.rollouts[0].extra.high).toBeCloseTo(2 * US_EAST_1.instanceHour["t3.micro"] * (150 / 3600), 4);
    expect(markdown).toContain("Peak rollout cost:");
    expect(markdown).toContain("runs up to **4 instances** during the refresh (2 at max healthy 200 %) for about 2 min 30 s");
    expect(markdown).toContain("LCUs");
    expect(JSON.parse(JSON.stringify(report)).cost.after).toEqual(report.cost.after);
  });

  it("a plan with nothing priced (e.g. the state bootstrap) says so, and no threshold applies", () => {
    const plan = recorded("capacity-change");
    plan.resource_changes!.splice(0, plan.resource_changes!.length, ...plan.resource_changes!.filter((rc) => !["aws_autoscaling_group", "aws_nat_gateway", "aws_lb"].includes(rc.type)));
    const report = review(plan);
    expect(report.cost).toMatchObject({ items: [], before: { low: 0, high: 0 }, after: { low: 0, high: 0 }, overThreshold: false });
    expect(renderMarkdown(report)).toContain("- Nothing in this plan is priced (no auto scaling group, NAT gateway or load balancer).");
  });

  it("an unknown figure reads unknown, never $0.00", () => {
    const report = review(edited("image-change", "aws_launch_template", (change) => { change.after.instance_type = "x9.huge"; }));
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(/\(instances\) \| \$15\.18 \| unknown \|/);
    expect(markdown).toContain("| **total** | **$68.96** | **unknown** |");
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
  });
});
