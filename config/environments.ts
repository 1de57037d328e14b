import type { BootstrapConfig, EnvironmentConfig, ImageSource, S3BackendConfig } from "./schema";
import { TOOLCHAIN } from "./toolchain";

/** Project name: prefix of stack ids and resource names, `Project` tag. */
export const PROJECT = "sample-app";

/**
 * The book's image naming (`packer/sample-app.pkr.hcl` names AMIs
 * `sample-app-packer-<version>-<timestamp>`), looked up in the deploying account.
 */
const PACKER_IMAGE_LOOKUP: ImageSource = { kind: "lookup", namePattern: "sample-app-packer-*", owners: ["self"] };

/**
 * State in the bucket that the bootstrap stack (sample-app-bootstrap) created, as written
 * to state-backend.json by `npm run state:settings`. Until that file exists the stack
 * keeps local state, and the synth says so.
 */
const BOOTSTRAP_BUCKET: S3BackendConfig = {};

/**
 * The state bootstrap (stack sample-app-bootstrap, its own local state): the bucket
 * every environment's S3 state lives in, one per account and region. Apply it once,
 * before the environments (see `help`).
 */
export const STATE_BOOTSTRAP: BootstrapConfig = {
  region: "us-east-1",
};

const HEALTH_CHECK = { path: "/health", matcher: "200", intervalSeconds: 10, timeoutSeconds: 5 } as const;

/**
 * Environments shipped out of the box. Edit these (or add one); every field is
 * checked by `validateEnvironment` before anything is synthesized.
 */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = {
  dev: {
    region: "us-east-1",
    vpcCidr: "10.10.0.0/16",
    azCount: 2,
    // Instances in public subnets with public IPs: no NAT gateway charges in dev.
    natMode: "none",
    instanceType: "t3.micro",
    capacity: { min: 1, max: 3, desired: 1 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: PACKER_IMAGE_LOOKUP,
    deletionProtection: false,
  },
  stage: {
    region: "us-east-1",
    vpcCidr: "10.20.0.0/16",
    azCount: 2,
    natMode: "single",
    instanceType: "t3.small",
    capacity: { min: 2, max: 6, desired: 2 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: PACKER_IMAGE_LOOKUP,
    deletionProtection: false,
    s3Backend: BOOTSTRAP_BUCKET,
  },
  prod: {
    region: "us-east-1",
    vpcCidr: "10.30.0.0/16",
    azCount: 3,
    natMode: "per-az",
    instanceType: "t3.small",
    // As in the book: 3 instances, up to 10; a rollout briefly runs 6.
    capacity: { min: 3, max: 10, desired: 3 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200, autoRollback: true },
    slowStartSeconds: 30,
    allowedCidrs: ["0.0.0.0/0"],
    // Only an image promoted to prod (npm run image:promote -- <ami> --to prod), never
    // merely the newest build: stage runs every build first.
    image: { kind: "promoted", namePattern: "sample-app-packer-*", owners: ["self"] },
    deletionProtection: true,
    s3Backend: BOOTSTRAP_BUCKET,
    // Managed rule groups (IP reputation, common exploits, known bad inputs) and 2,000
    // requests per client IP per 5 minutes.
    waf: {},
    // Production policy rules: HTTPS, deletion protection, remote state, promoted image, WAF.
    production: true,
  },
  /**
   * The local loop: everything points at the AWS emulator started by `npm start`
   * (moto on 127.0.0.1); state is local unless the settings file comes from a bootstrap
   * against the same emulator (the end-to-end tests do that). The endpoint comes from
   * SAMPLE_APP_EMULATOR_ENDPOINT, the image from SAMPLE_APP_IMAGE_ID_LOCAL.
   */
  local: {
    region: "us-east-1",
    vpcCidr: "10.99.0.0/16",
    azCount: 2,
    natMode: "single",
    instanceType: "t3.micro",
    capacity: { min: 2, max: 4, desired: 2 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: { kind: "ami", amiId: "ami-0a0000000000000a1" },
    deletionProtection: false,
    awsProviderVersion: TOOLCHAIN.awsProvider.version,
    emulator: { endpoint: "http://127.0.0.1:5000" },
    // The emulator's own S3, once a bootstrap against the same emulator wrote its settings.
    s3Backend: BOOTSTRAP_BUCKET,
  },
};
