/**
 * Security group rules come in three shapes in Terraform: the standalone
 * `aws_vpc_security_group_{ingress,egress}_rule` resources, the older
 * `aws_security_group_rule`, and `ingress` / `egress` blocks inside
 * `aws_security_group` / `aws_default_security_group`. The rules judge one normalised
 * shape so that none of them is a way around a rule (checkov, for one, misses the
 * all-traffic egress written as `aws_vpc_security_group_egress_rule`).
 */
import { ResourceView, StackView, blocks, resourcesOfType } from "./stack-view";

export interface NormalisedRule {
  /** The resource that declares the rule. */
  readonly resource: ResourceView;
  readonly direction: "ingress" | "egress";
  /** Lower-case protocol; `-1` for all traffic. */
  readonly protocol: string;
  /** Port range; all ports for all-traffic rules. */
  readonly fromPort: number;
  readonly toPort: number;
  /** IPv4 and IPv6 CIDRs the rule opens to (empty for group or prefix list sources). */
  readonly cidrs: string[];
  /** Expression of the security group the rule belongs to (`${aws_security_group.x.id}`). */
  readonly securityGroup: unknown;
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function normaliseProtocol(value: unknown): string {
  const text = String(value ?? "").toLowerCase();
  return ALL_PROTOCOLS.has(text) ? "-1" : (PROTOCOL_NUMBERS[text] ?? text);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") {
    return [value];
  }
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function make(
  resource: ResourceView,
  direction: "ingress" | "egress",
  protocolValue: unknown,
  fromPort: unknown,
  toPort: unknown,
  cidrs: string[],
  securityGroup: unknown,
): NormalisedRule {
  const protocol = normaliseProtocol(protocolValue);
  const all = protocol === "-1";
  const from = Number(fromPort);
  const to = Number(toPort);
  return {
    resource,
    direction,
    protocol,
    // A missing or -1 port on tcp/udp means every port, as AWS reads it.
    fromPort: all || !Number.isFinite(from) || from < 0 ? 0 : from,
    toPort: all || !Number.isFinite(to) || to < 0 ? 65535 : to,
    cidrs,
    securityGroup,
  };
}

/** Every security group rule of the stack, whichever way it is written. */
export function securityGroupRules(stack: StackView): NormalisedRule[] {
  const rules: NormalisedRule[] = [];
  for (const resource of resourcesOfType(stack, "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")) {
    const v = resource.values;
    const direction = resource.type.endsWith("ingress_rule") ? "ingress" : "egress";
    rules.push(make(resource, direction, v.ip_protocol, v.from_port, v.to_port, [...strings(v.cidr_ipv4), ...strings(v.cidr_ipv6)], v.security_group_id));
  }
  for (const resource of resourcesOfType(stack, "aws_security_group_rule")) {
    const v = resource.values;
    const direction = v.type === "egress" ? "egress" : "ingress";
    rules.push(make(resource, direction, v.protocol, v.from_port, v.to_port, [...strings(v.cidr_blocks), ...strings(v.ipv6_cidr_blocks)], v.security_group_id));
  }
  for (const resource of resourcesOfType(stack, "aws_security_group", "aws_default_security_group")) {
    const groupRef = `\${${resource.address}.id}`;
    for (const direction of ["ingress", "egress"] as const) {
      for (const inline of blocks(resource.values[direction])) {
        rules.push(
          make(resource, direction, inline.protocol, inline.from_port, inline.to_port, [...strings(inline.cidr_blocks), ...strings(inline.ipv6_cidr_blocks)], groupRef),
        );
      }
    }
  }
  return rules;
}

/** Whether a CIDR is the whole IPv4 or IPv6 internet. */
export function isWorld(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

/** Whether the rule's port range includes `port` (all-traffic rules include every port). */
export function coversPort(rule: NormalisedRule, port: number): boolean {
  if (rule.protocol !== "-1" && rule.protocol !== "tcp") {
    return false;
  }
  return rule.fromPort <= port && port <= rule.toPort;
}
