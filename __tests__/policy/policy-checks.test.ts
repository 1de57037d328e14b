/**
 * The policy framework: the Aspect fails the synth on errors, prints warnings,
 * honours suppressions (config and code) only with a reason, rejects bad ones, and
 * strict mode turns missing production settings into errors. Then the shipped
 * environments: every rule that can pass does.
 */
import { spawnSync, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment, loadEnvironments } from "../../config/load";
import { EnvironmentConfig } from "../../config/schema";
import { PolicyChecks, PolicyChecksProps } from "../../policy/policy-checks";
import { formatReport } from "../../policy/report";
import { isStrict } from "../../policy/strict";
import { suppressRule } from "../../policy/suppressions";
import { SampleAppStack, stackIdFor } from "../../stacks/sample-app-stack";

const ROOT = path.join(__dirname, "..", "..");
const REASON = "egress to the partner's NAT range is all protocols by contract";

function stackWithOpenEgress(props: PolicyChecksProps = {}, codeSuppression?: string) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const group = new SecurityGroup(stack, "sg", { name: "app" });
  const rule = new VpcSecurityGroupEgressRule(stack, "all-out", { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
  if (codeSuppression !== undefined) {
    suppressRule(rule, "SA-005", codeSuppression);
  }
  const policy = new PolicyChecks(props);
  Aspects.of(stack).add(policy);
  return { stack, policy };
}

describe("PolicyChecks (the Aspect)", () => {
  it("fails the synth on an error, naming the rule, the resource and the fix", () => {
    const { stack } = stackWithOpenEgress();
    expect(() => Testing.synth(stack, true)).toThrow(/SA-005 all-out: egress of all traffic to 0\.0\.0\.0\/0/);
  });

  it("passes with a suppression for that rule and resource, and lists it with its reason", () => {
    const { stack, policy } = stackWithOpenEgress({ suppressions: [{ rule: "SA-005", resource: "all-out", reason: REASON }] });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    const report = policy.reports.get("test")!;
    expect(report.findings.filter((f) => f.rule === "SA-005")).toEqual([]);
    expect(report.suppressed).toEqual([expect.objectContaining({ rule: "SA-005", subject: "all-out", reason: REASON })]);
    expect(formatReport(report)).toContain(`  suppressed SA-005 all-out: ${REASON}`);
  });

  it("does not let a suppression of one rule or one resource cover another", () => {
    const { stack } = stackWithOpenEgress({ suppressions: [{ rule: "SA-004", resource: "all-out", reason: REASON }, { rule: "SA-005", resource: "sg", reason: REASON }] });
    expect(() => Testing.synth(stack, true)).toThrow(/SA-005 all-out/);
  });

  it("takes suppressions from code (suppressRule), with the same listing", () => {
    const { stack, policy } = stackWithOpenEgress({}, REASON);
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(policy.reports.get("test")!.suppressed).toEqual([expect.objectContaining({ rule: "SA-005", subject: "all-out", reason: REASON })]);
  });

  it("rejects an in-code suppression without a reason or with an unknown rule id", () => {
    expect(() => stackWithOpenEgress({}, "")).toThrow(/reason must say why the rule does not apply here/);
    const stack = new TerraformStack(Testing.app(), "t");
    const group = new SecurityGroup(stack, "sg", { name: "x" });
    expect(() => suppressRule(group, "SA-05", REASON)).toThrow(/rule "SA-05" is not a rule id; did you mean "SA-005"\?/);
  });

  it("fails on config suppressions with an unknown rule, no reason, or a resource that does not exist", () => {
    const { stack } = stackWithOpenEgress({
      suppressions: [
        { rule: "SA-999", resource: "all-out", reason: REASON },
        { rule: "SA-005", resource: "all-out", reason: "ok" },
        { rule: "SA-005", resource: "all-outt", reason: REASON },
      ],
    });
    let message = "";
    try {
      Testing.synth(stack, true);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('suppression of "SA-999" for "all-out": rule is not a rule id');
    expect(message).toContain('suppression of "SA-005" for "all-out": reason must say why');
    expect(message).toContain('suppression of "SA-005" for "all-outt": resource: no resource of test has this path');
  });

  it("lists a suppression that no longer suppresses anything", () => {
    const { stack, policy } = stackWithOpenEgress({
      suppressions: [{ rule: "SA-005", resource: "all-out", reason: REASON }, { rule: "SA-003", resource: "sg", reason: REASON }],
    });
    Testing.synth(stack, true);
    expect(formatReport(policy.reports.get("test")!)).toContain("  unused suppression SA-003 sg: nothing to suppress there any more; delete it");
  });
});

describe("strict mode", () => {
  it("is on with --strict or SAMPLE_APP_STRICT=1/true/yes, off otherwise, and rejects other values", () => {
    expect(isStrict(["--strict"], {})).toBe(true);
    expect(isStrict([], { SAMPLE_APP_STRICT: "1" })).toBe(true);
    expect(isStrict([], { SAMPLE_APP_STRICT: "TRUE" })).toBe(true);
    expect(isStrict([], { SAMPLE_APP_STRICT: "0" })).toBe(false);
    expect(isStrict([], {})).toBe(false);
    expect(() => isStrict([], { SAMPLE_APP_STRICT: "maybe" })).toThrow('SAMPLE_APP_STRICT = "maybe": must be 1, true or yes');
  });
});

function synthEnvironment(name: string, change: Partial<EnvironmentConfig> = {}, strict = false) {
  const environment = loadEnvironment(name, { environments: { ...ENVIRONMENTS, [name]: { ...ENVIRONMENTS[name], ...change } } });
  const stack = new SampleAppStack(Testing.app(), stackIdFor(name), { environment, strict });
  const synthesized = Testing.synth(stack, true);
  return { stack, synthesized, report: stack.policy.reports.get(stackIdFor(name))! };
}

describe("the shipped environments", () => {
  it.each(["dev", "stage", "local"])("%s passes every rule", (name) => {
    const { report } = synthEnvironment(name);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });

  it("prod synthesizes with a warning per setting the repo cannot ship, and nothing else that can fail", () => {
    const { report } = synthEnvironment("prod");
    expect(report.production).toBe(true);
    expect(report.findings.filter((f) => f.level === "error")).toEqual([]);
    expect(report.findings.filter((f) => f.missingSetting).map((f) => `${f.rule} ${f.missingSetting}`)).toEqual(["SA-007 certificateArn", "SA-011 s3Backend"]);
  });

  it("prod fails in strict mode until the certificate and the state bucket are set, then passes", () => {
    expect(() => synthEnvironment("prod", {}, true)).toThrow(/SA-007 load-balancer\/http-listener[\s\S]*SA-011 terraform.backend/);
    const { report } = synthEnvironment(
      "prod",
      {
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000",
        s3Backend: { bucket: "example-tofu-state" },
      },
      true,
    );
    expect(report.findings.filter((f) => f.level === "error")).toEqual([]);
  });

  it("prod with Spot above the On-Demand base is allowed, also strict, and says so (SA-017 warning)", () => {
    const spot = {
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000",
      s3Backend: { bucket: "example-tofu-state" },
      mixedInstances: { instanceTypes: [{ instanceType: "t3.small" }, { instanceType: "t3a.small" }], onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 50 },
    };
    const { report, synthesized } = synthEnvironment("prod", spot, true);
    expect(report.findings).toEqual([expect.objectContaining({ rule: "SA-017", level: "warning", subject: "auto-scaling-group/asg" })]);
    expect(report.findings[0].message).toContain("50 % of the capacity above the On-Demand base (2) runs on Spot in this production environment");
    expect(JSON.stringify(synthesized)).toContain("on_demand_percentage_above_base_capacity");
    // Mixed instances all On-Demand: nothing to say.
    expect(synthEnvironment("prod", { ...spot, mixedInstances: { instanceTypes: spot.mixedInstances.instanceTypes } }, true).report.findings).toEqual([]);
  });

  it("an environment marked production that selects the newest image by name fails", () => {
    expect(() => synthEnvironment("stage", { production: true, deletionProtection: true })).toThrow(/SA-012 auto-scaling-group\/launch-template/);
  });

  it("prod selects only images promoted to prod", () => {
    const { synthesized } = synthEnvironment("prod");
    const ami = Object.values(JSON.parse(synthesized).data.aws_ami)[0] as { filter: { name: string; values: string[] }[] };
    expect(ami.filter).toContainEqual({ name: "tag-key", values: ["sample-app:promoted-to-prod"] });
  });
});

describe("policy configuration", () => {
  const withPolicy = (policy: unknown) => () =>
    loadEnvironments({ environments: { ...ENVIRONMENTS, dev: { ...ENVIRONMENTS.dev, policy } as EnvironmentConfig }, env: { SAMPLE_APP_ENVIRONMENTS: "dev" } });
  it("rejects a suppression without a reason and one with an unknown rule id, naming the field", () => {
    expect(withPolicy({ suppressions: [{ rule: "SA-005", resource: "auto-scaling-group/egress-https" }] })).toThrow(
      'environment "dev": policy.suppressions.0.reason: is required',
    );
    expect(withPolicy({ suppressions: [{ rule: "SA-5", resource: "x", reason: REASON }] })).toThrow(
      /environment "dev": policy.suppressions.0.rule = "SA-5": is not a rule id/,
    );
    expect(withPolicy({ suppressions: [{ rule: "SA-005", resource: "x", reason: "because" }] })).toThrow(/policy.suppressions.0.reason = "because": must say why/);
  });
});

describe("audit trail configuration", () => {
  const withDev = (change: Record<string, unknown>) => () =>
    loadEnvironments({ environments: { ...ENVIRONMENTS, dev: { ...ENVIRONMENTS.dev, ...change } as EnvironmentConfig }, env: { SAMPLE_APP_ENVIRONMENTS: "dev" } });
  it.each<[string, Record<string, unknown>, string]>([
    ["a log bucket name AWS would refuse", { accessLogs: { bucketName: "Sample_App_Logs" } }, 'environment "dev": accessLogs.bucketName = "Sample_App_Logs": must be an S3 bucket name'],
    ["a log bucket name formatted as an IP address", { accessLogs: { bucketName: "10.0.0.1" } }, "accessLogs.bucketName = \"10.0.0.1\": must not be formatted as an IP address"],
    ["an existing bucket name AWS would refuse", { accessLogs: { existingBucketName: "ab" } }, "accessLogs.existingBucketName = \"ab\": must be an S3 bucket name"],
    ["an existing bucket together with a created one", { accessLogs: { existingBucketName: "central-logs", bucketName: "mine" } }, "accessLogs.existingBucketName = \"central-logs\": must not be set together with bucketName"],
    ["a log prefix with AWSLogs", { accessLogs: { prefix: "AWSLogs" } }, 'accessLogs.prefix = "AWSLogs": must not contain "AWSLogs"'],
    ["a retention CloudWatch does not offer", { flowLogs: { retentionDays: 100 } }, "flowLogs.retentionDays = 100: must be one of 1, 3, 5"],
    ["an S3 destination without a bucket", { flowLogs: { destination: "s3" } }, "flowLogs.bucketArn"],
    ["a rate limit below AWS's minimum", { waf: { rateLimitPer5Minutes: 1 } }, "waf.rateLimitPer5Minutes = 1: must be from 10 to 2000000000"],
    ["an unknown SSM access level", { ssmAccess: "admin" }, 'ssmAccess = "admin": must be one of "session-manager", "managed-instance-core"'],
  ])("rejects %s, naming the field", (_case, change, message) => {
    expect(withDev(change)).toThrow(message);
  });

  it("logs to an existing bucket without creating one", () => {
    const { synthesized } = synthEnvironment("dev", { accessLogs: { existingBucketName: "central-alb-logs", prefix: "sample-app/dev" } });
    expect(Object.keys(JSON.parse(synthesized).resource.aws_s3_bucket ?? {})).toEqual([]);
    const lb = Object.values(JSON.parse(synthesized).resource.aws_lb)[0] as { access_logs: unknown };
    expect(lb.access_logs).toEqual({ enabled: true, bucket: "central-alb-logs", prefix: "sample-app/dev" });
  });

  it.each(["dev", "stage", "prod", "local"])("%s creates its log bucket, flow logs and a rule-less default security group", (name) => {
    const resources = JSON.parse(synthEnvironment(name).synthesized).resource;
    expect(Object.keys(resources.aws_s3_bucket)).toHaveLength(1);
    expect(Object.keys(resources.aws_flow_log)).toHaveLength(1);
    expect(Object.keys(resources.aws_default_security_group)).toHaveLength(1);
    expect(Object.keys(resources.aws_wafv2_web_acl ?? {})).toHaveLength(name === "prod" ? 1 : 0);
  });
});

describe("npm run synth and the policy", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-synth-"));
  const outdir = path.join(work, "cdktf.out");
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [path.join(ROOT, "dist", "main.js"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
    });

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("prints the policy summary of every stack and a warning per missing production setting, and succeeds", () => {
    const result = run([], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^policy sample-app-dev: \d+ rules, 0 errors, 0 warnings, 0 suppressed$/m);
    expect(result.stdout).toMatch(/^policy sample-app-prod \(production\): \d+ rules, 0 errors/m);
    expect(result.stdout).toContain("[missing setting certificateArn: an error with --strict or SAMPLE_APP_STRICT=1]");
    expect(result.stdout).toContain("[missing setting s3Backend: an error with --strict or SAMPLE_APP_STRICT=1]");
  });

  it.each([
    ["--strict", ["--strict"], {}],
    ["SAMPLE_APP_STRICT=1", [], { SAMPLE_APP_STRICT: "1" }],
  ])("fails prod with %s, leaving cdktf.out/ as it was", (_how, args, env) => {
    const before = fs.readFileSync(path.join(outdir, "stacks", "sample-app-prod", "cdk.tf.json"), "utf8");
    const result = run(args, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^policy sample-app-prod \(production, strict\): \d+ rules, 2 errors/m);
    expect(result.stderr).toContain("error SA-007 load-balancer/http-listener");
    expect(result.stderr).toContain("Synthesis failed: policy rules failed (see the errors above) in strict mode");
    expect(fs.readFileSync(path.join(outdir, "stacks", "sample-app-prod", "cdk.tf.json"), "utf8")).toBe(before);
  });

  it("passes strict mode for the environments not marked production", () => {
    expect(run(["--strict"], { SAMPLE_APP_ENVIRONMENTS: "dev,stage,local" }).status).toBe(0);
  });

  it("rejects an unknown argument and a bad SAMPLE_APP_STRICT", () => {
    expect(run(["--strikt"], {}).stderr).toContain('Invalid invocation: unknown argument "--strikt"; the only option is --strict');
    expect(run([], { SAMPLE_APP_STRICT: "sure" }).stderr).toContain('SAMPLE_APP_STRICT = "sure": must be 1, true or yes');
  });
});
