import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Problems, checkInteger, checkLogPrefix, checkS3BucketName, optional, throwIfProblems } from "../core/checks";

export interface LoadBalancerLogBucketProps {
  /**
   * Exact bucket name (globally unique; checked against S3's naming rules).
   * @default - a unique name generated from `namePrefix`
   */
  readonly bucketName?: string;
  /**
   * Prefix of the generated name when `bucketName` is not given, at most 37 characters.
   * @default "alb-logs-"
   */
  readonly namePrefix?: string;
  /**
   * Key prefix the load balancer writes under; the policy allows writes there only.
   * @default - the bucket root (`AWSLogs/<account>/...`)
   */
  readonly logPrefix?: string;
  /**
   * Days after which log objects (and replaced versions) are deleted, 1 to 3650.
   * @default 90
   */
  readonly expirationDays?: number;
  /**
   * Let `tofu destroy` delete the bucket with the logs in it.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/** Defaults of the optional {@link LoadBalancerLogBucketProps}. */
export const LOG_BUCKET_DEFAULTS = { namePrefix: "alb-logs-", expirationDays: 90, forceDestroy: false } as const;

/** Every rule of {@link LoadBalancerLogBucketProps}, by prop. */
export function checkLoadBalancerLogBucketProps(props: Partial<LoadBalancerLogBucketProps>): Problems {
  return {
    bucketName: optional(props.bucketName, checkS3BucketName),
    namePrefix: optional(props.namePrefix, (prefix) =>
      /^[a-z0-9][a-z0-9.-]{0,36}$/.test(prefix) && !prefix.includes("..")
        ? undefined
        : "must be 1-37 lowercase letters, digits, dots and hyphens, starting with a letter or digit (S3 appends 26 characters)",
    ),
    logPrefix: optional(props.logPrefix, checkLogPrefix),
    expirationDays: checkInteger(props.expirationDays ?? LOG_BUCKET_DEFAULTS.expirationDays, 1, 3650),
  };
}

/**
 * An S3 bucket for Application Load Balancer access logs, as AWS requires it and a
 * security review expects it: SSE-S3 encryption (the only kind ALB log delivery
 * supports), every public access path blocked, ACLs disabled, versioning, a lifecycle
 * that expires logs, and a policy that lets only the region's ELB log delivery write
 * under the log prefix for this account, over TLS only.
 */
export class LoadBalancerLogBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The key prefix to give the load balancer (empty: the root). */
  public readonly logPrefix: string;
  /** The bucket policy; the load balancer's log setting must wait for it (AWS tests the write). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps = {}) {
    super(scope, id);
    throwIfProblems(`LoadBalancerLogBucket ${this.node.path}`, {
      ...checkLoadBalancerLogBucketProps(props),
      namePrefix: props.bucketName !== undefined && props.namePrefix !== undefined ? "must not be set together with bucketName" : checkLoadBalancerLogBucketProps(props).namePrefix,
    });
    const expirationDays = props.expirationDays ?? LOG_BUCKET_DEFAULTS.expirationDays;
    this.logPrefix = props.logPrefix ?? "";

    const bucket = new S3Bucket(this, "bucket", {
      ...(props.bucketName !== undefined ? { bucket: props.bucketName } : { bucketPrefix: props.namePrefix ?? LOG_BUCKET_DEFAULTS.namePrefix }),
      forceDestroy: props.forceDestroy ?? LOG_BUCKET_DEFAULTS.forceDestroy,
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership-controls", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      // ALB access log delivery supports SSE-S3 only, not SSE-KMS.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
    });

    const account = new DataAwsCallerIdentity(this, "account");
    const elbAccount = new DataAwsElbServiceAccount(this, "elb-account");
    const keyPrefix = this.logPrefix === "" ? "" : `${this.logPrefix}/`;
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "ElbLogDelivery",
          effect: "Allow",
          // Regions opened before August 2022 deliver as the regional ELB account, newer
          // ones as the log delivery service; either may write, only under this account's prefix.
          principals: [
            { type: "AWS", identifiers: [elbAccount.arn] },
            { type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] },
          ],
          actions: ["s3:PutObject"],
          resources: [`${bucket.arn}/${keyPrefix}AWSLogs/${account.accountId}/*`],
        },
        {
          sid: "DenyPlainHttp",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: document.json,
      // Public access block first: a policy put while it is being set can be rejected.
      dependsOn: [publicAccess],
    });
  }
}
