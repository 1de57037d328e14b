import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LoadBalancer } from "../../../modules/load-balancer/load-balancer";
import { LoadBalancerLogBucket, LoadBalancerLogBucketProps } from "../../../modules/log-bucket/log-bucket";
import { onlyResource, refTo, synthScope } from "../../helpers";

const synthBucket = (props: LoadBalancerLogBucketProps = {}) => synthScope((scope) => new LoadBalancerLogBucket(scope, "logs", props));

describe("LoadBalancerLogBucket", () => {
  const synthesized = synthBucket({ logPrefix: "alb" });
  const bucketId = refTo(synthesized, "aws_s3_bucket", "logs_bucket", "id");

  it("creates a bucket with a generated unique name, not destroyed with logs in it", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "alb-logs-", force_destroy: false });
    expect(synthBucket({ bucketName: "my-alb-logs" })).toHaveResourceWithProperties(S3Bucket, { bucket: "my-alb-logs" });
  });

  it("blocks every kind of public access and disables ACLs", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { bucket: bucketId, rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  it("encrypts with SSE-S3, the only encryption ALB log delivery supports", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  it("expires logs after 90 days by default, or as configured", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      bucket: bucketId,
      rule: [expect.objectContaining({ status: "Enabled", expiration: [{ days: 90 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] })],
    });
    expect(synthBucket({ expirationDays: 30 })).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [expect.objectContaining({ expiration: [{ days: 30 }] })],
    });
  });

  it("lets only the region's ELB log delivery write, under the prefix for this account, and only over TLS", () => {
    const policy = onlyResource(synthesized, "aws_s3_bucket_policy");
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    const documents = JSON.parse(synthesized).data.aws_iam_policy_document as Record<string, { statement: Record<string, unknown>[] }>;
    const [write, deny] = Object.values(documents)[0].statement;
    expect(write).toMatchObject({
      effect: "Allow",
      actions: ["s3:PutObject"],
      principals: [
        { type: "AWS", identifiers: [expect.stringMatching(/^\$\{data\.aws_elb_service_account\.[^}]+\.arn\}$/)] },
        { type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] },
      ],
      resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.[^}]+\.arn\}\/alb\/AWSLogs\/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}\/\*$/)],
    });
    expect(deny).toMatchObject({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  it.each<[string, LoadBalancerLogBucketProps, string]>([
    ["upper case", { bucketName: "My-Logs" }, "bucketName must be an S3 bucket name"],
    ["an IP address", { bucketName: "192.168.1.10" }, "bucketName must not be formatted as an IP address"],
    ["adjacent dots", { bucketName: "logs..alb" }, "bucketName must not contain two adjacent dots"],
    ["a reserved prefix", { bucketName: "xn--logs" }, 'bucketName must not start with "xn--" (reserved by AWS)'],
    ["a reserved suffix", { bucketName: "logs-s3alias" }, 'bucketName must not end with "-s3alias" (reserved by AWS)'],
    ["too long", { bucketName: "a".repeat(64) }, "bucketName must be an S3 bucket name"],
    ["a name prefix too long for S3's suffix", { namePrefix: "a".repeat(38) }, "namePrefix must be 1-37"],
    ["both name and prefix", { bucketName: "logs", namePrefix: "logs-" }, "namePrefix must not be set together with bucketName"],
    ["a log prefix with AWSLogs", { logPrefix: "x/AWSLogs" }, 'logPrefix must not contain "AWSLogs"'],
    ["a log prefix with a trailing slash", { logPrefix: "alb/" }, "logPrefix must be an S3 key prefix"],
    ["an expiry of 0 days", { expirationDays: 0 }, "expirationDays must be from 1 to 3650"],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthBucket(props)).toThrow(message);
  });
});

describe("LoadBalancer access logs", () => {
  it("logs to the bucket under the prefix, switched on only after the bucket policy exists", () => {
    const synthesized = synthScope((scope) => {
      const bucket = new LoadBalancerLogBucket(scope, "logs", { logPrefix: "alb" });
      const lb = new LoadBalancer(scope, "lb", {
        name: "test",
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
        appPort: 8080,
        accessLogs: { bucketName: bucket.bucketName, prefix: bucket.logPrefix, dependsOn: [bucket.policy] },
      });
      lb.allowTrafficTo("x", "sg-0123456789abcdef0");
    });
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      access_logs: { enabled: true, bucket: refTo(synthesized, "aws_s3_bucket", "logs_bucket", "bucket"), prefix: "alb" },
      depends_on: [expect.stringMatching(/^aws_s3_bucket_policy\./)],
    });
  });

  it("rejects an existing bucket name AWS would refuse", () => {
    expect(() =>
      synthScope((scope) => new LoadBalancer(scope, "lb", { name: "t", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"], appPort: 8080, accessLogs: { bucketName: "Logs_Bucket" } })),
    ).toThrow("accessLogs.bucketName must be an S3 bucket name");
  });
});
