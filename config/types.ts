import type { NatMode } from "../modules/network/network";
import type { ExistingNetworkProps } from "../modules/network/existing-network";
import type { CpuTargetTrackingProps, InstanceRefreshProps } from "../modules/auto-scaling-group/app-auto-scaling-group";
import type { HealthCheckProps } from "../modules/load-balancer/load-balancer";

/** Where the instances' image comes from. */
export type ImageSource =
  /** A fixed AMI id. */
  | { readonly kind: "ami"; readonly amiId: string }
  /**
   * The newest AMI for the environment's region in a Packer manifest, read at synth
   * time so the plan shows the concrete id.
   */
  | { readonly kind: "packer-manifest"; readonly manifestPath?: string }
  /**
   * The newest AMI matching a name pattern and owners, looked up by the provider at
   * plan time (an `aws_ami` data source).
   */
  | { readonly kind: "lookup"; readonly namePattern: string; readonly owners: string[] };

export const IMAGE_SOURCE_KINDS = ["ami", "packer-manifest", "lookup"] as const;

/** Remote state in S3. */
export interface S3BackendConfig {
  /** Bucket holding the state files. */
  readonly bucket: string;
  /**
   * Region of the bucket.
   * @default the environment's region
   */
  readonly region?: string;
  /**
   * Prefix of the state key; the key is `<prefix>/<stack id>.tfstate`.
   * @default "sample-app"
   */
  readonly keyPrefix?: string;
}

/** An AWS API emulator the provider talks to instead of AWS (local development and tests). */
export interface EmulatorConfig {
  /** Base URL of the emulator, on a loopback address. */
  readonly endpoint: string;
}

/** Everything that differs between environments. Validated by `validateEnvironment`. */
export interface EnvironmentConfig {
  /** AWS region, e.g. "us-east-1". */
  readonly region: string;
  /** IPv4 CIDR of the VPC, /16 to /28; must not overlap another environment's. */
  readonly vpcCidr: string;
  /** Availability zones to spread over, at least 2. */
  readonly azCount: number;
  /** NAT layout of the private subnets. */
  readonly natMode: NatMode;
  /**
   * Prefix length of each subnet.
   * @default vpc prefix + 4
   */
  readonly subnetPrefixLength?: number;
  /**
   * Use an existing VPC and subnets instead of creating a network.
   * @default - a network is created from vpcCidr, azCount and natMode
   */
  readonly existingNetwork?: ExistingNetworkProps;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Group size bounds and initial size. */
  readonly capacity: { readonly min: number; readonly max: number; readonly desired: number };
  /** Port the app listens on. */
  readonly appPort: number;
  /** Target group health check; `path` is required. */
  readonly healthCheck: HealthCheckProps & { readonly path: string };
  /**
   * Rolling refresh preferences.
   * @default - 100 % min healthy, 200 % max healthy, auto rollback
   */
  readonly instanceRefresh?: InstanceRefreshProps;
  /**
   * CPU target tracking.
   * @default - enabled at 50 %
   */
  readonly cpuTargetTracking?: CpuTargetTrackingProps;
  /**
   * ACM certificate for HTTPS; HTTP then redirects to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** IPv4 CIDRs that may reach the load balancer. */
  readonly allowedCidrs: string[];
  /** Where the image comes from. */
  readonly image: ImageSource;
  /** Protect the load balancer from deletion. */
  readonly deletionProtection: boolean;
  /**
   * Seconds the ALB drains a deregistering instance.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds of slow start for new instances (30 to 900).
   * @default - off
   */
  readonly slowStartSeconds?: number;
  /**
   * Remote state. Without it, state is a local file `.state/<stack id>.tfstate`.
   * @default - local state
   */
  readonly s3Backend?: S3BackendConfig;
  /**
   * Talk to an emulator instead of AWS.
   * @default - real AWS
   */
  readonly emulator?: EmulatorConfig;
  /**
   * Exact AWS provider version the stack pins.
   * @default the version the bindings were generated from (6.25.0)
   */
  readonly awsProviderVersion?: string;
}

/** An environment after validation and resolution of the image source. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly config: EnvironmentConfig;
  /** A concrete AMI id, or a lookup to run at plan time. */
  readonly image:
    | { readonly kind: "ami"; readonly amiId: string; readonly origin: string }
    | { readonly kind: "lookup"; readonly namePattern: string; readonly owners: string[] };
}
