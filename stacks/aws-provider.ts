import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DEFAULT_AWS_PROVIDER_VERSION } from "../config/schema";
// What differs between cdktf and cdktn; loading it also keeps cdktf quiet on Node 22.
import "./synth/cdk-library";

/**
 * Registry host of the AWS provider's source address. cdktf emits the bare `aws`, which
 * cdktf's own lock-file check reads as `registry.terraform.io/hashicorp/aws` while OpenTofu
 * records `registry.opentofu.org/hashicorp/aws` in `.terraform.lock.hcl`: the mismatch
 * makes `cdktf diff` / `deploy` re-lock providers (and reach for the registry) on every
 * run. Spelling the host out makes both read the same key. Teams on Terraform set
 * `providerRegistry: "registry.terraform.io"` and re-run `npm run lock`.
 */
export const DEFAULT_PROVIDER_REGISTRY = "registry.opentofu.org";

/** The AWS provider's full source address for a registry host. */
export function awsProviderSource(registry: string = DEFAULT_PROVIDER_REGISTRY): string {
  return `${registry}/hashicorp/aws`;
}

export interface AwsProviderSettings {
  readonly region: string;
  /** Tags every resource gets (provider default tags). */
  readonly tags: Record<string, string>;
  /**
   * Talk to this emulator instead of AWS.
   * @default - real AWS
   */
  readonly emulatorEndpoint?: string;
  /**
   * Exact provider version to pin.
   * @default DEFAULT_AWS_PROVIDER_VERSION (config/schema.ts; the same under cdktf and cdktn)
   */
  readonly awsProviderVersion?: string;
  /**
   * Against the emulator, skip asking STS for the account id. With the account id the
   * provider tags buckets through S3 Control, whose `<account id>.` host prefix cannot
   * resolve on a loopback endpoint; without it, through S3's own bucket tagging. Stacks
   * with security group references must keep it (see emulator/moto/README.md).
   * @default false
   */
  readonly emulatorSkipsAccountId?: boolean;
  /**
   * Registry host of the provider's source address; must match the engine and the lock file.
   * @default DEFAULT_PROVIDER_REGISTRY (OpenTofu's)
   */
  readonly providerRegistry?: string;
  /**
   * The only AWS account the provider may act in (`allowed_account_ids`).
   * @default - any: the credentials' account
   */
  readonly accountId?: string;
}

/** The stack's AWS provider, pointed at AWS or at the emulator. */
export function declareAwsProvider(stack: TerraformStack, settings: AwsProviderSettings): void {
  const defaultTags = [{ tags: settings.tags }];
  const allowedAccountIds = settings.accountId !== undefined ? [settings.accountId] : undefined;
  const endpoint = settings.emulatorEndpoint;
  if (endpoint) {
    new AwsProvider(stack, "aws", {
      region: settings.region,
      defaultTags,
      allowedAccountIds,
      // The emulator accepts any credentials; these keep the provider from looking for real ones.
      // The account id is still requested (from the emulator's STS): without it the provider
      // cannot tell same-account security group references apart and reports drift.
      accessKey: "test",
      secretKey: "test",
      skipCredentialsValidation: true,
      skipMetadataApiCheck: "true",
      skipRegionValidation: true,
      skipRequestingAccountId: settings.emulatorSkipsAccountId ? true : undefined,
      s3UsePathStyle: true,
      // S3 Control (which the provider asks for bucket tags) is addressed as
      // <account id>.<endpoint host>, a name that does not resolve for a loopback
      // emulator. Through the emulator as an HTTP proxy it arrives with that host
      // intact, and moto routes it by path; loopback requests never use the proxy.
      httpProxy: endpoint,
      httpsProxy: "",
      endpoints: [
        {
          autoscaling: endpoint,
          cloudwatch: endpoint,
          cloudwatchlogs: endpoint,
          dynamodb: endpoint,
          ec2: endpoint,
          elb: endpoint,
          elbv2: endpoint,
          iam: endpoint,
          kms: endpoint,
          s3: endpoint,
          s3Control: endpoint,
          ssm: endpoint,
          sts: endpoint,
          wafv2: endpoint,
        },
      ],
    });
  } else {
    new AwsProvider(stack, "aws", { region: settings.region, defaultTags, allowedAccountIds });
  }
  stack.addOverride("terraform.required_providers.aws.source", awsProviderSource(settings.providerRegistry));
  // Always spelled out: the bindings' own pin differs between cdktf's and cdktn's (6.25.0, 6.66.0).
  stack.addOverride("terraform.required_providers.aws.version", settings.awsProviderVersion || DEFAULT_AWS_PROVIDER_VERSION);
}
