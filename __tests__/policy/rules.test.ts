/**
 * Each policy rule against a construct that passes and one that fails it, built from
 * plain provider resources (not our modules), so the rules are tested for what they
 * say and not only for today's module values.
 */
import { S3Backend, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Finding, PolicyChecks } from "../../policy/policy-checks";
import { PolicyRule } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import { SA001_IMDSV2 } from "../../policy/rules/sa-001-imdsv2";
import { SA002_ENCRYPTED_VOLUMES } from "../../policy/rules/sa-002-encrypted-volumes";
import { SA003_NO_SSH } from "../../policy/rules/sa-003-no-ssh";
import { SA004_NO_WORLD_INGRESS } from "../../policy/rules/sa-004-no-world-ingress";
import { SA005_NO_WORLD_EGRESS } from "../../policy/rules/sa-005-no-world-egress";
import { SA006_TLS_POLICY } from "../../policy/rules/sa-006-tls-policy";
import { SA007_HTTPS_IN_PRODUCTION } from "../../policy/rules/sa-007-https-in-production";
import { SA008_DELETION_PROTECTION } from "../../policy/rules/sa-008-deletion-protection";
import { SA011_REMOTE_STATE } from "../../policy/rules/sa-011-remote-state";
import { SA012_PROMOTED_IMAGE } from "../../policy/rules/sa-012-promoted-image";
import { SA013_NO_WILDCARD_ACTIONS } from "../../policy/rules/sa-013-no-wildcard-actions";
import { SA015_WAF_IN_PRODUCTION } from "../../policy/rules/sa-015-waf-in-production";
import { SA009_ACCESS_LOGS } from "../../policy/rules/sa-009-access-logs";
import { SA010_FLOW_LOGS } from "../../policy/rules/sa-010-flow-logs";
import { SA014_DEFAULT_SECURITY_GROUP } from "../../policy/rules/sa-014-default-security-group";
import { SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR } from "../../policy/rules/sa-018-production-schedules-keep-floor";
import { SA016_PRIVATE_ENCRYPTED_BUCKETS } from "../../policy/rules/sa-016-private-encrypted-buckets";
import { SA017_SPOT_IN_PRODUCTION } from "../../policy/rules/sa-017-spot-in-production";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000";

/** Runs one rule on a fresh stack holding what `build` adds. */
function check(rule: PolicyRule, build: (stack: TerraformStack) => void, { production = false } = {}): Finding[] {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  return [...new PolicyChecks({ rules: [rule], production }).check(stack).findings];
}

const launchTemplate = (stack: TerraformStack, overrides: Partial<ConstructorParameters<typeof LaunchTemplate>[2]> = {}) =>
  new LaunchTemplate(stack, "lt", {
    imageId: "ami-0123456789abcdef0",
    metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }],
    ...overrides,
  });

function publicLoadBalancer(stack: TerraformStack, props: { deletionProtection?: boolean } = {}) {
  const group = new SecurityGroup(stack, "alb-sg", { name: "alb" });
  const lb = new Lb(stack, "alb", { name: "alb", securityGroups: [group.id], subnets: ["subnet-1", "subnet-2"], enableDeletionProtection: props.deletionProtection });
  return { group, lb };
}

describe("the rule set", () => {
  it("has unique, stable-format ids, each with a name, a one-line rationale and a level", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^SA-\d{3}$/);
      expect(rule.name.length).toBeGreaterThan(5);
      expect(rule.rationale).not.toMatch(/\n/);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(["error", "warning"]).toContain(rule.level);
    }
  });
});

describe("SA-001 IMDSv2 only, hop limit 1", () => {
  it("passes a launch template requiring tokens with hop limit 1", () => {
    expect(check(SA001_IMDSV2, (stack) => launchTemplate(stack))).toEqual([]);
  });
  it("fails optional tokens and an unset or larger hop limit, for templates and instances", () => {
    const findings = check(SA001_IMDSV2, (stack) => {
      launchTemplate(stack, { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } });
      new Instance(stack, "instance", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" } });
    });
    expect(findings.map((f) => `${f.subject}: ${f.message}`)).toEqual([
      'lt: metadata_options.http_tokens must be "required" (IMDSv2 only)',
      "lt: metadata_options.http_put_response_hop_limit must be set to 1",
      "instance: metadata_options.http_put_response_hop_limit must be set to 1",
    ]);
    expect(findings.every((f) => f.level === "error")).toBe(true);
  });
});

describe("SA-002 encrypted volumes", () => {
  it("passes encrypted launch template mappings and volumes", () => {
    expect(
      check(SA002_ENCRYPTED_VOLUMES, (stack) => {
        launchTemplate(stack);
        new EbsVolume(stack, "volume", { availabilityZone: "us-east-1a", size: 10, encrypted: true });
      }),
    ).toEqual([]);
  });
  it("fails an unencrypted launch template mapping (checkov does not look there), a template without one, and a volume", () => {
    const findings = check(SA002_ENCRYPTED_VOLUMES, (stack) => {
      launchTemplate(stack, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3" } }] });
      new LaunchTemplate(stack, "bare", { imageId: "ami-0123456789abcdef0" });
      new EbsVolume(stack, "volume", { availabilityZone: "us-east-1a", size: 10 });
    });
    expect(findings.map((f) => f.subject)).toEqual(["lt", "bare", "volume"]);
    expect(findings[0].message).toContain("/dev/xvda: ebs.encrypted must be true");
  });
});

describe("SA-003 no SSH", () => {
  it("passes ingress on the app port", () => {
    expect(
      check(SA003_NO_SSH, (stack) => {
        const group = new SecurityGroup(stack, "sg", { name: "app" });
        new VpcSecurityGroupIngressRule(stack, "app", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: "sg-0123" });
      }),
    ).toEqual([]);
  });
  it("fails port 22 in every form: a range, all traffic, an inline block, an old-style rule", () => {
    const findings = check(SA003_NO_SSH, (stack) => {
      const group = new SecurityGroup(stack, "sg", { name: "app", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] });
      new VpcSecurityGroupIngressRule(stack, "range", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 20, toPort: 25, cidrIpv4: "10.0.0.0/8" });
      new VpcSecurityGroupIngressRule(stack, "all", { securityGroupId: group.id, ipProtocol: "-1", referencedSecurityGroupId: "sg-0123" });
      new SecurityGroupRule(stack, "old", { type: "ingress", securityGroupId: group.id, protocol: "6", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] });
    });
    expect(findings.map((f) => f.subject).sort()).toEqual(["all", "old", "range", "sg"]);
  });
});

describe("SA-004 no world-open ingress except the ALB's 80/443", () => {
  it("passes 80 and 443 from the world on an internet-facing load balancer's group", () => {
    expect(
      check(SA004_NO_WORLD_INGRESS, (stack) => {
        const { group } = publicLoadBalancer(stack);
        for (const port of [80, 443]) {
          new VpcSecurityGroupIngressRule(stack, `in-${port}`, { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" });
        }
      }),
    ).toEqual([]);
  });
  it("fails other ports on the load balancer, and world ingress on any other group (IPv6 too)", () => {
    const findings = check(SA004_NO_WORLD_INGRESS, (stack) => {
      const { group } = publicLoadBalancer(stack);
      new VpcSecurityGroupIngressRule(stack, "alb-8080", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/0" });
      const instances = new SecurityGroup(stack, "instances", { name: "instances" });
      new VpcSecurityGroupIngressRule(stack, "instances-443", { securityGroupId: instances.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" });
    });
    expect(findings.map((f) => f.subject)).toEqual(["alb-8080", "instances-443"]);
    expect(findings[1].message).toContain("from ::/0");
  });
  it("fails world ingress on an internal load balancer", () => {
    const findings = check(SA004_NO_WORLD_INGRESS, (stack) => {
      const group = new SecurityGroup(stack, "sg", { name: "internal" });
      new Lb(stack, "internal", { internal: true, securityGroups: [group.id], subnets: ["subnet-1", "subnet-2"] });
      new VpcSecurityGroupIngressRule(stack, "in-443", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
    });
    expect(findings.map((f) => f.subject)).toEqual(["in-443"]);
  });
});

describe("SA-005 no all-traffic egress to the world", () => {
  it("passes HTTPS egress to the world and all-traffic egress inside the VPC", () => {
    expect(
      check(SA005_NO_WORLD_EGRESS, (stack) => {
        const group = new SecurityGroup(stack, "sg", { name: "app" });
        new VpcSecurityGroupEgressRule(stack, "https", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        new VpcSecurityGroupEgressRule(stack, "vpc", { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" });
      }),
    ).toEqual([]);
  });
  it("fails all-traffic egress to the world as aws_vpc_security_group_egress_rule (which checkov passes), inline, and old-style", () => {
    const findings = check(SA005_NO_WORLD_EGRESS, (stack) => {
      const group = new SecurityGroup(stack, "sg", { name: "app", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
      new VpcSecurityGroupEgressRule(stack, "all", { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
      new SecurityGroupRule(stack, "old", { type: "egress", securityGroupId: group.id, protocol: "all", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] });
    });
    expect(findings.map((f) => f.subject).sort()).toEqual(["all", "old", "sg"]);
  });
});

describe("SA-006 HTTPS listeners use a TLS 1.2+ policy", () => {
  const listener = (stack: TerraformStack, sslPolicy?: string) => {
    const { lb } = publicLoadBalancer(stack);
    new LbListener(stack, "https", { loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", certificateArn: CERT, sslPolicy, defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] });
  };
  it("passes the TLS 1.3/1.2 policy", () => {
    expect(check(SA006_TLS_POLICY, (stack) => listener(stack, "ELBSecurityPolicy-TLS13-1-2-2021-06"))).toEqual([]);
  });
  it("fails a TLS 1.0 policy and an unset one (AWS's default allows TLS 1.0)", () => {
    expect(check(SA006_TLS_POLICY, (stack) => listener(stack, "ELBSecurityPolicy-2016-08"))[0].message).toContain("allows TLS below 1.2");
    expect(check(SA006_TLS_POLICY, (stack) => listener(stack))[0].message).toContain("is not set");
  });
});

describe("SA-007 HTTPS only in production", () => {
  const listeners = (stack: TerraformStack, withHttps: boolean, redirect: boolean) => {
    const { lb } = publicLoadBalancer(stack);
    const forward = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }];
    new LbListener(stack, "http", {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: redirect ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] : forward,
    });
    if (withHttps) {
      new LbListener(stack, "https", { loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", certificateArn: CERT, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultAction: forward });
    }
  };
  it("passes HTTP redirecting to HTTPS in production, and plain HTTP outside production", () => {
    expect(check(SA007_HTTPS_IN_PRODUCTION, (stack) => listeners(stack, true, true), { production: true })).toEqual([]);
    expect(check(SA007_HTTPS_IN_PRODUCTION, (stack) => listeners(stack, false, false))).toEqual([]);
  });
  it("fails plain HTTP in production: a missing certificate is a deferred error, a forwarding HTTP listener beside HTTPS a hard one", () => {
    const [missing] = check(SA007_HTTPS_IN_PRODUCTION, (stack) => listeners(stack, false, false), { production: true });
    expect(missing).toMatchObject({ subject: "http", level: "warning", missingSetting: "certificateArn" });
    const [forwarding] = check(SA007_HTTPS_IN_PRODUCTION, (stack) => listeners(stack, true, false), { production: true });
    expect(forwarding).toMatchObject({ subject: "http", level: "error", message: "the HTTP listener must redirect to HTTPS, not serve the app" });
  });
});

describe("SA-008 deletion protection in production", () => {
  it("passes a protected load balancer in production and an unprotected one elsewhere", () => {
    expect(check(SA008_DELETION_PROTECTION, (stack) => publicLoadBalancer(stack, { deletionProtection: true }), { production: true })).toEqual([]);
    expect(check(SA008_DELETION_PROTECTION, (stack) => publicLoadBalancer(stack))).toEqual([]);
  });
  it("fails an unprotected load balancer in production", () => {
    expect(check(SA008_DELETION_PROTECTION, (stack) => publicLoadBalancer(stack), { production: true }).map((f) => f.subject)).toEqual(["alb"]);
  });
});

describe("SA-011 remote, encrypted, locked state in production", () => {
  const s3 = (stack: TerraformStack, lock: boolean) => {
    new S3Backend(stack, { bucket: "state", key: "k", region: "us-east-1", encrypt: true });
    if (lock) stack.addOverride("terraform.backend.s3.use_lockfile", true);
  };
  it("passes an encrypted S3 backend with a lock file", () => {
    expect(check(SA011_REMOTE_STATE, (stack) => s3(stack, true), { production: true })).toEqual([]);
  });
  it("fails local state (deferred: the bucket is a missing setting) and an S3 backend without locking", () => {
    expect(check(SA011_REMOTE_STATE, () => undefined, { production: true })).toEqual([
      expect.objectContaining({ subject: "terraform.backend", level: "warning", missingSetting: "s3Backend" }),
    ]);
    expect(check(SA011_REMOTE_STATE, (stack) => s3(stack, false), { production: true })).toEqual([
      expect.objectContaining({ subject: "terraform.backend.s3", level: "error", message: "the S3 backend must set use_lockfile = true (or a dynamodb_table)" }),
    ]);
  });
});

describe("SA-012 pinned or promoted image in production", () => {
  const lookup = (stack: TerraformStack, promoted: boolean) => {
    const ami = new DataAwsAmi(stack, "ami", {
      mostRecent: true,
      owners: ["self"],
      filter: [{ name: "name", values: ["sample-app-packer-*"] }, ...(promoted ? [{ name: "tag-key", values: ["sample-app:promoted-to-prod"] }] : [])],
    });
    launchTemplate(stack, { imageId: ami.id });
  };
  it("passes a pinned AMI id and a lookup that requires the promotion tag", () => {
    expect(check(SA012_PROMOTED_IMAGE, (stack) => launchTemplate(stack), { production: true })).toEqual([]);
    expect(check(SA012_PROMOTED_IMAGE, (stack) => lookup(stack, true), { production: true })).toEqual([]);
  });
  it("fails the newest image by name in production", () => {
    const [finding] = check(SA012_PROMOTED_IMAGE, (stack) => lookup(stack, false), { production: true });
    expect(finding).toMatchObject({ subject: "lt", level: "error" });
    expect(finding.message).toContain("matches by name only");
  });
});

describe("SA-013 no wildcard IAM actions", () => {
  const document = (stack: TerraformStack, actions: string[]) =>
    new DataAwsIamPolicyDocument(stack, "doc", { statement: [{ effect: "Allow", actions, resources: ["*"] }] });
  it("passes listed actions in a policy document and in JSON, and a wildcard in a Deny", () => {
    expect(
      check(SA013_NO_WILDCARD_ACTIONS, (stack) => {
        const role = new IamRole(stack, "role", { assumeRolePolicy: "{}" });
        new IamRolePolicy(stack, "listed", { role: role.name, policy: document(stack, ["ssm:UpdateInstanceInformation"]).json });
        new IamPolicy(stack, "json", {
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }, { Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }),
        });
      }),
    ).toEqual([]);
  });
  it("fails wildcard actions in a policy document, in JSON and in a role's inline policy; and a policy it cannot read", () => {
    const findings = check(SA013_NO_WILDCARD_ACTIONS, (stack) => {
      const role = new IamRole(stack, "role", {
        assumeRolePolicy: "{}",
        inlinePolicy: [{ name: "inline", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }] }) }],
      });
      new IamRolePolicy(stack, "doc-policy", { role: role.name, policy: document(stack, ["ssm:Get*"]).json });
      new IamPolicy(stack, "json", { policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }) });
      new IamPolicy(stack, "opaque", { policy: "${jsonencode(local.policy)}" });
    });
    expect(findings.map((f) => `${f.subject}: ${f.message}`)).toEqual([
      "doc-policy: policy allows wildcard actions ssm:Get*; list the actions needed",
      "json: policy allows wildcard actions *; list the actions needed",
      "opaque: policy cannot be read at synth time; write it as JSON or an aws_iam_policy_document so its actions can be checked",
      "role: inline_policy inline allows wildcard actions ec2:*; list the actions needed",
    ]);
  });
});

describe("SA-015 WAF web ACL in production (warning)", () => {
  it("passes a load balancer with a web ACL association", () => {
    expect(
      check(
        SA015_WAF_IN_PRODUCTION,
        (stack) => {
          const { lb } = publicLoadBalancer(stack);
          new Wafv2WebAclAssociation(stack, "waf", { resourceArn: lb.arn, webAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/y" });
        },
        { production: true },
      ),
    ).toEqual([]);
  });
  it("warns about a production load balancer without one", () => {
    expect(check(SA015_WAF_IN_PRODUCTION, (stack) => publicLoadBalancer(stack), { production: true })).toEqual([
      expect.objectContaining({ subject: "alb", level: "warning" }),
    ]);
  });
});

describe("SA-017 Spot above the On-Demand base in production (warning)", () => {
  const group = (stack: TerraformStack, id: string, distribution?: { onDemandBaseCapacity?: number; onDemandPercentageAboveBaseCapacity?: number }) =>
    new AutoscalingGroup(stack, id, {
      minSize: 1,
      maxSize: 3,
      mixedInstancesPolicy: {
        launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-0123456789abcdef0", version: "1" }, override: [{ instanceType: "t3.small" }, { instanceType: "t3a.small" }] },
        ...(distribution ? { instancesDistribution: distribution } : {}),
      },
    });

  it("passes production groups that run On-Demand only: no policy, 100 % above base, or no distribution (AWS's default 100 %)", () => {
    expect(
      check(
        SA017_SPOT_IN_PRODUCTION,
        (stack) => {
          new AutoscalingGroup(stack, "plain", { minSize: 1, maxSize: 3, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } });
          group(stack, "on-demand", { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 100 });
          group(stack, "default");
        },
        { production: true },
      ),
    ).toEqual([]);
  });

  it("warns, saying how much runs on Spot, about a production group with Spot above the base", () => {
    const findings = check(SA017_SPOT_IN_PRODUCTION, (stack) => group(stack, "spot", { onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 25 }), { production: true });
    expect(findings).toEqual([expect.objectContaining({ subject: "spot", level: "warning" })]);
    expect(findings[0].message).toContain("75 % of the capacity above the On-Demand base (1) runs on Spot in this production environment");
  });

  it("leaves Spot alone outside production", () => {
    expect(check(SA017_SPOT_IN_PRODUCTION, (stack) => group(stack, "spot", { onDemandPercentageAboveBaseCapacity: 0 }))).toEqual([]);
  });
});

describe("SA-009 load balancer access logs", () => {
  it("passes an ALB logging to a bucket, and ignores network load balancers", () => {
    expect(
      check(SA009_ACCESS_LOGS, (stack) => {
        new Lb(stack, "alb", { subnets: ["subnet-1", "subnet-2"], accessLogs: { enabled: true, bucket: "logs" } });
        new Lb(stack, "nlb", { loadBalancerType: "network", subnets: ["subnet-1", "subnet-2"] });
      }),
    ).toEqual([]);
  });
  it("fails an ALB without access logs, or with them switched off", () => {
    const findings = check(SA009_ACCESS_LOGS, (stack) => {
      new Lb(stack, "none", { subnets: ["subnet-1", "subnet-2"] });
      new Lb(stack, "off", { subnets: ["subnet-1", "subnet-2"], accessLogs: { enabled: false, bucket: "logs" } });
    });
    expect(findings.map((f) => f.subject)).toEqual(["none", "off"]);
  });
});

describe("SA-010 VPC flow logs", () => {
  it("passes a VPC with a flow log", () => {
    expect(
      check(SA010_FLOW_LOGS, (stack) => {
        const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
        new FlowLog(stack, "flow", { vpcId: vpc.id, trafficType: "ALL", logDestinationType: "s3", logDestination: "arn:aws:s3:::logs" });
      }),
    ).toEqual([]);
  });
  it("fails a VPC whose flow log belongs to another VPC", () => {
    const findings = check(SA010_FLOW_LOGS, (stack) => {
      const logged = new Vpc(stack, "logged", { cidrBlock: "10.0.0.0/16" });
      new Vpc(stack, "unlogged", { cidrBlock: "10.1.0.0/16" });
      new FlowLog(stack, "flow", { vpcId: logged.id, trafficType: "ALL", logDestinationType: "s3", logDestination: "arn:aws:s3:::logs" });
    });
    expect(findings.map((f) => f.subject)).toEqual(["unlogged"]);
  });
});

describe("SA-014 default security group without rules", () => {
  it("passes a VPC whose default group is managed with no rules", () => {
    expect(
      check(SA014_DEFAULT_SECURITY_GROUP, (stack) => {
        const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
        new DefaultSecurityGroup(stack, "default", { vpcId: vpc.id });
      }),
    ).toEqual([]);
  });
  it("fails an unmanaged default group and a managed one that keeps rules", () => {
    const findings = check(SA014_DEFAULT_SECURITY_GROUP, (stack) => {
      new Vpc(stack, "unmanaged", { cidrBlock: "10.0.0.0/16" });
      const vpc = new Vpc(stack, "managed", { cidrBlock: "10.1.0.0/16" });
      new DefaultSecurityGroup(stack, "default", { vpcId: vpc.id, ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.1.0.0/16"] }] });
    });
    expect(findings.map((f) => f.subject)).toEqual(["unmanaged", "default"]);
  });
});

describe("SA-016 S3 buckets private and encrypted", () => {
  const bucket = (stack: TerraformStack, { blockAll = true, encrypt = true } = {}) => {
    const created = new S3Bucket(stack, "bucket", { bucketPrefix: "logs-" });
    new S3BucketPublicAccessBlock(stack, "block", { bucket: created.id, blockPublicAcls: true, blockPublicPolicy: blockAll, ignorePublicAcls: true, restrictPublicBuckets: true });
    if (encrypt) {
      new S3BucketServerSideEncryptionConfigurationA(stack, "sse", { bucket: created.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    }
  };
  it("passes a bucket with every public access block and default encryption", () => {
    expect(check(SA016_PRIVATE_ENCRYPTED_BUCKETS, (stack) => bucket(stack))).toEqual([]);
  });
  it("fails a bucket that leaves public policies allowed or has no default encryption", () => {
    expect(check(SA016_PRIVATE_ENCRYPTED_BUCKETS, (stack) => bucket(stack, { blockAll: false }))[0].message).toContain("must set block_public_policy = true");
    expect(check(SA016_PRIVATE_ENCRYPTED_BUCKETS, (stack) => bucket(stack, { encrypt: false }))[0].message).toContain("no aws_s3_bucket_server_side_encryption_configuration");
  });
});

describe("SA-018 production scheduled actions keep the group at or above its minimum (error)", () => {
  const withSchedule = (schedule: { minSize?: number; maxSize?: number; desiredCapacity?: number }, groupMin: number | null = 2) => (stack: TerraformStack) => {
    const group = new AutoscalingGroup(stack, "asg", { minSize: groupMin ?? 2, maxSize: 6, launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } });
    new AutoscalingSchedule(stack, "night", {
      scheduledActionName: "night",
      autoscalingGroupName: groupMin === null ? "a-group-of-another-stack" : group.name,
      recurrence: "0 22 * * *",
      minSize: schedule.minSize ?? -1,
      maxSize: schedule.maxSize ?? -1,
      desiredCapacity: schedule.desiredCapacity ?? -1,
    });
  };

  it("passes production schedules at or above the group's minimum, with sizes left alone (-1)", () => {
    expect(check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ minSize: 2, maxSize: 2, desiredCapacity: 2 }), { production: true })).toEqual([]);
    expect(check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ minSize: 4 }), { production: true })).toEqual([]);
  });

  it("fails a production schedule below the group's minimum, naming the config key", () => {
    const findings = check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ maxSize: 1, desiredCapacity: 1 }), { production: true });
    expect(findings).toEqual([expect.objectContaining({ rule: "SA-018", level: "error", subject: "night" }), expect.objectContaining({ rule: "SA-018", subject: "night" })]);
    expect(findings[0].message).toContain('scheduled action "night" sets max_size 1, below the group\'s minimum 2 in this production environment');
    expect(findings[0].message).toContain("(config: scheduledActions.night.max)");
    expect(findings[1].message).toContain("(config: scheduledActions.night.desired)");
  });

  it("fails a production schedule that sets 0, even when the group is not in the stack", () => {
    const findings = check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ minSize: 0 }, null), { production: true });
    expect(findings).toEqual([expect.objectContaining({ rule: "SA-018", level: "error" })]);
    expect(findings[0].message).toContain('scheduled action "night" sets min_size 0 in this production environment');
    // Below an unknown floor but not 0: nothing to compare with.
    expect(check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ minSize: 1 }, null), { production: true })).toEqual([]);
  });

  it("leaves schedules alone outside production", () => {
    expect(check(SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR, withSchedule({ maxSize: 0 }))).toEqual([]);
  });
});
