/**
 * Rules for the request path: load balancer, listeners and rules, target groups and their
 * registrations, certificates, the WAF in front and the DNS names pointing at it.
 */
import { AttributeChange, Outcome, RuleInput, TypeRule, asNumber, benign, block, disruptive, humanList, notClassified, removed, added, review, show, CREATED } from "./rule";
import { PlanContext, attachesToNew } from "./plan-context";

const LB_REPLACE = "the ALB's DNS name changes (clients, CNAMEs and alias records pointing at it break) and requests fail until the new one is provisioned and its targets are healthy";

/** Load balancer attributes that tune behaviour without taking it off the path. */
const LB_TUNING = [
  "idle_timeout",
  "client_keep_alive",
  "enable_http2",
  "desync_mitigation_mode",
  "enable_cross_zone_load_balancing",
  "enable_tls_version_and_cipher_suite_headers",
  "enable_xff_client_port",
  "xff_header_processing_mode",
  "preserve_host_header",
  "enable_zonal_shift",
  "dns_record_client_routing_policy",
  "minimum_load_balancer_capacity",
];

function loadBalancerSubnets(change: AttributeChange): Outcome {
  const ids = (value: unknown): string[] =>
    (Array.isArray(value) ? value : []).map((v) => (typeof v === "string" ? v : String((v as { subnet_id?: string }).subnet_id ?? ""))).filter(Boolean);
  if (change.unknown) return disruptive(`the load balancer's subnets become ones created in this apply (${change.name}): its nodes move, and if the new subnets have no route to the internet gateway it is unreachable`);
  const before = ids(change.before);
  const after = ids(change.after);
  const gone = before.filter((s) => !after.includes(s));
  const extra = after.filter((s) => !before.includes(s));
  if (gone.length && extra.length) {
    return disruptive(`the load balancer moves from ${humanList(gone)} to ${humanList(extra)}: its nodes there stop serving, and if the new subnets have no route to the internet gateway it is unreachable`);
  }
  if (gone.length) {
    return after.length < 2
      ? review(`the load balancer is left in ${after.length} subnet (${humanList(after)}): one zone's failure takes the service down`)
      : review(`the load balancer leaves ${humanList(gone)}: clients resolving to its nodes there are cut off until DNS moves them`);
  }
  return benign(`the load balancer also serves from ${humanList(extra)}`);
}

function logsSetting(what: string): (change: AttributeChange) => Outcome {
  return (change) => {
    const before = block(change.before);
    const after = block(change.after);
    if (before.enabled === true && after.enabled !== true) return disruptive(`${what} stop: requests are no longer recorded (the audit trail has a gap from this apply on)`);
    if (before.enabled === true && (before.bucket !== after.bucket || before.prefix !== after.prefix)) {
      return review(`${what} go to ${show(after.bucket)}${after.prefix ? `/${show(after.prefix)}` : ""} instead of ${show(before.bucket)}${before.prefix ? `/${show(before.prefix)}` : ""}: check the new bucket accepts them`);
    }
    if (before.enabled !== true && after.enabled === true) return benign(`${what} start, to ${show(after.bucket)}`);
    return benign(`${what} settings unchanged in effect`);
  };
}

export const loadBalancer: TypeRule = {
  role: "load balancer",
  replace: () => disruptive(LB_REPLACE),
  delete: () => disruptive("the service loses its entry point: every request fails"),
  update: {
    ...Object.fromEntries(LB_TUNING.map((a) => [a, "benign" as const])),
    security_groups: (c) =>
      disruptive(`the load balancer's security groups become ${c.unknown ? "groups created in this apply" : show(c.after)} (were ${show(c.before)}): its listeners may stop accepting connections, and the instances' rule that allows the load balancer's group no longer matches it`),
    subnets: loadBalancerSubnets,
    subnet_mapping: loadBalancerSubnets,
    access_logs: logsSetting("access logs"),
    connection_logs: logsSetting("connection logs"),
    health_check_logs: logsSetting("health check logs"),
    enable_deletion_protection: (c) =>
      c.after === true ? benign("deletion protection on") : review("deletion protection off: a later apply or a person can delete the load balancer"),
    drop_invalid_header_fields: (c) => (c.after === true ? benign("invalid header fields are dropped") : review("invalid header fields are passed to the app again (request smuggling hardening off)")),
    enable_waf_fail_open: (c) => (c.after === true ? review("fail open: when the WAF cannot be reached, requests are let through unchecked") : benign("fail closed when the WAF cannot be reached")),
    ip_address_type: (c) => review(`address type ${show(c.before)} → ${show(c.after)}: clients on the address family it drops cannot connect`),
  },
};

function forwardTargets(action: Record<string, unknown>): string[] {
  const arns: string[] = [];
  if (typeof action.target_group_arn === "string" && action.target_group_arn) arns.push(action.target_group_arn);
  for (const f of (action.forward as Array<{ target_group?: Array<{ arn?: string }> }> | undefined) ?? []) {
    for (const tg of f.target_group ?? []) if (tg.arn) arns.push(tg.arn);
  }
  return [...new Set(arns)];
}

function describeAction(action: Record<string, unknown>, plan: PlanContext): string {
  switch (action.type) {
    case "forward": {
      const targets = forwardTargets(action);
      if (!targets.length) return "forward to a target group known after apply";
      const empty = targets.filter((arn) => !plan.registeredTargetGroups.has(arn));
      return `forward to ${humanList(targets.map(tgName))}${empty.length ? ` (${humanList(empty.map(tgName))} has no instances registered: 503s)` : ""}`;
    }
    case "fixed-response": {
      const fixed = block(action.fixed_response);
      return `answer every request with a fixed ${show(fixed.status_code)} (the app is no longer reached)`;
    }
    case "redirect": {
      const r = block(action.redirect);
      return `redirect (${show(r.status_code)}) to ${show(r.protocol)}://${show(r.host)}:${show(r.port)}${show(r.path)}`;
    }
    default:
      return `${show(action.type)}`;
  }
}

function tgName(arn: string): string {
  const match = /targetgroup\/([^/]+)\//.exec(arn);
  return match ? `target group ${match[1]}` : arn;
}

function defaultAction(change: AttributeChange, input: RuleInput): Outcome {
  const after = Array.isArray(change.after) ? (change.after as Record<string, unknown>[]) : [];
  const before = Array.isArray(change.before) ? (change.before as Record<string, unknown>[]) : [];
  const sameTargets =
    !change.unknown &&
    before.length === after.length &&
    before.every((b, i) => b.type === after[i]?.type && JSON.stringify(forwardTargets(b)) === JSON.stringify(forwardTargets(after[i] ?? {})));
  if (sameTargets && before.every((b) => b.type === "forward")) {
    return review(`the listener's forward settings change (stickiness or weights): ${after.map((a) => describeAction(a, input.plan)).join("; ")}`);
  }
  const now = change.unknown && !after.length ? "an action known after apply" : after.map((a) => describeAction(a, input.plan)).join(", then ");
  return disruptive(`the listener will ${now} instead of ${before.map((a) => describeAction(a, input.plan)).join(", then ")}`);
}

export const listener: TypeRule = {
  role: "listener",
  replace: () => disruptive("the port refuses connections between the old listener's deletion and the new one's creation"),
  delete: () => disruptive("the port stops accepting connections"),
  update: {
    default_action: defaultAction,
    port: (c) => disruptive(`the listener moves from port ${show(c.before)} to ${show(c.after)}: clients on port ${show(c.before)} are refused`),
    protocol: (c) => disruptive(`the listener's protocol changes from ${show(c.before)} to ${show(c.after)}: clients speaking ${show(c.before)} fail`),
    certificate_arn: (c) => review(`clients are served another certificate (${show(c.after)}): check it covers the service's names and is trusted`),
    ssl_policy: (c) => review(`TLS policy ${show(c.before)} → ${show(c.after)}: clients that only support the dropped protocols or ciphers fail the handshake`),
    alpn_policy: (c) => review(`ALPN policy ${show(c.before)} → ${show(c.after)}`),
    mutual_authentication: () => review("mutual TLS settings change: clients without an accepted certificate are refused"),
    tcp_idle_timeout_seconds: "benign",
    ...Object.fromEntries(
      [
        "routing_http_response_server_enabled",
        "routing_http_response_strict_transport_security_header_value",
        "routing_http_response_x_content_type_options_header_value",
        "routing_http_response_x_frame_options_header_value",
        "routing_http_response_content_security_policy_header_value",
      ].map((a) => [a, "benign" as const]),
    ),
  },
};

export const listenerRule: TypeRule = {
  role: "listener rule",
  create: ({ rc, plan }) =>
    attachesToNew(plan, rc, ["listener_arn"])
      ? CREATED
      : review(`a new rule on a serving listener: requests matching it go to ${describeAction(block(rc.change.after?.action), plan)}`),
  replace: () => disruptive("requests matching the rule fall through to the default action until it is re-created"),
  delete: () => disruptive("requests matching the rule fall through to the default action"),
  update: {
    action: (c, input) => disruptive(`requests matching the rule will ${describeAction(block(c.after), input.plan)} instead of ${describeAction(block(c.before), input.plan)}`),
    condition: (c) => review(`the rule matches other requests (${show(c.after)} instead of ${show(c.before)}): requests it no longer matches fall through to the default action`),
    priority: (c) => review(`rule priority ${show(c.before)} → ${show(c.after)}: another rule may now win for the same requests`),
  },
};

function healthCheck(change: AttributeChange): Outcome {
  const before = block(change.before);
  const after = block(change.after);
  const moved = ["path", "port", "matcher", "protocol"].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (before.enabled !== false && after.enabled === false) return review("health checks off: instances that stop answering keep receiving requests");
  if (moved.length) {
    return disruptive(
      `the health check moves (${moved.map((k) => `${k} ${show(before[k])} → ${show(after[k])}`).join(", ")}): every instance that does not answer the new check is marked unhealthy and taken out of service, and the group replaces it`,
    );
  }
  const timing = ["interval", "timeout", "healthy_threshold", "unhealthy_threshold"].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const other = Object.keys({ ...before, ...after }).filter((k) => !["path", "port", "matcher", "protocol", "enabled", ...timing].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (other.length) return notClassified(`health_check ${other.join(", ")}`);
  const what = timing.map((k) => `${k} ${show(before[k])} → ${show(after[k])}`).join(", ");
  // How long an instance that stopped answering keeps receiving requests: interval × unhealthy threshold.
  const detection = (v: Record<string, unknown>) => (asNumber(v.interval) ?? 30) * (asNumber(v.unhealthy_threshold) ?? 2);
  if (detection(after) > detection(before)) {
    return review(`health check timing (${what}): an instance that stops answering keeps receiving requests for up to ${detection(after)} s instead of ${detection(before)} s`);
  }
  return benign(`health check timing (${what}): a failed instance is found within ${detection(after)} s (was ${detection(before)} s)`);
}

export const targetGroup: TypeRule = {
  role: "target group",
  replace: () =>
    disruptive("every instance is deregistered; the listener forwards to an empty target group (503s) until the group registers its instances in the new one and they pass health checks"),
  delete: () => disruptive("the listener has nowhere to send requests (503s)"),
  update: {
    health_check: healthCheck,
    deregistration_delay: (c) => {
      // The provider keeps the delay as a string ("30"); anything that is not a whole number of
      // seconds (a value known after apply included) is not judged: fail closed.
      const seconds = (v: unknown): number | undefined => (typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v)) ? Number(v) : undefined);
      const before = seconds(c.before);
      const after = seconds(c.after);
      if (c.unknown || after === undefined) return review(`deregistration delay ${show(c.after)}: not a number of seconds this review understands`);
      if (after === 0) return review("deregistration delay 0: requests in flight are cut when an instance leaves (every rolling update and scale-in)");
      if (before !== undefined && after < before) {
        return review(`deregistration delay shortened from ${before} s to ${after} s: requests still in flight after ${after} s are cut when an instance leaves (every rolling update and scale-in); check the app's drain time`);
      }
      return benign(`instances leaving get ${after} s to finish requests in flight (was ${show(c.before)} s)`);
    },
    stickiness: "benign",
    slow_start: "benign",
    load_balancing_algorithm_type: "benign",
    load_balancing_anomaly_mitigation: "benign",
    load_balancing_cross_zone_enabled: "benign",
    load_balancer_arns: "benign",
    target_health_state: () => review("target health state settings change: unhealthy targets may keep receiving requests"),
    target_failover: () => review("target failover settings change"),
  },
};

export const targetRegistration: TypeRule = {
  role: "target registration",
  replace: () => disruptive("the target is deregistered and drained, then registered again"),
  delete: () => disruptive("the target stops receiving traffic"),
  update: {},
};

export const groupAttachment: TypeRule = {
  role: "target group attachment",
  replace: () => disruptive("the group's instances are deregistered from the target group and registered again"),
  delete: () => disruptive("the group's instances stop receiving traffic from that target group"),
  update: {},
};

export const listenerCertificate: TypeRule = {
  role: "listener certificate",
  replace: () => review("the extra certificate is removed and added again: clients of its names may see the default certificate in between"),
  delete: () => disruptive("clients of the names only this certificate covers get a certificate error"),
  update: {},
};

export const certificate: TypeRule = {
  role: "certificate",
  replace: () => review("a new certificate replaces it: listeners move to it; check it is validated before the old one goes"),
  delete: () => disruptive("HTTPS listeners using it lose their certificate"),
  update: {
    options: () => review("certificate options change (transparency logging)"),
    validation_option: "benign",
  },
};

export const certificateValidation: TypeRule = {
  role: "certificate validation",
  replace: () => benign("waits again for the certificate's validation; nothing serving changes"),
  delete: () => benign("removed from state (it only waits for validation); the certificate stays"),
  update: {},
};

export const webAclAssociation: TypeRule = {
  role: "WAF association",
  replace: () => review("the load balancer is unprotected between the association's deletion and re-creation"),
  delete: ({ rc }) => disruptive(`the load balancer is no longer protected by the web ACL (${show(rc.change.before?.web_acl_arn)}): requests reach the app unfiltered`),
  update: {},
};

export const webAcl: TypeRule = {
  role: "web ACL",
  replace: () => disruptive("the load balancer is unprotected until the new web ACL is associated"),
  delete: () => disruptive("the web ACL and its association go: requests reach the app unfiltered"),
  update: {
    rule: (c) => {
      const gone = removed<{ name?: string }>(c.before, c.after).map((r) => r.name ?? "?");
      const extra = added<{ name?: string }>(c.before, c.after).map((r) => r.name ?? "?");
      return review(`the web ACL's rules change (${[gone.length ? `removed or changed: ${humanList(gone)}` : "", extra.length ? `added or changed: ${humanList(extra)}` : ""].filter(Boolean).join("; ")}): requests may be blocked or let through differently`);
    },
    default_action: (c) =>
      block(c.after).block ? disruptive("the web ACL's default action becomes block: every request no rule allows is refused") : review(`the web ACL's default action changes: ${show(c.after)}`),
    description: "benign",
    visibility_config: "benign",
    capacity: "benign",
    lock_token: "benign",
  },
};

export const webAclLogging: TypeRule = {
  role: "WAF logging",
  replace: () => review("WAF logging is re-created: a gap in the record"),
  delete: () => review("the WAF's decisions are no longer logged"),
  update: {
    log_destination_configs: (c) => review(`WAF logs go to ${show(c.after)} instead of ${show(c.before)}`),
    redacted_fields: () => review("WAF logs redact other fields"),
    logging_filter: () => review("WAF logs keep other requests"),
  },
};

function recordTarget(values: Record<string, unknown> | null): string {
  if (!values) return "nothing";
  const alias = block(values.alias);
  if (alias.name) return `alias ${show(alias.name)}`;
  return show(values.records);
}

export const dnsRecord: TypeRule = {
  role: "DNS record",
  create: ({ rc }) =>
    rc.change.after?.allow_overwrite === true
      ? review(`the record may overwrite an existing ${show(rc.change.after?.name)} (allow_overwrite): clients of that name move to ${recordTarget(rc.change.after)}`)
      : CREATED,
  replace: ({ rc }) => disruptive(`${show(rc.change.before?.name)} does not resolve between the record's deletion and re-creation`),
  delete: ({ rc }) => disruptive(`${show(rc.change.before?.name)} stops resolving: clients using the name cannot reach the service`),
  update: {
    alias: (c, { rc }) => disruptive(`${show(rc.change.after?.name)} will point to ${recordTarget(rc.change.after)} instead of ${recordTarget(rc.change.before)}${c.unknown ? " (known after apply)" : ""}`),
    records: (_c, { rc }) => disruptive(`${show(rc.change.after?.name)} will resolve to ${recordTarget(rc.change.after)} instead of ${recordTarget(rc.change.before)}`),
    ttl: "benign",
    weighted_routing_policy: () => review("the record's routing weight changes: a different share of clients reach this service"),
    failover_routing_policy: () => review("the record's failover role changes"),
    health_check_id: () => review("the record's health check changes: DNS failover decides differently"),
    allow_overwrite: "benign",
  },
};
