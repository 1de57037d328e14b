/**
 * What a change costs: the monthly list price of what the plan prices (the groups' instances,
 * NAT gateways, application load balancers), before and after the change, from the dated price
 * table ops/review/prices.json (npm run prices:refresh). Every figure is a range [low, high]:
 *
 *   instances  capacity × hourly price × hours per month. Capacity: the group's desired capacity
 *              as the plan shows it (the stack may ignore desired_capacity drift, so the plan's
 *              value is the state's), clamped into min_size..max_size as Auto Scaling does; a
 *              desired capacity unknown at plan time spans min_size..max_size. The instance type
 *              is the launch template's instance_type, or the mixed instances policy's override
 *              types (per capacity unit: price / weighted_capacity; low the cheapest, high the
 *              dearest type). Above the On-Demand base, (100 − on_demand_percentage) % runs on
 *              Spot, priced between (1 − spotDiscount.max) and (1 − spotDiscount.min) of the
 *              On-Demand price; a share unknown at plan time spans all Spot .. all On-Demand.
 *   NAT        hours × hourly price + an assumed NAT_GB_PER_MONTH processed per gateway.
 *   ALB        hours × hourly price (aws_lb of type application); LCUs are not priced.
 *
 * Unknown is never zero: a value the plan does not know (and cannot bound), a region or an
 * instance type missing from the table makes the figure unknown (null), and a change to what is
 * priced whose cost cannot be bounded needs approval (fail closed). A raise of the monthly figure
 * by more than the threshold (either end of the range, each compared with the same end before)
 * needs approval; a stack that priced nothing before (a first deployment) states its cost only.
 * Each line is rounded to the cent, and the totals are the sums of the lines as shown.
 */
import pricesFile from "./prices.json";
import { formatDuration } from "./estimate";
import { PlanJson, ResourceChange, isUnknown } from "./plan";
import { purchaseMix } from "./rules/fleet";

/** The price table's shape (ops/review/prices.json). */
export interface PriceTable {
  readonly date: string;
  readonly method: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly spotDiscount: { readonly min: number; readonly max: number };
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

export interface RegionPrices {
  readonly instanceHour: Readonly<Record<string, number>>;
  readonly natGatewayHour: number;
  readonly natGatewayGb: number;
  readonly albHour: number;
  readonly albLcuHour?: number;
}

export const PRICES: PriceTable = pricesFile;

/** Where the table lives and how it is refreshed, as the report says it. */
export const PRICE_TABLE_FILE = "ops/review/prices.json";
export const PRICE_REFRESH_COMMAND = "npm run prices:refresh";

/** Data a NAT gateway is assumed to process per month (GB): an assumption, not a stack setting. */
export const NAT_GB_PER_MONTH = 100;

/** A raise of the monthly figure above this share needs approval unless --cost-threshold says otherwise. */
export const DEFAULT_COST_THRESHOLD_PERCENT = 20;

/** USD per month; null: unknown (cannot be bounded). */
export interface Range {
  readonly low: number | null;
  readonly high: number | null;
}

export interface CostItem {
  readonly address: string;
  readonly kind: "instances" | "nat gateway" | "load balancer";
  /** Absent (the resource does not exist on that side): null. */
  readonly before: Range | null;
  readonly after: Range | null;
  /** What the figure counts and assumes, e.g. "2 × t3.micro On-Demand (desired capacity 2)". */
  readonly basisBefore?: string;
  readonly basisAfter?: string;
  /** Why a figure is unknown, and other things a reader must know. */
  readonly notes: string[];
  /** Whether what is priced differs between before and after. */
  readonly changed: boolean;
  /** Groups only: the monthly range at min_size and max_size after the change (high ends). */
  readonly scaling?: { readonly minSize: number; readonly maxSize: number; readonly atMin: number | null; readonly atMax: number | null };
}

export interface RolloutCost {
  readonly group: string;
  readonly instances: number;
  readonly peakInstances: number;
  readonly maxHealthyPercentage: number;
  readonly durationSeconds: number;
  /** The extra instances' cost for the estimated duration (USD). */
  readonly extra: Range;
}

export interface CostReport {
  readonly region: string | null;
  readonly table: { readonly file: string; readonly date: string; readonly method: string; readonly refresh: string; readonly hoursPerMonth: number; readonly spotDiscount: { readonly min: number; readonly max: number } };
  readonly natGbPerMonth: number;
  readonly items: CostItem[];
  readonly before: Range;
  readonly after: Range;
  /** Share of the raise (0.25 = 25 %), the larger of both ends; null when it cannot be computed. */
  readonly raise: number | null;
  readonly thresholdPercent: number;
  /** Needs approval: the raise is over the threshold, or a change to what is priced cannot be bounded. */
  readonly overThreshold: boolean;
  readonly reason?: string;
  readonly rollouts: RolloutCost[];
  readonly notPriced: string;
}

const NOT_PRICED = "EBS volumes, data transfer, load balancer capacity units (LCUs), CloudWatch, WAF, S3 and logs are not priced";

/** A --cost-threshold value: a percentage 0..1000 (e.g. "20" or "20%"); throws naming the flag. */
export function parseCostThreshold(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(raw.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(value) || value > 1000) {
    throw new Error(`--cost-threshold = ${JSON.stringify(raw)}: must be a percentage from 0 to 1000, e.g. 20 or 20% (a raise of the monthly list price above it needs approval; default ${DEFAULT_COST_THRESHOLD_PERCENT})`);
  }
  return value;
}

// ------------------------------------------------------------------------------ ranges

const ZERO: Range = { low: 0, high: 0 };
const UNKNOWN: Range = { low: null, high: null };

function add(a: Range, b: Range): Range {
  return { low: a.low === null || b.low === null ? null : a.low + b.low, high: a.high === null || b.high === null ? null : a.high + b.high };
}

function isKnown(r: Range): r is { low: number; high: number } {
  return r.low !== null && r.high !== null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function rounded(r: Range): Range {
  return { low: r.low === null ? null : round2(r.low), high: r.high === null ? null : round2(r.high) };
}

/** A small amount (a rollout's extra cost): "less than $0.01" rather than $0.00. */
function formatSmall(r: Range): string {
  if (isKnown(r) && r.high > 0 && r.high < 0.01) return "less than $0.01";
  return formatRange(r);
}

/** "$15.18", "$1.52–$15.18", or "unknown". */
export function formatRange(r: Range | null): string {
  if (r === null) return "—";
  if (!isKnown(r)) return "unknown";
  const low = `$${r.low.toFixed(2)}`;
  return r.low.toFixed(2) === r.high.toFixed(2) ? low : `${low}–$${r.high.toFixed(2)}`;
}

// ------------------------------------------------------------------------------ plan reading

/** The region the plan's AWS provider is configured for (a constant), else null. */
export function planRegion(plan: PlanJson): string | null {
  const providers = (plan as { configuration?: { provider_config?: Record<string, { name?: string; alias?: string; expressions?: Record<string, { constant_value?: unknown }> }> } }).configuration?.provider_config ?? {};
  const aws = Object.values(providers).find((p) => p?.name === "aws" && !p.alias);
  const region = aws?.expressions?.region?.constant_value;
  return typeof region === "string" ? region : null;
}

type Side = "before" | "after";

function values(rc: ResourceChange, side: Side): Record<string, unknown> | null {
  return rc.change[side] ?? null;
}

function unknownOf(rc: ResourceChange, side: Side, key: string): boolean {
  return side === "after" && isUnknown((rc.change.after_unknown ?? {})[key]);
}

function first(value: unknown): Record<string, unknown> {
  return Array.isArray(value) && value[0] && typeof value[0] === "object" ? (value[0] as Record<string, unknown>) : {};
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The launch template a group's side names (by id), else the plan's only launch template. */
function launchTemplateOf(plan: PlanJson, group: ResourceChange, side: Side): ResourceChange | undefined {
  const v = values(group, side) ?? {};
  const spec = first(v.launch_template);
  const mixedSpec = first(first(first(v.mixed_instances_policy).launch_template).launch_template_specification);
  const id = (spec.id ?? mixedSpec.launch_template_id) as string | undefined;
  const templates = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.type === "aws_launch_template" && values(rc, side));
  return templates.find((t) => id !== undefined && values(t, side)?.id === id) ?? (templates.length === 1 ? templates[0] : undefined);
}

/**
 * Whether the configuration sets the attribute (a block) of the resource. The provider marks an
 * optional, computed block the configuration leaves out (mixed_instances_policy) as unknown in a
 * new group's plan; AWS gives such a group none.
 */
function configures(plan: PlanJson, rc: ResourceChange, attribute: string): boolean {
  const resource = (plan.configuration?.root_module?.resources ?? []).find((r) => r.address === rc.address.replace(/\[[^\]]*\]$/, ""));
  return resource === undefined || Object.hasOwn(resource.expressions ?? {}, attribute);
}

/** Capacity low..high of a group's side: desired (clamped into min..max), or min..max when unknown. */
function capacity(group: ResourceChange, side: Side): { low: number; high: number; basis: string; minSize?: number; maxSize?: number } | string {
  const v = values(group, side) ?? {};
  const known = (key: string) => (unknownOf(group, side, key) ? undefined : asNumber(v[key]));
  const minSize = known("min_size");
  const maxSize = known("max_size");
  // Not set after the change (ignore_changes keeps what is in state): the state's value. Unknown: min..max.
  const desired = known("desired_capacity") ?? (side === "after" && !unknownOf(group, side, "desired_capacity") ? asNumber(group.change.before?.desired_capacity) : undefined);
  if (desired !== undefined) {
    let n = desired;
    if (minSize !== undefined) n = Math.max(n, minSize);
    if (maxSize !== undefined) n = Math.min(n, maxSize);
    const clamped = n !== desired ? ` (desired ${desired} clamped to min ${minSize} / max ${maxSize})` : "";
    return { low: n, high: n, basis: `desired capacity ${n} as planned${clamped}`, minSize, maxSize };
  }
  if (minSize !== undefined && maxSize !== undefined) {
    return { low: minSize, high: maxSize, basis: `desired capacity unknown until apply: min_size ${minSize} .. max_size ${maxSize}`, minSize, maxSize };
  }
  return "its capacity is unknown until apply and max_size does not bound it";
}

interface UnitPrice {
  readonly low: number;
  readonly high: number;
  readonly types: string;
}

/** Hourly On-Demand price per capacity unit of a group's side, or why it is unknown. */
function unitPrice(plan: PlanJson, group: ResourceChange, side: Side, region: RegionPrices | undefined, regionName: string | null): UnitPrice | string {
  const v = values(group, side) ?? {};
  const policy = first(v.mixed_instances_policy);
  const overrides = (first(policy.launch_template).override as Array<Record<string, unknown>> | undefined) ?? [];
  const unknownPolicy = side === "after" && configures(plan, group, "mixed_instances_policy") ? (group.change.after_unknown ?? {}).mixed_instances_policy : undefined;
  if (unknownPolicy === true || isUnknown(first(first(unknownPolicy).launch_template).override)) {
    return "its instance types are unknown until apply";
  }
  let entries: Array<{ type: unknown; weight: number }>;
  if (overrides.length) {
    entries = overrides.map((o) => ({ type: o.instance_type, weight: asNumber(o.weighted_capacity) ?? 1 }));
  } else {
    const template = launchTemplateOf(plan, group, side);
    if (!template) return "the plan has no launch template it can tell is the group's";
    if (unknownOf(template, side, "instance_type")) return "its instance type is unknown until apply";
    entries = [{ type: values(template, side)?.instance_type, weight: 1 }];
  }
  if (regionName === null) return "the plan's region is unknown (no constant region in its AWS provider)";
  if (!region) return `the price table has no region ${regionName}`;
  const perUnit: number[] = [];
  for (const entry of entries) {
    if (typeof entry.type !== "string" || entry.type === "") return "an instance type is unknown until apply (or not set)";
    const price = region.instanceHour[entry.type];
    if (price === undefined) return `the price table has no ${entry.type} in ${regionName}`;
    if (!(entry.weight > 0)) return `${entry.type} has a weighted_capacity of ${entry.weight}`;
    perUnit.push(price / entry.weight);
  }
  const types = entries.map((e) => (e.weight !== 1 ? `${e.type} (weight ${e.weight})` : String(e.type))).join(", ");
  return { low: Math.min(...perUnit), high: Math.max(...perUnit), types };
}

/** Monthly range of a group's side, with what it counts, or the reason it is unknown. */
function groupSide(plan: PlanJson, group: ResourceChange, side: Side, table: PriceTable, regionName: string | null): { range: Range; basis: string; minSize?: number; maxSize?: number; unit?: UnitPrice; odShare?: [number, number] } | { range: Range; reason: string } {
  const region = regionName === null ? undefined : table.regions[regionName];
  const cap = capacity(group, side);
  if (typeof cap === "string") return { range: UNKNOWN, reason: cap };
  const unit = unitPrice(plan, group, side, region, regionName);
  if (typeof unit === "string") return { range: UNKNOWN, reason: unit };
  const mix = purchaseMix(values(group, side), side === "after" && configures(plan, group, "mixed_instances_policy") ? (group.change.after_unknown ?? {}).mixed_instances_policy : undefined);
  const hours = table.hoursPerMonth;
  const spotLow = 1 - table.spotDiscount.max;
  const spotHigh = 1 - table.spotDiscount.min;
  // The On-Demand units of n capacity units: the base, then the share above it (unknown: 0 .. 100 %).
  const onDemand = (n: number, pct: number, base: number) => Math.min(n, base) + Math.max(0, n - base) * (pct / 100);
  const cost = (n: number, price: number, pct: number, base: number, spotFactor: number) => {
    const od = onDemand(n, pct, base);
    return (od + (n - od) * spotFactor) * price * hours;
  };
  const low = cost(cap.low, unit.low, mix.onDemandPercentage ?? 0, mix.base ?? 0, spotLow);
  const high = cost(cap.high, unit.high, mix.onDemandPercentage ?? 100, mix.base ?? cap.high, spotHigh);
  const spot = !mix.mixed || mix.onDemandPercentage === 100
    ? "On-Demand"
    : mix.onDemandPercentage === undefined || mix.base === undefined
      ? "an On-Demand / Spot share unknown until apply (all Spot .. all On-Demand)"
      : `On-Demand base ${mix.base}, ${100 - mix.onDemandPercentage} % Spot above it`;
  const count = cap.low === cap.high ? `${cap.low}` : `${cap.low}..${cap.high}`;
  return {
    range: { low, high },
    basis: `${count} × ${unit.types}, ${spot} (${cap.basis})`,
    minSize: cap.minSize,
    maxSize: cap.maxSize,
    unit,
    odShare: [mix.onDemandPercentage ?? 0, mix.onDemandPercentage ?? 100],
  };
}

/** The attributes whose values the cost reads, per resource type: a change elsewhere cannot change the price. */
const PRICED_ATTRIBUTES: Record<string, string[]> = {
  aws_nat_gateway: [],
  aws_lb: ["load_balancer_type"],
  aws_alb: ["load_balancer_type"],
};

/**
 * What a group's price depends on, on one side: capacity, instance types (resolved through the
 * launch template) and purchase mix, with what is unknown. Equal on both sides: no raise possible.
 */
function groupPricingKey(plan: PlanJson, group: ResourceChange, side: Side): string {
  const v = values(group, side) ?? {};
  const template = launchTemplateOf(plan, group, side);
  const unknownPolicy = side === "after" && configures(plan, group, "mixed_instances_policy") ? (group.change.after_unknown ?? {}).mixed_instances_policy : undefined;
  return JSON.stringify({
    capacity: ["desired_capacity", "min_size", "max_size"].map((key) => (unknownOf(group, side, key) ? "unknown" : (v[key] ?? null))),
    policy: first(v.mixed_instances_policy),
    policyUnknown: unknownPolicy ?? null,
    instanceType: template ? (unknownOf(template, side, "instance_type") ? "unknown" : (values(template, side)?.instance_type ?? null)) : "no template",
  });
}

function pricedInputsChanged(rc: ResourceChange): boolean {
  if (!rc.change.before || !rc.change.after) return rc.change.before !== rc.change.after;
  return (PRICED_ATTRIBUTES[rc.type] ?? []).some(
    (key) => isUnknown((rc.change.after_unknown ?? {})[key]) || JSON.stringify(rc.change.before?.[key] ?? null) !== JSON.stringify(rc.change.after?.[key] ?? null),
  );
}

function groupItem(plan: PlanJson, rc: ResourceChange, table: PriceTable, region: string | null): CostItem {
  const notes: string[] = [];
  const side = (s: Side) => {
    if (!values(rc, s)) return { range: null as Range | null, basis: undefined as string | undefined };
    const result = groupSide(plan, rc, s, table, region);
    if ("reason" in result) {
      notes.push(`${s}: unknown, ${result.reason}`);
      return { range: result.range, basis: undefined };
    }
    return { range: result.range, basis: result.basis, result };
  };
  const before = side("before");
  const after = side("after");
  const changed = !rc.change.before || !rc.change.after || groupPricingKey(plan, rc, "before") !== groupPricingKey(plan, rc, "after");
  let scaling: CostItem["scaling"];
  const a = "result" in after ? after.result : undefined;
  if (a?.unit && a.minSize !== undefined && a.maxSize !== undefined) {
    const at = (n: number) => n * a.unit!.high * table.hoursPerMonth;
    scaling = { minSize: a.minSize, maxSize: a.maxSize, atMin: round2(at(a.minSize)), atMax: round2(at(a.maxSize)) };
  }
  return {
    address: rc.address,
    kind: "instances",
    before: before.range && rounded(before.range),
    after: after.range && rounded(after.range),
    ...(before.basis ? { basisBefore: before.basis } : {}),
    ...(after.basis ? { basisAfter: after.basis } : {}),
    notes,
    changed,
    ...(scaling ? { scaling } : {}),
  };
}

function natItem(rc: ResourceChange, table: PriceTable, region: string | null): CostItem {
  const prices = region === null ? undefined : table.regions[region];
  const monthly: Range = prices ? { low: prices.natGatewayHour * table.hoursPerMonth + prices.natGatewayGb * NAT_GB_PER_MONTH, high: prices.natGatewayHour * table.hoursPerMonth + prices.natGatewayGb * NAT_GB_PER_MONTH } : UNKNOWN;
  const basis = `${table.hoursPerMonth} h + ${NAT_GB_PER_MONTH} GB processed (assumed)`;
  return {
    address: rc.address,
    kind: "nat gateway",
    before: rc.change.before ? rounded(monthly) : null,
    after: rc.change.after ? rounded(monthly) : null,
    basisBefore: basis,
    basisAfter: basis,
    notes: prices ? [] : [region === null ? "unknown: the plan's region is unknown" : `unknown: the price table has no region ${region}`],
    changed: pricedInputsChanged(rc),
  };
}

function lbItem(rc: ResourceChange, table: PriceTable, region: string | null): CostItem {
  const prices = region === null ? undefined : table.regions[region];
  const notes: string[] = [];
  const side = (s: Side): Range | null => {
    const v = values(rc, s);
    if (!v) return null;
    if (unknownOf(rc, s, "load_balancer_type")) {
      notes.push(`${s}: unknown, the load balancer type is unknown until apply`);
      return UNKNOWN;
    }
    const type = typeof v.load_balancer_type === "string" && v.load_balancer_type !== "" ? v.load_balancer_type : "application";
    if (type !== "application") {
      notes.push(`${s}: unknown, a ${type} load balancer is not in the price table`);
      return UNKNOWN;
    }
    if (!prices) {
      notes.push(`${s}: unknown, ${region === null ? "the plan's region is unknown" : `the price table has no region ${region}`}`);
      return UNKNOWN;
    }
    return rounded({ low: prices.albHour * table.hoursPerMonth, high: prices.albHour * table.hoursPerMonth });
  };
  const basis = `${table.hoursPerMonth} h (LCUs not priced)`;
  return { address: rc.address, kind: "load balancer", before: side("before"), after: side("after"), basisBefore: basis, basisAfter: basis, notes: [...new Set(notes)], changed: pricedInputsChanged(rc) };
}

export interface CostOptions {
  readonly thresholdPercent?: number;
  readonly table?: PriceTable;
  /** The report's rollout estimates: the peak rollout cost of each. */
  readonly rollouts?: ReadonlyArray<{ readonly group: string; readonly settings: { readonly maxHealthyPercentage: number }; readonly estimate: { readonly instances: number; readonly peakInstances: number; readonly totalSeconds: number } }>;
}

/** The cost section of the report: each priced resource before and after, the totals and the threshold check. */
export function costOfPlan(plan: PlanJson, options: CostOptions = {}): CostReport {
  const table = options.table ?? PRICES;
  const thresholdPercent = options.thresholdPercent ?? DEFAULT_COST_THRESHOLD_PERCENT;
  const region = planRegion(plan);
  const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed");
  const items: CostItem[] = [];
  for (const rc of managed) {
    if (rc.type === "aws_autoscaling_group") items.push(groupItem(plan, rc, table, region));
    else if (rc.type === "aws_nat_gateway") items.push(natItem(rc, table, region));
    else if (rc.type === "aws_lb" || rc.type === "aws_alb") items.push(lbItem(rc, table, region));
  }
  const before = items.reduce((sum, item) => add(sum, item.before ?? ZERO), ZERO);
  const after = items.reduce((sum, item) => add(sum, item.after ?? ZERO), ZERO);
  const changed = items.some((item) => item.changed);
  let raise: number | null = null;
  let overThreshold = false;
  let reason: string | undefined;
  const figure = (r: Range) => `${formatRange(r)} a month`;
  if (isKnown(before) && before.high === 0) {
    // A first deployment (nothing priced before): its cost is stated, the threshold is for raises.
  } else if (isKnown(before) && isKnown(after)) {
    const shares = ([["low", before.low, after.low], ["high", before.high, after.high]] as const).filter(([, b]) => b > 0).map(([, b, a]) => (a - b) / b);
    raise = shares.length ? Math.max(...shares) : null;
    if (raise !== null && raise * 100 > thresholdPercent + 1e-9) {
      overThreshold = true;
      reason = `the monthly list price rises from ${figure(before)} to ${figure(after)} (+${Math.round(raise * 1000) / 10} %), more than the ${thresholdPercent} % threshold (--cost-threshold)`;
    }
  } else if (changed) {
    overThreshold = true;
    const unknownSide = !isKnown(after) ? "after" : "before";
    reason = `the monthly list price ${unknownSide} the change is unknown (${items.flatMap((i) => i.notes).filter((n) => n.startsWith(unknownSide)).join("; ") || "see the cost lines"}), so a raise above the ${thresholdPercent} % threshold cannot be ruled out: from ${figure(before)} to ${figure(after)}`;
  }
  const rollouts: RolloutCost[] = (options.rollouts ?? []).map((r) => {
    const item = items.find((i) => i.address === r.group);
    const extraInstances = Math.max(0, r.estimate.peakInstances - r.estimate.instances);
    const perInstanceMonth = (v: number | null) => (v === null || r.estimate.instances === 0 ? null : v / r.estimate.instances);
    const hours = r.estimate.totalSeconds / 3600;
    const extra = (v: number | null) => {
      const per = perInstanceMonth(v);
      return per === null ? null : Math.round((per / table.hoursPerMonth) * extraInstances * hours * 10000) / 10000;
    };
    const range = item?.after ?? UNKNOWN;
    return {
      group: r.group,
      instances: r.estimate.instances,
      peakInstances: r.estimate.peakInstances,
      maxHealthyPercentage: r.settings.maxHealthyPercentage,
      durationSeconds: r.estimate.totalSeconds,
      extra: extraInstances === 0 ? ZERO : { low: extra(range.low), high: extra(range.high) },
    };
  });
  return {
    region,
    table: { file: PRICE_TABLE_FILE, date: table.date, method: table.method, refresh: PRICE_REFRESH_COMMAND, hoursPerMonth: table.hoursPerMonth, spotDiscount: table.spotDiscount },
    natGbPerMonth: NAT_GB_PER_MONTH,
    items,
    before: rounded(before),
    after: rounded(after),
    raise: raise === null ? null : Math.round(raise * 1000) / 1000,
    thresholdPercent,
    overThreshold,
    ...(reason ? { reason } : {}),
    rollouts,
    notPriced: NOT_PRICED,
  };
}

// ------------------------------------------------------------------------------ report

/** COST: a raise above the threshold, or a change whose cost cannot be bounded, needs approval. */
export function costFlags(cost: CostReport): Array<{ id: "COST"; severity: "disruptive"; message: string }> {
  return cost.overThreshold && cost.reason ? [{ id: "COST", severity: "disruptive", message: `${cost.reason}. Approve the cost explicitly.` }] : [];
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function raiseText(cost: CostReport): string {
  if (cost.raise === null) {
    return isKnown(cost.before) && cost.before.high === 0 ? "nothing priced before: stated, no threshold" : "change unknown";
  }
  const pct = Math.round(cost.raise * 1000) / 10;
  return `${pct > 0 ? "+" : ""}${pct} %`;
}

/** The Markdown lines of the report's cost section. */
export function costLines(cost: CostReport): string[] {
  const t = cost.table;
  const lines = [
    `List prices of **${t.date}** (\`${t.file}\`, ${t.method}; refresh with \`${t.refresh}\`), region ${cost.region ?? "**unknown**"}, USD per month of ${t.hoursPerMonth} h:`,
  ];
  if (!cost.items.length) return [...lines, "", "- Nothing in this plan is priced (no auto scaling group, NAT gateway or load balancer).", `- ${cost.notPriced}.`];
  lines.push("", "| resource | before | after | what is counted |", "|---|---|---|---|");
  for (const item of cost.items) {
    const basis = item.basisBefore && item.basisAfter && item.basisBefore !== item.basisAfter && item.before && item.after ? `${item.basisBefore} → ${item.basisAfter}` : (item.after ? item.basisAfter : item.basisBefore) ?? "";
    lines.push(`| \`${cell(item.address)}\` (${item.kind}) | ${formatRange(item.before)} | ${formatRange(item.after)} | ${cell(basis)} |`);
  }
  const threshold = isKnown(cost.before) && cost.before.high === 0 ? "" : `; needs approval above +${cost.thresholdPercent} %`;
  lines.push(`| **total** | **${formatRange(cost.before)}** | **${formatRange(cost.after)}** | ${raiseText(cost)}${threshold} |`, "");
  if ([...cost.items.flatMap((i) => [i.before, i.after]), cost.before, cost.after].some((r) => r !== null && isKnown(r) && r.low !== r.high)) {
    lines.push(`- A range runs from the cheapest case to the dearest: Spot at ${Math.round(t.spotDiscount.max * 100)} % to ${Math.round(t.spotDiscount.min * 100)} % off the On-Demand price, the cheapest to the dearest instance type per capacity unit, and what the plan leaves unknown at its bounds. The threshold compares each end with the same end before.`);
  }
  for (const item of cost.items) {
    if (item.scaling) {
      lines.push(`- \`${item.address}\` scales between ${item.scaling.atMin === null ? "unknown" : `$${item.scaling.atMin.toFixed(2)}`} at min_size ${item.scaling.minSize} and ${item.scaling.atMax === null ? "unknown" : `$${item.scaling.atMax.toFixed(2)}`} at max_size ${item.scaling.maxSize} a month (all On-Demand, the dearest type).`);
    }
    for (const note of item.notes) lines.push(`- \`${item.address}\` ${note}.`);
  }
  for (const r of cost.rollouts) {
    lines.push(
      `- Peak rollout cost: \`${r.group}\` runs up to **${r.peakInstances} instances** during the refresh (${r.instances} at max healthy ${r.maxHealthyPercentage} %) for about ${formatDuration(r.durationSeconds)} (the estimate above): **${formatSmall(r.extra)}** more than the fleet after the change.`,
    );
  }
  if (cost.items.some((i) => i.kind === "nat gateway")) lines.push(`- NAT gateways: ${t.hoursPerMonth} h and an assumed ${cost.natGbPerMonth} GB processed each a month; traffic decides the real figure.`);
  lines.push(`- ${cost.notPriced}.`);
  return lines;
}
