/**
 * The audit trail and the guardrails' capabilities on the real OpenTofu and AWS provider
 * against the emulator: the local stack applies with ALB access logs to a bucket it
 * creates (encrypted, private, with the ELB delivery policy and a lifecycle), VPC flow
 * logs to a CloudWatch Logs group, the default security group emptied and the
 * Session Manager-only instance policy; the plan right after apply is empty. Then
 * `npm run image:promote` tags an image the way prod's lookup selects it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateTagsCommand, DescribeFlowLogsCommand, DescribeImagesCommand, DescribeSecurityGroupsCommand, RegisterImageCommand } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRolePolicyCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { emulatorClients } from "./aws-clients";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}
interface StateResource {
  type: string;
  name: string;
  values: Record<string, unknown>;
}

describe("guardrails against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: Emulator;
  let clients: ReturnType<typeof emulatorClients>;
  let work: string;

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-guardrails-emulator.log") });
    clients = emulatorClients(emulator.endpoint);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  beforeEach(async () => {
    await harness.resetEmulator(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-e2e-guardrails-"));
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** S3 and CloudWatch Logs through their HTTP APIs (the emulator does not check signatures). */
  const s3 = async (bucket: string, query: string) => {
    const response = await fetch(`${emulator.endpoint}/${bucket}?${query}`);
    return { status: response.status, body: await response.text() };
  };
  const logs = async (action: string, body: object) => {
    const response = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `Logs_20140328.${action}`,
        Authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=x",
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  it("applies access logs, flow logs, the emptied default security group and the Session Manager policy; then plans no changes", async () => {
    const stackDir = harness.synthLocal(path.join(work, "cdktf.out"), { endpoint: emulator.endpoint });
    const tofu = (args: string[], options: { allowExit?: number[] } = {}) => harness.tofu(toolchain, args, stackDir, options);
    tofu(["init", "-input=false"]);
    try {
      tofu(["apply", "-input=false", "-auto-approve"]);
      const state = JSON.parse(tofu(["show", "-json"]).stdout);
      const resources: StateResource[] = state.values.root_module.resources;
      const one = (type: string) => {
        const found = resources.filter((resource) => resource.type === type);
        expect(found).toHaveLength(1);
        return found[0].values;
      };

      // Access logs: the ALB writes to the bucket the stack created.
      const bucket = String(one("aws_s3_bucket").bucket);
      expect(bucket).toMatch(/^sample-app-local-logs-/);
      const { LoadBalancers = [] } = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
      const { Attributes = [] } = await clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: LoadBalancers[0].LoadBalancerArn }));
      const attribute = (key: string) => Attributes.find((item) => item.Key === key)?.Value;
      expect({ enabled: attribute("access_logs.s3.enabled"), bucket: attribute("access_logs.s3.bucket") }).toEqual({ enabled: "true", bucket });

      // The bucket: ELB delivery policy, TLS only, private, encrypted, expiring.
      const policy = JSON.parse((await s3(bucket, "policy")).body) as { Statement: { Sid: string; Action: string | string[]; Effect: string }[] };
      expect(policy.Statement.map((statement) => `${statement.Sid} ${statement.Effect}`)).toEqual(["ElbLogDelivery Allow", "DenyPlainHttp Deny"]);
      const publicAccess = await s3(bucket, "publicAccessBlock");
      for (const setting of ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]) {
        expect(publicAccess.body).toContain(`<${setting}>true</${setting}>`);
      }
      expect((await s3(bucket, "encryption")).body).toContain("<SSEAlgorithm>AES256</SSEAlgorithm>");
      expect((await s3(bucket, "lifecycle")).body).toMatch(/<Expiration>\s*<Days>90<\/Days>\s*<\/Expiration>/);

      // Flow logs of the VPC into a log group kept 365 days.
      const vpcId = JSON.parse(tofu(["output", "-json"]).stdout).vpc_id.value;
      const { FlowLogs = [] } = await clients.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }));
      expect(FlowLogs).toEqual([
        expect.objectContaining({ TrafficType: "ALL", LogDestinationType: "cloud-watch-logs", LogGroupName: "/aws/vpc-flow-logs/sample-app-local" }),
      ]);
      const groups = (await logs("DescribeLogGroups", { logGroupNamePrefix: "/aws/vpc-flow-logs/" })).logGroups as { logGroupName: string; retentionInDays: number }[];
      expect(groups).toEqual([expect.objectContaining({ logGroupName: "/aws/vpc-flow-logs/sample-app-local", retentionInDays: 365 })]);

      // The default security group has no rules left.
      const { SecurityGroups = [] } = await clients.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "group-name", Values: ["default"] }] }),
      );
      expect(SecurityGroups.map((group) => ({ ingress: group.IpPermissions, egress: group.IpPermissionsEgress }))).toEqual([{ ingress: [], egress: [] }]);

      // The instance role: only the Session Manager inline policy, no managed policy.
      const roleName = String(resources.find((resource) => resource.type === "aws_iam_role" && resource.name.startsWith("auto-scaling-group"))!.values.name);
      const { PolicyNames = [] } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
      expect(PolicyNames).toEqual(["session-manager"]);
      const document = decodeURIComponent((await clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: "session-manager" }))).PolicyDocument ?? "");
      expect(JSON.parse(document).Statement.flatMap((statement: { Action: string | string[] }) => statement.Action)).toEqual(
        expect.arrayContaining(["ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel"]),
      );

      const plan = tofu(["plan", "-input=false", "-detailed-exitcode"], { allowExit: [0, 2] });
      expect({ exitCode: plan.status, output: plan.status === 0 ? "" : plan.stdout }).toEqual({ exitCode: 0, output: "" });
    } finally {
      tofu(["destroy", "-input=false", "-auto-approve"], { allowExit: [0, 1] });
    }
  });

  it("npm run image:promote tags an app image so that prod's lookup (tag-key filter) finds it, and refuses what it must", async () => {
    const register = async (name: string, role: string) => {
      const { ImageId } = await clients.ec2.send(
        new RegisterImageCommand({ Name: name, Architecture: "x86_64", RootDeviceName: "/dev/xvda", VirtualizationType: "hvm", BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 8 } }] }),
      );
      await clients.ec2.send(new CreateTagsCommand({ Resources: [ImageId!], Tags: [{ Key: "app", Value: "sample-app" }, { Key: "image_role", Value: role }, { Key: "version", Value: "1.2.3" }] }));
      return ImageId!;
    };
    const app = await register("sample-app-packer-1.2.3-20261123090000", "app");
    const base = await register("sample-app-base-20261123080000", "base");
    const promote = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "image-promote", ...args], {
        cwd: harness.ROOT,
        encoding: "utf8",
        env: { ...process.env, AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" },
      });
    const promoted = () =>
      clients.ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "tag-key", Values: ["sample-app:promoted-to-prod"] }, { Name: "name", Values: ["sample-app-packer-*"] }] }));

    expect((await promoted()).Images ?? []).toEqual([]);
    const first = promote(app, "--to", "prod");
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: "" });
    expect(first.stdout).toMatch(new RegExp(`^promoted ${app} \\(sample-app-packer-1\\.2\\.3-20261123090000, version 1\\.2\\.3\\) to prod: sample-app:promoted-to-prod=\\d{4}-`));
    expect(((await promoted()).Images ?? []).map((image) => image.ImageId)).toEqual([app]);

    expect(promote(app, "--to", "prod").stdout).toContain("is already promoted to prod");
    const refusedBase = promote(base, "--to", "prod");
    expect({ status: refusedBase.status, stderr: refusedBase.stderr }).toEqual({
      status: 1,
      stderr: `image:promote: refused: ${base} (sample-app-base-20261123080000) is not a sample-app app image: it lacks the tags app=sample-app and image_role=app that npm run image:build sets\n`,
    });
    expect(promote(app, "--to", "dev").stderr).toContain('environment "dev" selects its image with image.kind "lookup", not "promoted"');
    expect(promote("ami-0000000000000dead", "--to", "prod").stderr).toContain("ami-0000000000000dead: no such image in us-east-1");
    expect(promote(app).status).toBe(2);
  });
});
