import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  PhysicalName,
  givenNameOr,
  Problem,
  Problems,
  checkCertificateArn,
  checkEach,
  checkHealthCheckMatcher,
  checkHealthCheckPath,
  checkHealthCheckTiming,
  checkInteger,
  checkIpv4Cidr,
  checkPhysicalName,
  checkLogPrefix,
  checkS3BucketName,
  checkPort,
  nameArguments,
  isUnresolved,
  nested,
  optional,
  throwIfProblems,
  withDefaults,
} from "../core/checks";
import { LoadBalancerWebAcl, LoadBalancerWebAclProps, checkLoadBalancerWebAclProps } from "./load-balancer-web-acl";

/** Target group health check. */
export interface HealthCheckProps {
  /**
   * Path the load balancer requests on each instance.
   * @default "/health"
   */
  readonly path?: string;
  /**
   * HTTP codes that count as healthy.
   * @default "200"
   */
  readonly matcher?: string;
  /**
   * Seconds between checks, 5 to 300.
   * @default 10
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds without a response that count as a failure; must be below the interval.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive successes before an instance receives traffic, 2 to 10.
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before an instance stops receiving traffic, 2 to 10.
   * @default 2
   */
  readonly unhealthyThreshold?: number;
}

/**
 * Names of the objects whose name (or security group description) forces Terraform to
 * replace them when it changes. A replacement only applies when the new object can exist
 * beside the old one, so names default to prefixes wherever AWS has them.
 */
export interface LoadBalancerNames {
  /**
   * Give the target group and the security group a name prefix (AWS appends a unique
   * suffix), so a replacement (new app port, new description) is created before the old
   * one is deleted. `false` gives them the fixed names `<name>-tg` and `<name>-alb`.
   * @default true
   */
  readonly useNamePrefix?: boolean;
  /**
   * The ALB. Only `name` or a `namePrefix` of at most 6 characters.
   * @default { name: props.name } (nothing this module sets forces an ALB replacement, and a fixed name keeps its DNS name readable)
   */
  readonly loadBalancer?: PhysicalName;
  /**
   * The target group (a prefix is at most 6 characters).
   * @default { namePrefix: "tg-" } with useNamePrefix, else { name: "<name>-tg" }
   */
  readonly targetGroup?: PhysicalName;
  /**
   * The ALB's security group and its description. A fixed `name` needs an explicit
   * `description`: a fixed-name group can never be replaced (InvalidGroup.Duplicate).
   * @default { namePrefix: "<name>-alb-" } with useNamePrefix, else { name: "<name>-alb" }
   */
  readonly securityGroup?: PhysicalName;
}

export interface LoadBalancerProps {
  /** Base of the names of the ALB, its target group and its security group (see `names`). */
  readonly name: string;
  /**
   * Names and the security group description, for keeping the names of an existing deployment.
   * @default - see {@link LoadBalancerNames}
   */
  readonly names?: LoadBalancerNames;
  /** VPC of the load balancer and its targets. */
  readonly vpcId: string;
  /** Public subnets, at least two in distinct availability zones. */
  readonly subnetIds: string[];
  /** Port the app listens on; the target group sends traffic and health checks here. */
  readonly appPort: number;
  /**
   * IPv4 CIDRs that may reach the listeners.
   * @default ["0.0.0.0/0"]
   */
  readonly allowedCidrs?: string[];
  /**
   * ACM certificate ARN. When set, HTTP redirects to an HTTPS listener that uses it.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * TLS policy of the HTTPS listener.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Whether AWS refuses to delete the ALB until this is switched off.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Target group health check.
   * @default - see {@link HealthCheckProps}
   */
  readonly healthCheck?: HealthCheckProps;
  /**
   * Seconds the ALB keeps sending in-flight requests to a deregistering instance.
   * AWS defaults to 300, which makes every instance replacement of a rollout five
   * minutes slower; the app drains in far less.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds over which a new instance's share of traffic ramps up, 30 to 900.
   * @default - no slow start
   */
  readonly slowStartSeconds?: number;
  /**
   * Seconds an idle client connection is kept open.
   * @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * Access logs (one line per request) to an S3 bucket (SA-009). The bucket's policy
   * must let the region's ELB log delivery write; LoadBalancerLogBucket (modules/log-bucket) creates
   * such a bucket.
   * @default - no access logs
   */
  readonly accessLogs?: AccessLogsProps;
  /**
   * A WAFv2 web ACL with AWS managed rule groups and a per-IP rate limit (SA-015).
   * @default - no web ACL
   */
  readonly waf?: Omit<LoadBalancerWebAclProps, "name" | "loadBalancerArn">;
}

/** Where a load balancer writes its access logs. */
export interface AccessLogsProps {
  /** Name of the bucket (existing, or created in the same stack). */
  readonly bucketName: string;
  /**
   * Key prefix below which the logs go (ELB appends `AWSLogs/<account>/...`).
   * @default - the bucket root
   */
  readonly prefix?: string;
  /**
   * What must exist before logging is switched on: AWS tests the write when the
   * attribute is set, so a bucket created in the same stack must have its policy first.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Defaults of {@link HealthCheckProps}; the environment config reuses them. */
export const HEALTH_CHECK_DEFAULTS: Required<HealthCheckProps> = {
  path: "/health",
  matcher: "200",
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
};

/** Defaults of the optional {@link LoadBalancerProps}. */
export const LOAD_BALANCER_DEFAULTS = {
  allowedCidrs: ["0.0.0.0/0"] as readonly string[],
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  deletionProtection: false,
  deregistrationDelaySeconds: 30,
  idleTimeoutSeconds: 60,
} as const;

/** The names {@link LoadBalancer} gives its objects for `name` and `names` (defaults applied). */
export function resolveLoadBalancerNames(name: string, names: LoadBalancerNames | undefined): {
  loadBalancer: PhysicalName;
  targetGroup: PhysicalName;
  securityGroup: PhysicalName & { description: string };
} {
  const usePrefix = names?.useNamePrefix ?? true;
  const pick = (given: PhysicalName | undefined, prefixed: PhysicalName, fixed: PhysicalName): PhysicalName => givenNameOr(given, usePrefix ? prefixed : fixed);
  return {
    loadBalancer: pick(names?.loadBalancer, { name }, { name }),
    targetGroup: pick(names?.targetGroup, { namePrefix: "tg-" }, { name: `${name}-tg` }),
    securityGroup: {
      ...pick(names?.securityGroup, { namePrefix: `${name}-alb-` }, { name: `${name}-alb` }),
      description: names?.securityGroup?.description ?? `ALB ${name}: listeners from allowed CIDRs, egress to its targets only`,
    },
  };
}

/** Every rule of {@link LoadBalancerNames}, by dotted prop. */
export function checkLoadBalancerNames(names: LoadBalancerNames | undefined): Problems {
  return {
    ...nested("loadBalancer", checkPhysicalName("loadBalancer", names?.loadBalancer)),
    ...nested("targetGroup", checkPhysicalName("targetGroup", names?.targetGroup)),
    ...nested("securityGroup", checkPhysicalName("securityGroup", names?.securityGroup)),
    "securityGroup.description":
      names?.securityGroup?.name !== undefined && names.securityGroup.description === undefined
        ? "must be set when securityGroup.name is fixed: a security group with a fixed name cannot be replaced (InvalidGroup.Duplicate), so its description must not follow this project's default text"
        : checkPhysicalName("securityGroup", names?.securityGroup).description,
  };
}

/** Whether the names derived from `name` (for objects `names` does not name) are valid AWS names. */
function checkDerivedNames(name: string, names: LoadBalancerNames | undefined): Problem {
  const resolved = resolveLoadBalancerNames(name, names);
  for (const kind of ["loadBalancer", "targetGroup", "securityGroup"] as const) {
    if (names?.[kind]?.name !== undefined || names?.[kind]?.namePrefix !== undefined) {
      continue; // given, not derived from `name`: checked as names.<kind>
    }
    const value = { name: resolved[kind].name, namePrefix: resolved[kind].namePrefix };
    const problem = Object.values(checkPhysicalName(kind, value)).find((found) => found !== undefined);
    if (problem) {
      return `gives the ${kind} the name${value.name === undefined ? " prefix" : ""} ${JSON.stringify(value.name ?? value.namePrefix)}, which ${problem}; shorten it or set names.${kind}`;
    }
  }
  return undefined;
}

/** Every rule of a health check, by prop (defaults applied). */
export function checkHealthCheck(healthCheck: HealthCheckProps | undefined): Problems {
  const resolved = withDefaults(HEALTH_CHECK_DEFAULTS, healthCheck);
  const timing = checkHealthCheckTiming(resolved.intervalSeconds, resolved.timeoutSeconds);
  return {
    path: checkHealthCheckPath(resolved.path),
    matcher: checkHealthCheckMatcher(resolved.matcher),
    intervalSeconds: timing.intervalSeconds,
    timeoutSeconds: timing.timeoutSeconds,
    healthyThreshold: checkInteger(resolved.healthyThreshold, 2, 10),
    unhealthyThreshold: checkInteger(resolved.unhealthyThreshold, 2, 10),
  };
}

/** Listener sources: IPv4 CIDRs, at least one, no repeats (each becomes one ingress rule). */
export function checkAllowedCidrs(cidrs: readonly string[]): Problem {
  if (isUnresolved(cidrs)) {
    return undefined;
  }
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    return "must list at least one IPv4 CIDR";
  }
  return checkEach(cidrs, checkIpv4Cidr) ?? (new Set(cidrs).size === cidrs.length ? undefined : "must not repeat a CIDR");
}

/**
 * Every rule of {@link LoadBalancerProps}, by prop. Props that are not given are
 * skipped (or checked at their default), so callers holding only some of them, such
 * as the environment config, can check those.
 */
export function checkLoadBalancerProps(props: Partial<LoadBalancerProps>): Problems {
  return {
    name: optional(props.name, (name) => checkDerivedNames(name, props.names)),
    ...nested("names", checkLoadBalancerNames(props.names)),
    subnetIds: optional(props.subnetIds, (ids) =>
      isUnresolved(ids) || ids.length >= 2 ? undefined : "must list at least 2 subnets in distinct AZs",
    ),
    appPort: optional(props.appPort, checkPort),
    allowedCidrs: checkAllowedCidrs(props.allowedCidrs ?? LOAD_BALANCER_DEFAULTS.allowedCidrs),
    certificateArn: optional(props.certificateArn, checkCertificateArn),
    ...nested("healthCheck", checkHealthCheck(props.healthCheck)),
    deregistrationDelaySeconds: checkInteger(props.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds, 0, 3600),
    slowStartSeconds: optional(props.slowStartSeconds, (seconds) => checkInteger(seconds, 30, 900)),
    idleTimeoutSeconds: optional(props.idleTimeoutSeconds, (seconds) => checkInteger(seconds, 1, 4000)),
    "accessLogs.bucketName": optional(props.accessLogs, (logs) => (Token.isUnresolved(logs.bucketName) ? undefined : checkS3BucketName(logs.bucketName))),
    "accessLogs.prefix": optional(props.accessLogs?.prefix, (prefix) => (prefix === "" || Token.isUnresolved(prefix) ? undefined : checkLogPrefix(prefix))),
    ...nested("waf", checkLoadBalancerWebAclProps(props.waf ?? {})),
  };
}

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

/**
 * An internet-facing Application Load Balancer with its security group, listeners
 * and the instance target group that an auto scaling group registers into.
 *
 * The security group has no egress until {@link allowTrafficTo} names the targets'
 * security group: the ALB may only talk to its instances, on the app port.
 */
export class LoadBalancer extends Construct {
  public readonly securityGroupId: string;
  public readonly loadBalancerArn: string;
  public readonly dnsName: string;
  public readonly targetGroupArn: string;
  /** `app/<name>/<id>`: the load balancer's `LoadBalancer` dimension in CloudWatch metrics. */
  public readonly loadBalancerArnSuffix: string;
  /** `targetgroup/<name>/<id>`: the target group's `TargetGroup` dimension in CloudWatch metrics. */
  public readonly targetGroupArnSuffix: string;
  /** `http://` or `https://` plus the DNS name, depending on the listeners. */
  public readonly url: string;
  private readonly securityGroup: SecurityGroup;
  private readonly appPort: number;
  private egressRuleCount = 0;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);

    throwIfProblems(`LoadBalancer ${this.node.path}`, checkLoadBalancerProps(props));
    const healthCheck = withDefaults(HEALTH_CHECK_DEFAULTS, props.healthCheck);
    const allowedCidrs = props.allowedCidrs ?? LOAD_BALANCER_DEFAULTS.allowedCidrs;
    const deregistrationDelaySeconds = props.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds;
    this.appPort = props.appPort;
    const names = resolveLoadBalancerNames(props.name, props.names);

    this.securityGroup = new SecurityGroup(this, "security-group", {
      ...nameArguments(names.securityGroup),
      description: names.securityGroup.description,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-alb` },
      // A security group cannot be deleted while the ALB still uses it: a replacement
      // (new description or name) must exist first, which its name prefix allows.
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;

    const listenerPorts = props.certificateArn ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
    for (const port of listenerPorts) {
      for (const cidr of allowedCidrs) {
        // Keyed by port and CIDR, not by list position, so reordering the list moves nothing.
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${cidr.replace(/[./]/g, "-")}`, {
          securityGroupId: this.securityGroup.id,
          description: `Listener port ${port} from ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
    }

    const loadBalancer = new Lb(this, "load-balancer", {
      ...nameArguments(names.loadBalancer),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: props.subnetIds,
      // Requests with malformed headers are dropped at the edge instead of reaching Node's parser.
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? LOAD_BALANCER_DEFAULTS.deletionProtection,
      idleTimeout: props.idleTimeoutSeconds ?? LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
      ...(props.accessLogs
        ? {
            accessLogs: { enabled: true, bucket: props.accessLogs.bucketName, prefix: props.accessLogs.prefix || undefined },
            dependsOn: props.accessLogs.dependsOn,
          }
        : {}),
      tags: { Name: props.name },
    });
    this.loadBalancerArn = loadBalancer.arn;
    if (props.waf) {
      new LoadBalancerWebAcl(this, "web-acl", { ...props.waf, name: props.name, loadBalancerArn: loadBalancer.arn });
    }
    this.dnsName = loadBalancer.dnsName;
    this.loadBalancerArnSuffix = loadBalancer.arnSuffix;

    const targetGroup = new LbTargetGroup(this, "target-group", {
      ...nameArguments(names.targetGroup),
      vpcId: props.vpcId,
      port: props.appPort,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: String(deregistrationDelaySeconds),
      slowStart: props.slowStartSeconds,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: healthCheck.path,
        matcher: healthCheck.matcher,
        interval: healthCheck.intervalSeconds,
        timeout: healthCheck.timeoutSeconds,
        healthyThreshold: healthCheck.healthyThreshold,
        unhealthyThreshold: healthCheck.unhealthyThreshold,
      },
      tags: { Name: `${props.name}-tg` },
      // A new port or protocol replaces the group. The listener and the auto scaling group
      // must move to the new group before the old one can be deleted (ResourceInUse), which
      // needs the new one first; its name prefix lets both exist at once.
      lifecycle: { createBeforeDestroy: true },
    });
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;

    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    if (props.certificateArn) {
      new LbListener(this, "http-listener", {
        loadBalancerArn: loadBalancer.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultAction: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } },
        ],
      });
      new LbListener(this, "https-listener", {
        loadBalancerArn: loadBalancer.arn,
        port: HTTPS_PORT,
        protocol: "HTTPS",
        sslPolicy: props.sslPolicy ?? LOAD_BALANCER_DEFAULTS.sslPolicy,
        certificateArn: props.certificateArn,
        defaultAction: forward,
      });
      this.url = `https://${loadBalancer.dnsName}`;
    } else {
      new LbListener(this, "http-listener", {
        loadBalancerArn: loadBalancer.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultAction: forward,
      });
      this.url = `http://${loadBalancer.dnsName}`;
    }

    this.node.addValidation({
      validate: () =>
        this.egressRuleCount > 0
          ? []
          : [`LoadBalancer ${this.node.path}: no targets allowed; call allowTrafficTo() with the instances' security group`],
    });
  }

  /**
   * Lets the ALB reach targets in `securityGroupId` on the app port (traffic and
   * health checks); the only egress the ALB gets.
   */
  public allowTrafficTo(id: string, securityGroupId: string): void {
    new VpcSecurityGroupEgressRule(this, `egress-to-${id}`, {
      securityGroupId: this.securityGroup.id,
      description: `Traffic and health checks to ${id} on the app port`,
      ipProtocol: "tcp",
      fromPort: this.appPort,
      toPort: this.appPort,
      referencedSecurityGroupId: securityGroupId,
    });
    this.egressRuleCount++;
  }
}
