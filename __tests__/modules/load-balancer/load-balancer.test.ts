import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { LoadBalancer, LoadBalancerProps } from "../../../modules/load-balancer/load-balancer";
import { onlyResource, refTo, resourcesOf, synthScope } from "../../helpers";

const BASE: LoadBalancerProps = {
  name: "test",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
  appPort: 8080,
};
const TARGETS_SG = "sg-0123456789abcdef0";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc";

function synthLoadBalancer(props: Partial<LoadBalancerProps> = {}): string {
  return synthScope((scope) => {
    new LoadBalancer(scope, "load-balancer", { ...BASE, ...props }).allowTrafficTo("instances", TARGETS_SG);
  });
}

describe("LoadBalancer", () => {
  const synthesized = synthLoadBalancer();

  it("is an internet-facing ALB in the given subnets that drops invalid headers", () => {
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      name: "test",
      load_balancer_type: "application",
      internal: false,
      subnets: BASE.subnetIds,
      drop_invalid_header_fields: true,
      enable_deletion_protection: false,
      security_groups: [refTo(synthesized, "aws_security_group", "load-balancer_security-group", "id")],
    });
  });

  it("takes deletion protection from props", () => {
    expect(synthLoadBalancer({ deletionProtection: true })).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: true,
    });
  });

  it("has a target group on the app port with the health check defaults and a 30 s deregistration delay", () => {
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8080,
      protocol: "HTTP",
      target_type: "instance",
      vpc_id: BASE.vpcId,
      deregistration_delay: "30",
      health_check: {
        enabled: true,
        path: "/health",
        matcher: "200",
        interval: 10,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
        port: "traffic-port",
        protocol: "HTTP",
      },
    });
    expect(onlyResource(synthesized, "aws_lb_target_group").slow_start).toBeUndefined();
  });

  it("passes health check, deregistration and slow start overrides through", () => {
    const custom = synthLoadBalancer({
      healthCheck: { path: "/ready", matcher: "200-299", intervalSeconds: 15, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 4 },
      deregistrationDelaySeconds: 10,
      slowStartSeconds: 60,
    });
    expect(custom).toHaveResourceWithProperties(LbTargetGroup, {
      deregistration_delay: "10",
      slow_start: 60,
      health_check: expect.objectContaining({ path: "/ready", matcher: "200-299", interval: 15, timeout: 3, healthy_threshold: 3, unhealthy_threshold: 4 }),
    });
  });

  it("without a certificate, forwards HTTP on port 80 to the target group", () => {
    const listener = onlyResource(synthesized, "aws_lb_listener");
    expect(listener).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: refTo(synthesized, "aws_lb_target_group", "load-balancer_target-group", "arn") }],
    });
  });

  it("with a certificate, redirects HTTP to an HTTPS listener on a current TLS policy", () => {
    const https = synthLoadBalancer({ certificateArn: CERTIFICATE });
    expect(https).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(https).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      certificate_arn: CERTIFICATE,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      default_action: [expect.objectContaining({ type: "forward" })],
    });
  });

  it("opens the listener ports to the allowed CIDRs only (default anywhere)", () => {
    const rules = Object.values(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toEqual([expect.objectContaining({ from_port: 80, to_port: 80, ip_protocol: "tcp", cidr_ipv4: "0.0.0.0/0" })]);

    const restricted = synthLoadBalancer({ allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"], certificateArn: CERTIFICATE });
    const restrictedRules = Object.values(resourcesOf(restricted, "aws_vpc_security_group_ingress_rule"));
    expect(restrictedRules.map((rule) => `${rule.from_port} ${rule.cidr_ipv4}`).sort()).toEqual([
      "443 198.51.100.0/24",
      "443 203.0.113.0/24",
      "80 198.51.100.0/24",
      "80 203.0.113.0/24",
    ]);
  });

  it("keys ingress rules by port and CIDR, so reordering the CIDRs moves no address", () => {
    const a = Object.keys(resourcesOf(synthLoadBalancer({ allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }), "aws_vpc_security_group_ingress_rule"));
    const b = Object.keys(resourcesOf(synthLoadBalancer({ allowedCidrs: ["198.51.100.0/24", "203.0.113.0/24"] }), "aws_vpc_security_group_ingress_rule"));
    expect(a.sort()).toEqual(b.sort());
  });

  it("egresses only to the targets' security group, on the app port", () => {
    const egress = Object.values(resourcesOf(synthesized, "aws_vpc_security_group_egress_rule"));
    expect(egress).toHaveLength(1);
    expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      security_group_id: refTo(synthesized, "aws_security_group", "load-balancer_security-group", "id"),
      referenced_security_group_id: TARGETS_SG,
      from_port: 8080,
      to_port: 8080,
      ip_protocol: "tcp",
    });
    expect(egress[0].cidr_ipv4).toBeUndefined();
    const group = onlyResource(synthesized, "aws_security_group");
    expect(group.egress).toBeUndefined();
    expect(group.ingress).toBeUndefined();
    expect(synthesized).not.toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 8080 });
  });

  it("fails validation when no targets were allowed", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "stack");
    new LoadBalancer(stack, "load-balancer", BASE);
    expect(() => Testing.synth(stack, true)).toThrow(/no targets allowed; call allowTrafficTo\(\)/);
  });

  it.each<[string, Partial<LoadBalancerProps>, RegExp]>([
    ["a port outside 1-65535", { appPort: 70000 }, /appPort must be from 1 to 65535/],
    ["a health check path without a leading slash", { healthCheck: { path: "health" } }, /healthCheck\.path must start with "\/"/],
    ["a timeout not below the interval", { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } }, /healthCheck\.timeoutSeconds must be below intervalSeconds \(5\)/],
    ["a malformed allowed CIDR", { allowedCidrs: ["0.0.0.0/0", "1.2.3.4/40"] }, /allowedCidrs entry "1\.2\.3\.4\/40" has a prefix length above 32/],
    ["a malformed certificate ARN", { certificateArn: "my-cert" }, /certificateArn must be an ACM certificate ARN/],
    ["a slow start outside 30-900", { slowStartSeconds: 10 }, /slowStartSeconds must be from 30 to 900/],
    ["a name too long for AWS", { name: "a-name-that-is-far-too-long-for-aws" }, /name gives the loadBalancer the name "a-name-that-is-far-too-long-for-aws", which must be 1-32 characters \(AWS's limit for a load balancer name\); got 35; shorten it or set names.loadBalancer/],
    ["a single subnet", { subnetIds: ["subnet-0000000000000000a"] }, /subnetIds must list at least 2 subnets/],
    ["a bad matcher", { healthCheck: { matcher: "ok" } }, /healthCheck\.matcher must be HTTP codes/],
    ["a backwards matcher range", { healthCheck: { matcher: "299-200" } }, /healthCheck\.matcher has the backwards range 299-200/],
    ["a repeated allowed CIDR", { allowedCidrs: ["10.0.0.0/8", "10.0.0.0/8"] }, /allowedCidrs must not repeat a CIDR/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthLoadBalancer(props)).toThrow(message);
  });

  it("accepts values known only at plan time (a certificate from a variable, subnets from a data source)", () => {
    const synthesized = synthScope((scope) => {
      const certificate = new TerraformVariable(scope, "certificate_arn", { type: "string" });
      const subnets = new TerraformVariable(scope, "subnet_ids", { type: "list(string)" });
      new LoadBalancer(scope, "load-balancer", {
        ...BASE,
        certificateArn: certificate.stringValue,
        subnetIds: Fn.tolist(subnets.listValue),
      }).allowTrafficTo("instances", TARGETS_SG);
    });
    expect(synthesized).toHaveResourceWithProperties(LbListener, { port: 443, certificate_arn: "${var.certificate_arn}" });
    expect(onlyResource(synthesized, "aws_lb").subnets).toBe("${tolist(var.subnet_ids)}");
  });
});
