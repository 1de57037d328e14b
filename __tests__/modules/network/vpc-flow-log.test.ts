import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Network, NetworkProps } from "../../../modules/network/network";
import { VpcFlowLog, VpcFlowLogProps } from "../../../modules/network/vpc-flow-log";
import { onlyResource, refTo, resourcesOf, synthScope } from "../../helpers";

const synthFlowLog = (props: Partial<VpcFlowLogProps> = {}) =>
  synthScope((scope) => new VpcFlowLog(scope, "flow-log", { name: "test", vpcId: "vpc-0123456789abcdef0", ...props }));
const synthNetwork = (props: Partial<NetworkProps> = {}) => synthScope((scope) => new Network(scope, "network", { name: "test", ...props }));

describe("VpcFlowLog", () => {
  const synthesized = synthFlowLog();

  it("records all traffic of the VPC to a log group kept 365 days", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/vpc-flow-logs/test", retention_in_days: 365 });
    expect(synthesized).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "vpc-0123456789abcdef0",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: refTo(synthesized, "aws_cloudwatch_log_group", "flow-log_log-group", "arn"),
      iam_role_arn: refTo(synthesized, "aws_iam_role", "flow-log_role", "arn"),
    });
  });

  it("delivers through a role only this account's flow logs can assume, which may write to that log group only", () => {
    const documents = JSON.parse(synthesized).data.aws_iam_policy_document as Record<string, { statement: Record<string, unknown>[] }>;
    const assume = Object.entries(documents).find(([id]) => id.includes("assume-role"))![1].statement[0];
    expect(assume).toMatchObject({
      principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringMatching(/aws_caller_identity/)] }],
    });
    const write = Object.entries(documents).find(([id]) => id.includes("write-policy"))![1].statement[0];
    const logGroupArn = refTo(synthesized, "aws_cloudwatch_log_group", "flow-log_log-group", "arn");
    expect(write).toEqual({ effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [logGroupArn, `${logGroupArn}:*`] });
    expect(onlyResource(synthesized, "aws_iam_role_policy").role).toBe(refTo(synthesized, "aws_iam_role", "flow-log_role", "id"));
  });

  it("can send to an existing S3 bucket instead, with no log group or role", () => {
    const s3 = synthFlowLog({ destination: { kind: "s3", bucketArn: "arn:aws:s3:::central-flow-logs/vpc" }, trafficType: "REJECT" });
    expect(s3).toHaveResourceWithProperties(FlowLog, { log_destination_type: "s3", log_destination: "arn:aws:s3:::central-flow-logs/vpc", traffic_type: "REJECT" });
    expect(resourcesOf(s3, "aws_cloudwatch_log_group")).toEqual({});
    expect(resourcesOf(s3, "aws_iam_role")).toEqual({});
  });

  it.each<[string, Partial<VpcFlowLogProps>, string]>([
    ["a retention CloudWatch does not offer", { destination: { kind: "cloud-watch-logs", retentionDays: 100 } }, "destination.retentionDays must be one of 1, 3, 5"],
    ["a bucket that is not an ARN", { destination: { kind: "s3", bucketArn: "my-bucket" } }, "destination.bucketArn must be an S3 bucket ARN"],
    ["a malformed KMS key", { destination: { kind: "cloud-watch-logs", kmsKeyArn: "alias/x" } }, "destination.kmsKeyArn must be a KMS key ARN"],
    ["an unknown traffic type", { trafficType: "SOME" as "ALL" }, "trafficType must be one of ALL, ACCEPT, REJECT"],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthFlowLog(props)).toThrow(message);
  });
});

describe("Network audit defaults", () => {
  const synthesized = synthNetwork();

  it("records flow logs of its VPC", () => {
    expect(synthesized).toHaveResourceWithProperties(FlowLog, { vpc_id: refTo(synthesized, "aws_vpc", "network_vpc", "id") });
  });

  it("takes over the default security group with no rules at all", () => {
    const group = onlyResource(synthesized, "aws_default_security_group");
    expect(group.vpc_id).toBe(refTo(synthesized, "aws_vpc", "network_vpc", "id"));
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(synthesized).toHaveResourceWithProperties(DefaultSecurityGroup, { tags: { Name: "test-default-unused" } });
  });

  it("can leave both out", () => {
    const bare = synthNetwork({ flowLogs: { enabled: false }, manageDefaultSecurityGroup: false });
    expect(resourcesOf(bare, "aws_flow_log")).toEqual({});
    expect(resourcesOf(bare, "aws_default_security_group")).toEqual({});
  });
});
