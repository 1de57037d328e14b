import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Problems, checkInteger, throwIfProblems } from "../core/checks";

/** SSE-KMS for the state objects. */
export interface StateBucketKmsProps {
  /**
   * An existing key (its ARN).
   * @default - a key is created, with yearly rotation and the alias `alias/<bucket name>`
   */
  readonly keyArn?: string;
}

export interface StateBucketProps {
  /** Bucket name (may be a token, e.g. built from the account id). */
  readonly bucketName: string;
  /**
   * Encrypt with KMS instead of SSE-S3.
   * @default - SSE-S3 (AES256)
   */
  readonly kms?: StateBucketKmsProps;
  /**
   * Days a replaced (noncurrent) state version is kept before it expires.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Deny every request that does not use TLS (a bucket policy on `aws:SecureTransport`).
   * Off only for a bucket in the plain-HTTP emulator, where it would deny every request.
   * @default true
   */
  readonly requireTls?: boolean;
}

export const STATE_BUCKET_DEFAULTS = {
  noncurrentVersionDays: 90,
} as const;

/** Every rule of {@link StateBucketProps}, by prop. */
export function checkStateBucketProps(props: Partial<StateBucketProps>): Problems {
  return {
    noncurrentVersionDays: props.noncurrentVersionDays === undefined ? undefined : checkInteger(props.noncurrentVersionDays, 1, 3650),
  };
}

/**
 * The bucket that holds OpenTofu state: versioned (every apply's state can be
 * restored), encrypted by default, never public, reachable over TLS only, with old
 * versions expiring, and `prevent_destroy` on everything whose loss loses state.
 */
export class StateBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly region: string;
  /** ARN of the KMS key, when the bucket uses SSE-KMS. */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    throwIfProblems(`StateBucket ${this.node.path}`, checkStateBucketProps(props));
    const keep = { lifecycle: { preventDestroy: true } } as const;

    const bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, ...keep });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.region = bucket.region;

    new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });

    if (props.kms) {
      if (props.kms.keyArn) {
        this.kmsKeyArn = props.kms.keyArn;
      } else {
        const key = new KmsKey(this, "key", {
          description: `Encrypts the OpenTofu state in ${props.bucketName}`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          ...keep,
        });
        new KmsAlias(this, "key-alias", { name: `alias/${props.bucketName}`, targetKeyId: key.keyId });
        this.kmsKeyArn = key.arn;
      }
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: this.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          // S3 Bucket Keys cut KMS request costs; meaningless for SSE-S3.
          bucketKeyEnabled: this.kmsKeyArn !== undefined,
        },
      ],
    });

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // ACLs off: every object belongs to the bucket owner, whoever wrote it.
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    if (props.requireTls ?? true) {
      this.requireTls(bucket, publicAccessBlock);
    }

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          // The current version never expires; a replaced one stays restorable this long.
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? STATE_BUCKET_DEFAULTS.noncurrentVersionDays }],
          // A lock file deleted on unlock leaves a delete marker; without this they pile up.
          expiration: [{ expiredObjectDeleteMarker: true }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }

  private requireTls(bucket: S3Bucket, publicAccessBlock: S3BucketPublicAccessBlock): void {
    new S3BucketPolicy(this, "tls-only", {
      bucket: bucket.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      // S3 rejects a policy put while the public access block is still being applied.
      dependsOn: [publicAccessBlock],
    });
  }
}
