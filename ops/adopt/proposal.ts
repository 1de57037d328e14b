/**
 * `npm run adopt`: from an existing state (the book's chapter 3 `alb` and `asg` modules,
 * or anything shaped like them) and an environment, propose what makes the stack take the
 * existing objects over instead of replacing them: the names they already have, the
 * network they are in, and the adoption mapping (moved / import + removed / leftovers).
 * Refuses, naming the setting, where the stack would still force a replacement.
 */
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { removedBlocks } from "../../stacks/adoption";
import type { AdoptionConfig, LeftoverAction } from "../../config/adoption";
import type { ParsedState, StateResource } from "./terraform-state";
import { configResourceAddress } from "../../modules/core/tofu-address";

/** A resource of the synthesized stack. */
export interface OurResource {
  /** Construct path below the stack, the key of the adoption mapping. */
  readonly path: string;
  readonly type: string;
  readonly address: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The config the proposal is checked against (the fields that decide replacements). */
export interface AdoptionTarget {
  readonly appPort: number;
  readonly defaultVpc?: object;
  readonly existingNetwork?: { readonly vpcId: string };
  readonly names?: Readonly<Record<string, { name?: string; namePrefix?: string; description?: string } | boolean | undefined>>;
}

type PhysicalName = { name?: string; namePrefix?: string; description?: string };

/** What `npm run adopt` writes to config/adoption/<env>.json. */
export interface AdoptionFile {
  readonly defaultVpc?: Record<string, never>;
  readonly names: Record<string, PhysicalName>;
  readonly adoption: AdoptionConfig;
}

/** One planned effect, for the summary. */
export interface PlannedEffect {
  readonly kind: "move" | "import" | "forget" | "destroy" | "create";
  readonly ours?: string;
  readonly old?: string;
  readonly note?: string;
}

export type Proposal =
  | {
      readonly ok: true;
      readonly file: AdoptionFile;
      readonly effects: PlannedEffect[];
      readonly providerReplacements: string[];
      /** Traffic-affecting settings the stack changes on adopted objects: `<old address>: <what> <old> -> <new> (<setting>)`. */
      readonly behaviourChanges: string[];
      /** Rules not kept that could only be forgotten: `<old address>: <command that deletes it>`. */
      readonly handDeletions: string[];
    }
  | { readonly ok: false; readonly refusals: string[] };

/**
 * Resources of a synthesized stack: construct paths from the stack's construct tree, values
 * from its Terraform JSON (read without the library's "//" metadata, which holds the paths).
 */
export function ourResources(
  stack: Construct,
  synthesized: { resource?: Record<string, Record<string, Record<string, unknown>>> },
): OurResource[] {
  return stack.node
    .findAll()
    .filter((node): node is TerraformResource => node instanceof TerraformResource)
    .map((resource) => ({
      path: resource.node.path.split("/").slice(1).join("/"),
      type: resource.terraformResourceType,
      address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
      values: synthesized.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {},
    }));
}

export const OPENTOFU_AWS = "registry.opentofu.org/hashicorp/aws";
export const TERRAFORM_AWS = "registry.terraform.io/hashicorp/aws";

const normalizeProtocol = (protocol: unknown) => {
  const value = String(protocol ?? "").toLowerCase();
  return value === "6" ? "tcp" : value === "all" ? "-1" : value;
};

/** A security group rule, old or ours, reduced to what decides that two are the same rule. */
interface RuleShape {
  readonly groupRole?: string;
  readonly direction: "ingress" | "egress";
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: string;
  readonly peerRole?: string;
}

const sameRule = (a: RuleShape, b: RuleShape) =>
  a.groupRole !== undefined &&
  a.groupRole === b.groupRole &&
  a.direction === b.direction &&
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.peerRole === b.peerRole;

function describeRule(rule: RuleShape): string {
  const ports = rule.protocol === "-1" ? "all traffic" : `${rule.protocol} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
  const peer = rule.cidr ?? (rule.peerRole ? `the ${rule.peerRole} security group` : "?");
  return `${rule.direction} ${ports} ${rule.direction === "ingress" ? "from" : "to"} ${peer} on the ${rule.groupRole ?? "?"} security group`;
}

/** Names as the mapping keeps them: the prefix when the object was created from one. */
function physicalNameOf(values: Readonly<Record<string, unknown>>, withDescription = false): PhysicalName {
  const prefix = typeof values.name_prefix === "string" && values.name_prefix !== "" ? values.name_prefix : undefined;
  return {
    ...(prefix !== undefined ? { namePrefix: prefix } : { name: String(values.name) }),
    ...(withDescription ? { description: String(values.description) } : {}),
  };
}

const OUR_PATHS = {
  loadBalancer: "load-balancer/load-balancer",
  targetGroup: "load-balancer/target-group",
  loadBalancerSecurityGroup: "load-balancer/security-group",
  instanceSecurityGroup: "auto-scaling-group/security-group",
  launchTemplate: "auto-scaling-group/launch-template",
  autoScalingGroup: "auto-scaling-group/asg",
  instanceProfile: "auto-scaling-group/instance-profile",
  instanceRole: "auto-scaling-group/role",
} as const;

/**
 * The instance profile the old launch template launches instances with (by ARN or name, as the
 * template's `iam_instance_profile` names it) and that profile's role: what the autoscaling
 * module creates as `aws_iam_instance_profile.this[0]` and `aws_iam_role.this[0]` with
 * `create_iam_instance_profile`. Found by use, not by address, like the security groups.
 */
export function instanceProfileAndRole(
  launchTemplate: StateResource | undefined,
  profiles: StateResource[],
  roles: StateResource[],
): { profile?: StateResource; role?: StateResource } {
  const used = block(launchTemplate?.values.iam_instance_profile);
  const arn = typeof used.arn === "string" && used.arn !== "" ? used.arn : undefined;
  const name = typeof used.name === "string" && used.name !== "" ? used.name : undefined;
  if (arn === undefined && name === undefined) return {};
  const profile = profiles.find((p) => (arn !== undefined && p.values.arn === arn) || (name !== undefined && p.values.name === name));
  const role = profile ? roles.find((r) => typeof profile.values.role === "string" && r.values.name === profile.values.role) : undefined;
  return { profile, role };
}

/**
 * The AWS managed or customer policy an attachment names, without the partition: ours is
 * `arn:${data.aws_partition...}:iam::aws:policy/X` until plan time, an old one `arn:aws:iam::aws:policy/X`.
 */
const policyWithoutPartition = (arn: unknown) => /^arn:(?:\$\{[^}]+\}|[^:]+):(iam::.*)$/.exec(String(arn ?? ""))?.[1];

/** The single nested block of a state (`[{…}]`) or of synthesized JSON (`{…}`). */
function block(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : {};
}

/** Traffic-affecting arguments compared between an old object and the resource taking it over, with the setting that keeps the old value. */
const BEHAVIOUR: Record<string, { what: string; get: (values: Readonly<Record<string, unknown>>) => unknown; setting?: string }[]> = {
  aws_lb_target_group: [
    { what: "health check path", get: (v) => block(v.health_check).path, setting: "healthCheck.path" },
    { what: "health check matcher", get: (v) => block(v.health_check).matcher, setting: "healthCheck.matcher" },
    { what: "health check interval (s)", get: (v) => block(v.health_check).interval, setting: "healthCheck.intervalSeconds" },
    { what: "health check timeout (s)", get: (v) => block(v.health_check).timeout, setting: "healthCheck.timeoutSeconds" },
    { what: "healthy threshold", get: (v) => block(v.health_check).healthy_threshold, setting: "healthCheck.healthyThreshold" },
    { what: "unhealthy threshold", get: (v) => block(v.health_check).unhealthy_threshold, setting: "healthCheck.unhealthyThreshold" },
    { what: "health check protocol", get: (v) => block(v.health_check).protocol },
    { what: "deregistration delay (s)", get: (v) => v.deregistration_delay, setting: "deregistrationDelaySeconds" },
  ],
  aws_lb_listener: [
    { what: "listener port", get: (v) => v.port },
    { what: "listener protocol", get: (v) => v.protocol },
  ],
  aws_launch_template: [
    { what: "instance type", get: (v) => v.instance_type, setting: "instanceType" },
    { what: "SSH key pair of new instances", get: (v) => v.key_name },
  ],
  aws_autoscaling_group: [
    { what: "minimum capacity", get: (v) => v.min_size, setting: "capacity.min" },
    { what: "maximum capacity", get: (v) => v.max_size, setting: "capacity.max" },
    { what: "health check type", get: (v) => v.health_check_type },
  ],
};

/**
 * What the stack changes on live objects that affects traffic, old value against new, for each
 * adopted pair. Values the stack does not set (or only knows at plan time) are not compared.
 */
export function behaviourChanges(pairs: { old: StateResource; ours: OurResource }[]): string[] {
  const changes: string[] = [];
  const show = (value: unknown) => (value === "" || value === null || value === undefined ? "none" : JSON.stringify(value));
  for (const { old, ours } of pairs) {
    for (const { what, get, setting } of BEHAVIOUR[ours.type] ?? []) {
      const before = get(old.values);
      const after = get(ours.values);
      // Only what both sides know: the old state records every argument, ours only what it sets.
      if (before === undefined || after === undefined || (typeof after === "string" && after.includes("${"))) continue;
      if (String(before ?? "") === String(after ?? "")) continue;
      changes.push(
        `${old.address}: ${what} ${show(before)} -> ${show(after)} (${setting ? `set ${setting} to ${show(before)} in config/environments.ts to keep it` : "no setting keeps it"})`,
      );
    }
  }
  return changes;
}

/** The AWS CLI command that deletes an old security group rule, when the state has its sgr- id. */
function revokeCommand(rule: StateResource): string | undefined {
  const v = rule.values;
  const id = rule.type === "aws_security_group_rule" ? v.security_group_rule_id : v.id;
  if (typeof id !== "string" || !id.startsWith("sgr-") || typeof v.security_group_id !== "string") return undefined;
  const direction = rule.type === "aws_vpc_security_group_egress_rule" || v.type === "egress" ? "egress" : "ingress";
  return `aws ec2 revoke-security-group-${direction} --group-id ${v.security_group_id} --security-group-rule-ids ${id}`;
}

/**
 * Why forgetting an old resource is what the team wants, where it is not plain: an attachment
 * between two adopted objects stays in AWS and the stack then manages the objects, not it.
 */
function forgottenNote(old: StateResource, adopted: { targetGroup?: StateResource; role?: StateResource }): string {
  const plain = 'no counterpart here: removed from state, kept in AWS (set it to "destroy" to delete it)';
  if (old.type === "aws_autoscaling_traffic_source_attachment" && adopted.targetGroup) {
    const source = block(old.values.traffic_source);
    if (source.identifier === adopted.targetGroup.values.arn) {
      return `the target group ${adopted.targetGroup.address} stays attached to the group, which now names it in target_group_arns; removed from state only`;
    }
  }
  if (old.type === "aws_iam_role_policy_attachment" && adopted.role && old.values.role === adopted.role.values.name) {
    return `${String(old.values.policy_arn)} stays attached to the adopted role ${adopted.role.address}, which this stack does not attach it to: set it to "destroy" to detach it`;
  }
  return plain;
}

/** Proposes the adoption of `state` by the stack `ours` (synthesized with `target`). */
export function proposeAdoption(
  state: ParsedState,
  ours: OurResource[],
  target: AdoptionTarget,
  source: string,
  /** Objects of another deployment in the same state (ops/adopt/deployment.ts): forgotten, with the reason. */
  notChosen: ReadonlyMap<string, string> = new Map(),
): Proposal {
  const refusals: string[] = [];
  const managed = state.resources.filter((resource) => resource.mode === "managed");
  const byType = (type: string) => managed.filter((resource) => resource.type === type && !notChosen.has(resource.address));
  const oldByAddress = new Map(managed.map((resource) => [resource.address, resource]));
  const ourByPath = new Map(ours.map((resource) => [resource.path, resource]));

  const single = (type: string, what: string): StateResource | undefined => {
    const found = byType(type);
    if (found.length > 1) {
      refusals.push(`the state has ${found.length} ${type} (${found.map((r) => r.address).join(", ")}); it must hold one deployment: one ${what}`);
    }
    return found.length === 1 ? found[0] : undefined;
  };
  const oldLoadBalancer = single("aws_lb", "load balancer");
  const oldTargetGroup = single("aws_lb_target_group", "target group");
  const oldLaunchTemplate = single("aws_launch_template", "launch template");
  const oldGroup = single("aws_autoscaling_group", "auto scaling group");
  if (!oldLoadBalancer && !oldGroup) {
    refusals.push("the state has neither an aws_lb nor an aws_autoscaling_group: nothing this project can take over");
  }

  // Which old security group is the ALB's and which the instances': by what uses them.
  const groupRoleById = new Map<string, string>();
  for (const id of (oldLoadBalancer?.values.security_groups as string[] | undefined) ?? []) groupRoleById.set(id, "load balancer");
  const templateGroups = [
    ...((oldLaunchTemplate?.values.vpc_security_group_ids as string[] | undefined) ?? []),
    ...(((oldLaunchTemplate?.values.network_interfaces as { security_groups?: string[] }[] | undefined) ?? []).flatMap((ni) => ni.security_groups ?? [])),
  ];
  for (const id of templateGroups) groupRoleById.set(id, "instances");
  const oldGroups = byType("aws_security_group");
  const oldGroupByRole = new Map<string, StateResource>();
  for (const group of oldGroups) {
    const role = groupRoleById.get(String(group.values.id));
    if (role) oldGroupByRole.set(role, group);
  }

  // Ours: roles by construct path.
  const ourGroupRoleByAddress = new Map<string, string>([
    [ourByPath.get(OUR_PATHS.loadBalancerSecurityGroup)?.address ?? "", "load balancer"],
    [ourByPath.get(OUR_PATHS.instanceSecurityGroup)?.address ?? "", "instances"],
  ]);
  const roleOfReference = (reference: unknown) => {
    const address = /^\$\{([^}]+)\.id\}$/.exec(String(reference ?? ""))?.[1];
    return address ? ourGroupRoleByAddress.get(address) : undefined;
  };

  const mapping: Record<string, { from: string; importId?: string }> = {};
  const effects: PlannedEffect[] = [];
  const take = (path: string, old: StateResource | undefined) => {
    const resource = ourByPath.get(path);
    if (old && resource) {
      mapping[path] = { from: old.address };
      effects.push({ kind: "move", ours: path, old: old.address });
    }
  };
  take(OUR_PATHS.loadBalancer, oldLoadBalancer);
  take(OUR_PATHS.targetGroup, oldTargetGroup);
  take(OUR_PATHS.launchTemplate, oldLaunchTemplate);
  take(OUR_PATHS.autoScalingGroup, oldGroup);
  take(OUR_PATHS.loadBalancerSecurityGroup, oldGroupByRole.get("load balancer"));
  take(OUR_PATHS.instanceSecurityGroup, oldGroupByRole.get("instances"));
  // The instance profile and its role, when the old template names one of the state's.
  const { profile: oldProfile, role: oldRole } = instanceProfileAndRole(oldLaunchTemplate, byType("aws_iam_instance_profile"), byType("aws_iam_role"));
  take(OUR_PATHS.instanceProfile, oldProfile);
  take(OUR_PATHS.instanceRole, oldRole);
  if (oldRole) {
    // A policy attachment of the adopted role is kept when the stack attaches the same policy;
    // any other stays a leftover (forgotten: it stays attached to the role, now the stack's).
    for (const attachment of byType("aws_iam_role_policy_attachment").filter((a) => a.values.role === oldRole.values.name)) {
      const policy = policyWithoutPartition(attachment.values.policy_arn);
      const ourAttachment = ours.find((r) => r.type === "aws_iam_role_policy_attachment" && policy !== undefined && policyWithoutPartition(r.values.policy_arn) === policy);
      if (ourAttachment && !mapping[ourAttachment.path]) take(ourAttachment.path, attachment);
    }
  }
  for (const listener of byType("aws_lb_listener")) {
    const ourListener = ours.find((resource) => resource.type === "aws_lb_listener" && Number(resource.values.port) === Number(listener.values.port));
    if (ourListener) take(ourListener.path, listener);
  }

  // Security group rules: matched by shape; a type change is imported by its sgr- id.
  const ourRules = ours
    .filter((resource) => resource.type === "aws_vpc_security_group_ingress_rule" || resource.type === "aws_vpc_security_group_egress_rule")
    .map((resource) => ({
      resource,
      shape: {
        groupRole: roleOfReference(resource.values.security_group_id),
        direction: resource.type.endsWith("ingress_rule") ? "ingress" : "egress",
        protocol: normalizeProtocol(resource.values.ip_protocol),
        fromPort: Number(resource.values.from_port ?? 0),
        toPort: Number(resource.values.to_port ?? 0),
        cidr: resource.values.cidr_ipv4 as string | undefined,
        peerRole: roleOfReference(resource.values.referenced_security_group_id),
      } as RuleShape,
    }));
  const oldRules: { resource: StateResource; shapes: RuleShape[]; importId?: string }[] = [];
  for (const rule of byType("aws_security_group_rule")) {
    const v = rule.values;
    const base = {
      groupRole: groupRoleById.get(String(v.security_group_id)),
      direction: v.type === "egress" ? "egress" : "ingress",
      protocol: normalizeProtocol(v.protocol),
      fromPort: normalizeProtocol(v.protocol) === "-1" ? 0 : Number(v.from_port),
      toPort: normalizeProtocol(v.protocol) === "-1" ? 0 : Number(v.to_port),
    } as const;
    const cidrs = (v.cidr_blocks as string[] | undefined) ?? [];
    const peer = v.source_security_group_id ? groupRoleById.get(String(v.source_security_group_id)) ?? "other" : undefined;
    const shapes: RuleShape[] = peer ? [{ ...base, peerRole: peer }] : cidrs.map((cidr) => ({ ...base, cidr }));
    oldRules.push({ resource: rule, shapes, importId: (v.security_group_rule_id as string | undefined) || undefined });
  }
  for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
    for (const rule of byType(type)) {
      const v = rule.values;
      oldRules.push({
        resource: rule,
        shapes: [
          {
            groupRole: groupRoleById.get(String(v.security_group_id)),
            direction: type.endsWith("ingress_rule") ? "ingress" : "egress",
            protocol: normalizeProtocol(v.ip_protocol),
            fromPort: Number(v.from_port ?? 0),
            toPort: Number(v.to_port ?? 0),
            cidr: (v.cidr_ipv4 as string | undefined) ?? undefined,
            peerRole: v.referenced_security_group_id ? groupRoleById.get(String(v.referenced_security_group_id)) ?? "other" : undefined,
          },
        ],
        importId: String(v.id),
      });
    }
  }
  const leftovers: Record<string, LeftoverAction> = {};
  for (const old of oldRules) {
    const matches = ourRules.filter((ours) => old.shapes.some((shape) => sameRule(ours.shape, shape)));
    if (matches.length === 1 && old.shapes.length === 1) {
      const { resource } = matches[0];
      if (resource.type === old.resource.type) {
        mapping[resource.path] = { from: old.resource.address };
        effects.push({ kind: "move", ours: resource.path, old: old.resource.address });
      } else if (!old.importId) {
        refusals.push(
          `${old.resource.address}: has no security_group_rule_id in the state (written by an AWS provider before 4.x?); run \`tofu apply -refresh-only\` with a current provider first, so the rule can be imported by its sgr- id`,
        );
      } else {
        mapping[resource.path] = { from: old.resource.address, importId: old.importId };
        effects.push({ kind: "import", ours: resource.path, old: old.resource.address, note: `${old.importId}; the old address is forgotten, the rule never deleted` });
      }
    } else if (!groupRoleById.has(String(old.resource.values.security_group_id))) {
      // A rule of a security group this stack does not take over (another deployment's, a
      // bastion's): deleting it would change that group, so it is only forgotten.
      const group = oldGroups.find((candidate) => String(candidate.values.id) === String(old.resource.values.security_group_id));
      leftovers[old.resource.address] = "forget";
      effects.push({
        kind: "forget",
        old: old.resource.address,
        note: `a rule of ${group ? group.address : `security group ${String(old.resource.values.security_group_id)}`}, which this stack does not take over: removed from state, kept in AWS`,
      });
    } else {
      leftovers[old.resource.address] = "destroy";
      effects.push({
        kind: "destroy",
        old: old.resource.address,
        note: `${old.shapes.map(describeRule).join("; ")}: not kept (this project allows only listener ports from allowedCidrs into the ALB, the app port from the ALB into the instances, the app port from the ALB out, HTTPS out of the instances)`,
      });
    }
  }
  const mappedOld = new Set(Object.values(mapping).map((entry) => entry.from));
  for (const old of managed) {
    if (!mappedOld.has(old.address) && leftovers[old.address] === undefined) {
      leftovers[old.address] = "forget";
      const other = notChosen.get(old.address);
      effects.push({
        kind: "forget",
        old: old.address,
        note: other ? `${other}: removed from state, kept in AWS` : forgottenNote(old, { targetGroup: oldTargetGroup, role: oldRole }),
      });
    }
  }
  for (const resource of ours) {
    if (!mapping[resource.path]) effects.push({ kind: "create", ours: resource.path });
  }

  // Names the objects already have; a different one would replace them.
  const names: Record<string, PhysicalName> = {};
  const keep = (setting: string, old: StateResource | undefined, withDescription = false) => {
    if (!old) return;
    const existing = physicalNameOf(old.values, withDescription);
    names[setting] = existing;
    const configured = target.names?.[setting] as PhysicalName | undefined;
    if (configured && typeof configured === "object") {
      for (const key of ["name", "namePrefix", "description"] as const) {
        if (configured[key] !== undefined && configured[key] !== existing[key]) {
          refusals.push(
            `names.${setting}.${key} = ${JSON.stringify(configured[key])}: the existing ${old.address} has ${key} ${JSON.stringify(existing[key] ?? null)}; a different value replaces it. Remove the setting (npm run adopt writes the existing one) or set it to ${JSON.stringify(existing[key])}`,
          );
        }
      }
    }
  };
  keep("loadBalancer", oldLoadBalancer);
  keep("targetGroup", oldTargetGroup);
  keep("loadBalancerSecurityGroup", oldGroupByRole.get("load balancer"), true);
  keep("instanceSecurityGroup", oldGroupByRole.get("instances"), true);
  keep("launchTemplate", oldLaunchTemplate);
  keep("autoScalingGroup", oldGroup);
  keep("instanceRole", oldRole);
  keep("instanceProfile", oldProfile);

  // The stack's role and instance profile are at path "/"; another path replaces them.
  for (const old of [oldRole, oldProfile]) {
    const rolePath = old?.values.path;
    if (old && typeof rolePath === "string" && rolePath !== "" && rolePath !== "/") {
      refusals.push(`${old.address}: path ${JSON.stringify(rolePath)}; this project's instance role and profile are at "/", so it would be replaced`);
    }
  }

  // Arguments with no setting here that force a replacement.
  if (oldTargetGroup) {
    const v = oldTargetGroup.values;
    if (Number(v.port) !== target.appPort) {
      refusals.push(`appPort = ${target.appPort}: the existing target group ${oldTargetGroup.address} sends to port ${v.port}; a different port replaces it. Set appPort to ${v.port} (and the image's port with it)`);
    }
    if (v.protocol !== undefined && v.protocol !== "HTTP") {
      refusals.push(`${oldTargetGroup.address}: protocol ${v.protocol}; this project's target group is HTTP, so it would be replaced`);
    }
    if (v.target_type !== undefined && v.target_type !== "instance") {
      refusals.push(`${oldTargetGroup.address}: target_type ${v.target_type}; this project registers instances, so it would be replaced`);
    }
  }
  if (oldLoadBalancer) {
    if (oldLoadBalancer.values.internal === true) {
      refusals.push(`${oldLoadBalancer.address}: is internal; this project's ALB is internet-facing, so it would be replaced`);
    }
    if (oldLoadBalancer.values.load_balancer_type !== undefined && oldLoadBalancer.values.load_balancer_type !== "application") {
      refusals.push(`${oldLoadBalancer.address}: is a ${oldLoadBalancer.values.load_balancer_type} load balancer; this project's is an application load balancer`);
    }
  }

  // The network: objects stay in the VPC they are in.
  let defaultVpc: Record<string, never> | undefined;
  const vpcId = (oldTargetGroup?.values.vpc_id ?? oldGroups[0]?.values.vpc_id) as string | undefined;
  if (vpcId) {
    const defaultVpcInState = state.resources.find((r) => r.mode === "data" && r.type === "aws_vpc" && r.values.default === true);
    const isDefault = defaultVpcInState?.values.id === vpcId;
    if (target.existingNetwork) {
      if (target.existingNetwork.vpcId !== vpcId) {
        refusals.push(`existingNetwork.vpcId = ${JSON.stringify(target.existingNetwork.vpcId)}: the existing objects are in ${vpcId}; another VPC replaces them. Set existingNetwork.vpcId to ${JSON.stringify(vpcId)}${isDefault ? " (or use defaultVpc: {})" : ""}`);
      }
    } else if (isDefault) {
      defaultVpc = {};
    } else if (!target.defaultVpc) {
      refusals.push(`existingNetwork: the existing objects are in ${vpcId}; without existingNetwork (vpcId ${JSON.stringify(vpcId)} and its subnets) the stack creates a VPC and replaces them all`);
    } else if (defaultVpcInState === undefined) {
      effects.push({ kind: "move", note: `defaultVpc is set; check that ${vpcId} is the region's default VPC (the state does not say)` });
    } else {
      refusals.push(`defaultVpc: the existing objects are in ${vpcId}, not in the default VPC ${defaultVpcInState.values.id}; set existingNetwork instead`);
    }
  }

  // A removed block names a resource, not an instance: where a rule the stack does not keep
  // shares its resource address with an instance that must be kept (the same module code
  // applied for another deployment, `module.alb["blue"]` beside `module.alb["green"]`), it
  // cannot be destroyed without the other. It is forgotten instead and listed to delete by
  // hand, with the command, so it never stays open unsaid.
  const keptAt = new Map<string, string>();
  const resourceOf = (address: string) => {
    const resource = oldByAddress.get(address);
    return resource ? configResourceAddress(resource.parsed) : undefined;
  };
  for (const address of [
    ...Object.keys(leftovers).filter((candidate) => leftovers[candidate] === "forget"),
    ...Object.values(mapping).flatMap((entry) => (entry.importId ? [entry.from] : [])),
  ]) {
    const from = resourceOf(address);
    if (from !== undefined && !keptAt.has(from)) keptAt.set(from, address);
  }
  const handDeletions: string[] = [];
  for (const address of Object.keys(leftovers).filter((candidate) => leftovers[candidate] === "destroy")) {
    const keptHere = keptAt.get(resourceOf(address) ?? "");
    if (keptHere === undefined) continue;
    const rule = oldByAddress.get(address)!;
    leftovers[address] = "forget";
    const effect = effects.find((candidate) => candidate.kind === "destroy" && candidate.old === address);
    const command = revokeCommand(rule);
    if (effect) {
      effects[effects.indexOf(effect)] = {
        kind: "forget",
        old: address,
        note: `${effect.note ?? "not kept"}; forgotten, not destroyed, because ${keptHere} at the same resource address is kept and a removed block names the resource: delete it by hand after the apply${command ? ` (${command})` : ""}`,
      };
    }
    handDeletions.push(`${address}: ${command ?? "delete the rule in the console or with the AWS CLI"}`);
  }

  // OpenTofu's removed block names a resource, not an instance: the instances left at one old
  // resource after the moves must all be forgotten or all destroyed.
  const removal = removedBlocks(
    [
      ...Object.entries(mapping)
        .filter(([, entry]) => entry.importId)
        .map(([path, entry]) => ({ address: entry.from, destroy: false, why: `imported into ${path}` })),
      ...Object.entries(leftovers).map(([address, action]) => ({ address, destroy: action === "destroy", why: action === "destroy" ? "not kept" : "no counterpart" })),
    ],
    {
      stateAddresses: managed.map((resource) => resource.address),
      moved: new Set(Object.values(mapping).filter((entry) => !entry.importId).map((entry) => entry.from)),
    },
  );
  refusals.push(...removal.problems);

  if (refusals.length > 0) {
    return { ok: false, refusals };
  }
  const behaviour = behaviourChanges(
    Object.entries(mapping)
      .filter(([path]) => ourByPath.has(path) && oldByAddress.has(mapping[path].from))
      .map(([path, entry]) => ({ old: oldByAddress.get(entry.from)!, ours: ourByPath.get(path)! })),
  );
  const providerReplacements = state.providers.filter((provider) => provider === TERRAFORM_AWS);
  return {
    ok: true,
    file: {
      ...(defaultVpc ? { defaultVpc } : {}),
      names,
      adoption: {
        source,
        resources: mapping,
        leftovers,
        stateAddresses: managed.map((resource) => resource.address).sort(),
      },
    },
    effects,
    behaviourChanges: behaviour,
    handDeletions,
    providerReplacements: providerReplacements.map(() => `tofu state replace-provider -auto-approve ${TERRAFORM_AWS} ${OPENTOFU_AWS}`),
  };
}

/** The summary `npm run adopt` prints: what the plan will do, by object. */
export function describeEffects(effects: PlannedEffect[]): string[] {
  const order: PlannedEffect["kind"][] = ["move", "import", "destroy", "forget", "create"];
  const titles: Record<PlannedEffect["kind"], string> = {
    move: "moved (same object, new address; no replacement):",
    import: "imported by id (old address forgotten, never destroyed):",
    destroy: "destroyed (deliberately not kept):",
    forget: "forgotten (removed from state, left in AWS):",
    create: "created (new in this stack):",
  };
  const lines: string[] = [];
  for (const kind of order) {
    const found = effects.filter((effect) => effect.kind === kind);
    if (found.length === 0) continue;
    lines.push(titles[kind]);
    for (const effect of found) {
      const arrow = effect.old && effect.ours ? `${effect.old} -> ${effect.ours}` : (effect.old ?? effect.ours ?? "");
      lines.push(`  ${arrow}${effect.note ? ` (${effect.note})` : ""}`);
    }
  }
  return lines;
}
