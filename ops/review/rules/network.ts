/**
 * Rules for reachability: the VPC, subnets, gateways, routes and route tables, security
 * groups and their rules, network ACLs.
 */
import { ResourceChange } from "../plan";
import { AttributeChange, Outcome, TypeRule, benign, disruptive, humanList, removed, added, review, show, CREATED } from "./rule";
import { PlanContext, attachesToNew, configAddress } from "./plan-context";

const ROUTE_TARGETS = [
  "gateway_id",
  "nat_gateway_id",
  "network_interface_id",
  "transit_gateway_id",
  "vpc_peering_connection_id",
  "vpc_endpoint_id",
  "egress_only_gateway_id",
  "carrier_gateway_id",
  "core_network_arn",
  "local_gateway_id",
  "instance_id",
];

function routeTarget(route: Record<string, unknown> | null | undefined): string {
  if (!route) return "nowhere";
  const target = ROUTE_TARGETS.map((k) => route[k]).find((v) => typeof v === "string" && v !== "");
  return typeof target === "string" ? target : "nowhere";
}

function routeDestination(route: Record<string, unknown> | null | undefined): string {
  if (!route) return "?";
  return String(route.destination_cidr_block || route.cidr_block || route.destination_ipv6_cidr_block || route.ipv6_cidr_block || route.destination_prefix_list_id || "?");
}

function describeTarget(target: string): string {
  if (target.startsWith("igw-")) return `the internet gateway ${target} (only instances with a public IP get out)`;
  if (target.startsWith("nat-")) return `the NAT gateway ${target}`;
  return target;
}

export const vpc: TypeRule = {
  role: "VPC",
  replace: () => disruptive("everything inside it (subnets, load balancer, instances) is destroyed and re-created"),
  delete: () => disruptive("everything inside it is destroyed"),
  update: {
    enable_dns_support: (c) => (c.after === false ? disruptive("DNS resolution off in the VPC: instances cannot resolve AWS endpoints or anything else") : benign("DNS resolution on")),
    enable_dns_hostnames: (c) => (c.after === false ? review("instances lose their DNS host names") : benign("instances get DNS host names")),
    assign_generated_ipv6_cidr_block: (c) => review(`IPv6 block ${c.after ? "added" : "removed"}`),
    enable_network_address_usage_metrics: "benign",
  },
};

export const subnet: TypeRule = {
  role: "subnet",
  replace: () => disruptive("the load balancer nodes and instances in it must leave it first: instances there are terminated and the ALB loses that zone"),
  delete: () => disruptive("the load balancer nodes and instances in it are removed"),
  update: {
    map_public_ip_on_launch: (c) =>
      c.after === true ? review("instances launched in this subnet get a public IP: they become reachable from the internet if a security group allows it") : review("instances launched in this subnet get no public IP: behind an internet-gateway route they can no longer get out"),
    assign_ipv6_address_on_creation: (c) => review(`new instances ${c.after ? "get" : "no longer get"} an IPv6 address`),
    enable_resource_name_dns_a_record_on_launch: "benign",
    enable_resource_name_dns_aaaa_record_on_launch: "benign",
    private_dns_hostname_type_on_launch: "benign",
  },
};

export const internetGateway: TypeRule = {
  role: "internet gateway",
  replace: () => disruptive("the VPC has no route to the internet in between: the internet-facing ALB is unreachable"),
  delete: () => disruptive("the internet-facing ALB becomes unreachable"),
  update: {
    vpc_id: () => disruptive("the internet gateway moves to another VPC: this VPC's internet-facing ALB becomes unreachable"),
  },
};

export const natGateway: TypeRule = {
  role: "NAT gateway",
  replace: () => disruptive("instances in private subnets lose outbound access (SSM, package repositories) and the gateway's public IP changes"),
  delete: () => disruptive("instances in private subnets lose outbound access"),
  update: {},
};

export const elasticIp: TypeRule = {
  role: "elastic IP",
  replace: () => disruptive("the public address changes (allow-lists naming it break)"),
  delete: () => disruptive("the public address is released"),
  update: {},
};

export const route: TypeRule = {
  role: "route",
  create: ({ rc, plan }) =>
    attachesToNew(plan, rc, ["route_table_id"])
      ? CREATED
      : review(`a new route in a route table in use: traffic for ${routeDestination(rc.change.after)} goes to ${describeTarget(routeTarget(rc.change.after))}`),
  replace: ({ rc }) => disruptive(`traffic for ${routeDestination(rc.change.before)} has no path between the route's deletion and re-creation`),
  delete: ({ rc }) => disruptive(`traffic for ${routeDestination(rc.change.before)} has no path`),
  updateAll: ({ rc }, changed) => {
    const targets = changed.filter((c) => ROUTE_TARGETS.includes(c.name)).map((c) => c.name);
    if (!targets.length) return { outcomes: [], handled: [] };
    const before = routeTarget(rc.change.before);
    const after = targets.some((t) => changed.find((c) => c.name === t)?.unknown) ? "a target known after apply" : describeTarget(routeTarget(rc.change.after));
    return {
      outcomes: [disruptive(`traffic for ${routeDestination(rc.change.before)} goes to ${after} instead of ${describeTarget(before)}`)],
      handled: targets,
    };
  },
  update: {},
};

function routesOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

export const routeTable: TypeRule = {
  role: "route table",
  replace: () => disruptive("subnets associated with it lose their routes until the new table is associated"),
  delete: () => disruptive("subnets associated with it fall back to the main route table"),
  update: {
    route: (c) => {
      const before = routesOf(c.before);
      const after = routesOf(c.after);
      const lost = before.filter((r) => !after.some((a) => routeDestination(a) === routeDestination(r)));
      const moved = before.filter((r) => after.some((a) => routeDestination(a) === routeDestination(r) && routeTarget(a) !== routeTarget(r)));
      const extra = after.filter((a) => !before.some((r) => routeDestination(a) === routeDestination(r)));
      if (lost.length || moved.length) {
        return disruptive(
          [
            lost.length ? `traffic for ${humanList(lost.map(routeDestination))} loses its route` : "",
            ...moved.map((r) => `traffic for ${routeDestination(r)} goes to ${describeTarget(routeTarget(after.find((a) => routeDestination(a) === routeDestination(r))))} instead of ${describeTarget(routeTarget(r))}`),
          ]
            .filter(Boolean)
            .join("; "),
        );
      }
      if (extra.length) return review(`new routes in a table in use: ${extra.map((r) => `${routeDestination(r)} → ${routeTarget(r)}`).join(", ")}`);
      return benign("routes unchanged in effect");
    },
    propagating_vgws: () => review("VPN route propagation changes: routes learned from a VPN gateway appear or disappear"),
  },
};

export const routeTableAssociation: TypeRule = {
  role: "route table association",
  create: ({ rc, plan }) =>
    attachesToNew(plan, rc, ["subnet_id", "gateway_id"]) ? CREATED : review(`subnet ${show(rc.change.after?.subnet_id)} switches from the main route table to ${show(rc.change.after?.route_table_id)}`),
  replace: () => disruptive("the subnet uses the VPC's main route table in between"),
  delete: () => disruptive("the subnet falls back to the VPC's main route table"),
  update: {
    route_table_id: (c, { rc }) => disruptive(`subnet ${show(rc.change.before?.subnet_id)} switches to route table ${c.unknown ? "created in this apply" : show(c.after)} (was ${show(c.before)}): its traffic follows the new table's routes`),
  },
};

/** Is this security group (or the group a rule belongs to) attached to something running? */
function securityGroupUse(groupAddress: string | undefined, groupId: string | undefined, plan: PlanContext): { role: string; inUse: boolean } {
  const { instanceSecurityGroups: inst, loadBalancerSecurityGroups: lb } = plan;
  if ((groupAddress && inst.addresses.has(groupAddress)) || (groupId && inst.ids.has(groupId))) return { role: "instances' security group", inUse: true };
  if ((groupAddress && lb.addresses.has(groupAddress)) || (groupId && lb.ids.has(groupId))) return { role: "load balancer's security group", inUse: true };
  // Anything else mentioning the id (another group's rule, an endpoint, …) counts as a use: fail closed.
  const holders = groupId ? plan.valueHolders.get(groupId) : undefined;
  return { role: "security group", inUse: Boolean(holders && holders.size > 0) };
}

function groupOf(rc: ResourceChange, plan: PlanContext): { role: string; inUse: boolean } {
  return securityGroupUse(configAddress(rc), rc.change.before?.id as string | undefined, plan);
}

function ruleGroup(rc: ResourceChange, plan: PlanContext): { role: string; inUse: boolean } {
  const groupId = (rc.change.before?.security_group_id as string | undefined) ?? undefined;
  const use = securityGroupUse(undefined, groupId, plan);
  const role = use.role === "security group" ? "security group rule" : `rule of the ${use.role}`;
  return { role, inUse: use.inUse || Boolean(groupId) };
}

function describeRule(rule: Record<string, unknown>): string {
  const ports = rule.from_port === rule.to_port ? `${show(rule.from_port)}` : `${show(rule.from_port)}-${show(rule.to_port)}`;
  const protocol = String(rule.protocol ?? rule.ip_protocol ?? "?");
  const peers = [
    ...((rule.cidr_blocks as string[] | undefined) ?? []),
    ...((rule.ipv6_cidr_blocks as string[] | undefined) ?? []),
    ...((rule.security_groups as string[] | undefined) ?? []),
    ...((rule.prefix_list_ids as string[] | undefined) ?? []),
    ...[rule.cidr_ipv4, rule.cidr_ipv6, rule.referenced_security_group_id, rule.prefix_list_id, rule.source_security_group_id].filter((v): v is string => typeof v === "string" && v !== ""),
  ];
  if (rule.self === true) peers.push("itself");
  return `${protocol === "-1" ? "all traffic" : `${protocol} ${ports}`} ${peers.length ? `with ${peers.join(", ")}` : ""}`.trim();
}

function inlineRules(direction: "ingress" | "egress"): (c: AttributeChange, input: { rc: ResourceChange; plan: PlanContext }) => Outcome {
  return (c, { rc, plan }) => {
    const { role, inUse } = groupOf(rc, plan);
    const gone = removed<Record<string, unknown>>(c.before, c.after);
    const extra = added<Record<string, unknown>>(c.before, c.after);
    if (gone.length) {
      const text = `${direction} no longer allowed: ${gone.map(describeRule).join("; ")}${extra.length ? ` (allowed instead: ${extra.map(describeRule).join("; ")})` : ""}`;
      return inUse ? disruptive(`${text}: traffic of the ${role} that relied on it is refused`) : review(`${text} (no running resource is known to use this group)`);
    }
    return review(`${direction} newly allowed: ${extra.map(describeRule).join("; ")}`);
  };
}

export const securityGroup: TypeRule = {
  role: (rc, plan) => groupOf(rc, plan).role,
  replace: ({ rc, plan }) => {
    const { role, inUse } = groupOf(rc, plan);
    return inUse
      ? disruptive(`running ${role.startsWith("instances") ? "instances" : "load balancer nodes"} are attached to it: the old group cannot be deleted while they use it (the apply waits on DependencyViolation) and traffic between the ALB and the instances depends on rules being re-created first`)
      : benign("replaced; nothing running is known to use it");
  },
  delete: ({ rc, plan }) => {
    const { role, inUse } = groupOf(rc, plan);
    return inUse ? disruptive(`running ${role.startsWith("instances") ? "instances" : "resources"} are attached to it: deleting it fails or cuts their traffic`) : benign("destroyed; nothing running is known to use it");
  },
  update: {
    ingress: inlineRules("ingress"),
    egress: inlineRules("egress"),
    revoke_rules_on_delete: "benign",
  },
};

function standaloneRuleChange(c: AttributeChange, input: { rc: ResourceChange; plan: PlanContext }): Outcome {
  const { role, inUse } = ruleGroup(input.rc, input.plan);
  const text = `the ${role} changes from ${describeRule(input.rc.change.before ?? {})} to ${describeRule(input.rc.change.after ?? {})} (${c.name})`;
  return inUse ? disruptive(`${text}: the traffic it allowed is refused`) : review(text);
}

export const securityGroupRule: TypeRule = {
  role: (rc, plan) => ruleGroup(rc, plan).role,
  create: ({ rc, plan }) =>
    attachesToNew(plan, rc, ["security_group_id"])
      ? CREATED
      : review(`${String(rc.change.after?.type ?? (rc.type.includes("egress") ? "egress" : "ingress"))} newly allowed on a group in use: ${describeRule(rc.change.after ?? {})}`),
  replace: ({ rc, plan }) =>
    ruleGroup(rc, plan).inUse ? disruptive("the traffic it allows is refused between its deletion and re-creation") : benign("replaced; its group is not known to be in use"),
  delete: ({ rc, plan }) => (ruleGroup(rc, plan).inUse ? disruptive(`the traffic it allows (${describeRule(rc.change.before ?? {})}) is refused from now on`) : benign("destroyed; its group is not known to be in use")),
  update: {
    description: "benign",
    ...Object.fromEntries(["cidr_ipv4", "cidr_ipv6", "from_port", "to_port", "ip_protocol", "referenced_security_group_id", "prefix_list_id"].map((a) => [a, standaloneRuleChange])),
  },
};

export const defaultSecurityGroup: TypeRule = {
  role: "VPC default security group",
  replace: () => benign("the default group's rules are re-applied; nothing in this stack uses it"),
  delete: () => review("the default security group leaves management: AWS does not delete it, and its rules stay as they are"),
  update: {
    ingress: (c) => (added(c.before, c.after).length ? review(`the VPC's default group allows new ingress: ${show(added(c.before, c.after))}`) : benign("the default group allows less")),
    egress: (c) => (added(c.before, c.after).length ? review(`the VPC's default group allows new egress: ${show(added(c.before, c.after))}`) : benign("the default group allows less")),
    revoke_rules_on_delete: "benign",
  },
};

export const networkAcl: TypeRule = {
  role: "network ACL",
  create: ({ rc, plan }) => (attachesToNew(plan, rc, ["vpc_id", "network_acl_id"]) ? CREATED : review("a new network ACL or rule on a VPC in use: traffic filtering changes")),
  replace: () => review("the network ACL is re-created: traffic filtering changes in between"),
  delete: () => review("a network ACL or rule goes: traffic filtering changes"),
  update: {
    ingress: () => review("network ACL ingress changes: subnets may refuse traffic they accepted"),
    egress: () => review("network ACL egress changes: subnets may refuse traffic they sent"),
    subnet_ids: () => review("the subnets the network ACL applies to change"),
  },
};

