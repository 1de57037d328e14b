import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Problem, Problems, optional, throwIfProblems } from "../core/checks";

/** CloudWatch Logs retention periods AWS accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;

/** Where flow log records go. */
export type FlowLogDestination =
  /** A log group this construct creates, with a retention period. */
  | { readonly kind: "cloud-watch-logs"; readonly retentionDays?: number; readonly kmsKeyArn?: string }
  /** An existing S3 bucket (its policy must allow delivery.logs.amazonaws.com). */
  | { readonly kind: "s3"; readonly bucketArn: string };

export interface VpcFlowLogProps {
  /** Prefix of the log group and role names. */
  readonly name: string;
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /**
   * Where the records go.
   * @default - a CloudWatch Logs group kept 365 days
   */
  readonly destination?: FlowLogDestination;
  /**
   * Which traffic is logged.
   * @default "ALL"
   */
  readonly trafficType?: (typeof FLOW_LOG_TRAFFIC_TYPES)[number];
}

export const VPC_FLOW_LOG_DEFAULTS = { retentionDays: 365, trafficType: "ALL" } as const;

const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/.*)?$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;

function checkRetention(days: number): Problem {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days) ? undefined : `must be one of ${LOG_RETENTION_DAYS.join(", ")} (CloudWatch Logs retention periods)`;
}

/** Every rule of {@link VpcFlowLogProps}'s optional parts, by dotted prop. */
export function checkVpcFlowLogProps(props: Partial<VpcFlowLogProps>): Problems {
  const destination = props.destination;
  return {
    "destination.kind":
      destination === undefined || destination.kind === "cloud-watch-logs" || destination.kind === "s3" ? undefined : 'must be "cloud-watch-logs" or "s3"',
    "destination.retentionDays": destination?.kind === "cloud-watch-logs" ? optional(destination.retentionDays, checkRetention) : undefined,
    "destination.kmsKeyArn":
      destination?.kind === "cloud-watch-logs"
        ? optional(destination.kmsKeyArn, (arn) => (KMS_KEY_ARN.test(arn) ? undefined : "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"))
        : undefined,
    "destination.bucketArn":
      destination?.kind === "s3" ? (S3_BUCKET_ARN.test(destination.bucketArn ?? "") ? undefined : "must be an S3 bucket ARN (arn:aws:s3:::<bucket>[/<prefix>])") : undefined,
    trafficType: optional(props.trafficType, (type) =>
      (FLOW_LOG_TRAFFIC_TYPES as readonly string[]).includes(type) ? undefined : `must be one of ${FLOW_LOG_TRAFFIC_TYPES.join(", ")}`,
    ),
  };
}

/**
 * VPC flow logs: every accepted and rejected connection of the VPC, recorded to a
 * CloudWatch Logs group with a retention period (through a role that may write to that
 * group only) or to an existing S3 bucket.
 */
export class VpcFlowLog extends Construct {
  public readonly flowLogId: string;
  /** The log group, when the destination is CloudWatch Logs. */
  public readonly logGroupName?: string;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    throwIfProblems(`VpcFlowLog ${this.node.path}`, checkVpcFlowLogProps(props));
    const destination = props.destination ?? { kind: "cloud-watch-logs" };
    const trafficType = props.trafficType ?? VPC_FLOW_LOG_DEFAULTS.trafficType;

    if (destination.kind === "s3") {
      const flowLog = new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType,
        logDestinationType: "s3",
        logDestination: destination.bucketArn,
        tags: { Name: props.name },
      });
      this.flowLogId = flowLog.id;
      return;
    }

    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vpc-flow-logs/${props.name}`,
      retentionInDays: destination.retentionDays ?? VPC_FLOW_LOG_DEFAULTS.retentionDays,
      kmsKeyId: destination.kmsKeyArn,
    });
    this.logGroupName = logGroup.name;

    const account = new DataAwsCallerIdentity(this, "account");
    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role-policy", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          // Only flow logs of this account may use the role (confused deputy).
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      namePrefix: `${props.name}-flow-logs-`.slice(0, 38),
      description: `VPC flow logs of ${props.name} to ${logGroup.name}`,
      assumeRolePolicy: assumeRole.json,
    });
    const writeLogs = new DataAwsIamPolicyDocument(this, "write-policy", {
      statement: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "write-logs", { name: "write-flow-logs", role: role.id, policy: writeLogs.json });

    const flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: { Name: props.name },
    });
    this.flowLogId = flowLog.id;
  }
}
