/**
 * State: the bootstrap's bucket (and optional key and lock table), the settings file
 * that feeds the environments' S3 backends, and the backend each stack declares.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ENVIRONMENTS, STATE_BOOTSTRAP } from "../../config/environments";
import { loadStacks } from "../../config/load";
import { BootstrapConfig, EnvironmentConfig, StateBackend } from "../../config/schema";
import { describeStateBackend } from "../../config/state";
import { ConfigError } from "../../config/validate";
import { StateBucket } from "../../modules/state/state-bucket";
import { StateLockTable } from "../../modules/state/state-lock-table";
import { SampleAppStack } from "../../stacks/sample-app-stack";
import { StateBootstrapStack } from "../../stacks/state-bootstrap-stack";
import { Synthesized, onlyResource, synthScope } from "../helpers";

const EMULATOR = "http://127.0.0.1:4566";
const REAL_SETTINGS = { bucket: "sample-app-tfstate-123456789012-us-east-1", region: "us-east-1", createdBy: "sample-app-bootstrap" };

// Created at load: the it.each tables below write their settings files while being declared.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "state-test-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Writes a settings file and returns the env that points synthesis at it. */
function settingsEnv(settings: unknown): NodeJS.ProcessEnv {
  const file = path.join(work, `settings-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof settings === "string" ? settings : JSON.stringify(settings));
  return { SAMPLE_APP_STATE_SETTINGS: file };
}

/** A project root without state-backend.json (the default settings path), as on a fresh clone. */
const FRESH_CLONE = { projectRoot: work, imageAppPort: 8080 };

/** The backends of the shipped environments (plus changes), without a settings file unless given. */
function backends(env: NodeJS.ProcessEnv, changes: Record<string, Partial<EnvironmentConfig>> = {}): Record<string, StateBackend> {
  const environments = Object.fromEntries(Object.entries(ENVIRONMENTS).map(([name, config]) => [name, { ...config, ...changes[name] }]));
  const { environments: loaded } = loadStacks({ ...FRESH_CLONE, environments, env: { SAMPLE_APP_ENVIRONMENTS: Object.keys(environments).join(","), ...env } });
  return Object.fromEntries(loaded.map((environment) => [environment.name, environment.backend]));
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be rejected");
}

function backendBlock(name: string, env: NodeJS.ProcessEnv, change: Partial<EnvironmentConfig> = {}): unknown {
  const { environments } = loadStacks({
    environments: { ...ENVIRONMENTS, [name]: { ...ENVIRONMENTS[name], ...change } },
    env: { SAMPLE_APP_ENVIRONMENTS: name, ...env },
  });
  const stack = new SampleAppStack(Testing.app(), `sample-app-${name}`, { environment: environments[0] });
  return (JSON.parse(Testing.synth(stack)) as Synthesized).terraform?.backend;
}

describe("StateBucket", () => {
  const synthesized = synthScope((scope) => new StateBucket(scope, "state", { bucketName: "acme-state" }));

  it("keeps every state version and protects the bucket from destroy", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-state", lifecycle: { prevent_destroy: true } });
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
  });

  it("encrypts with SSE-S3 by default", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false }],
    });
    expect(synthesized).not.toHaveResource(KmsKey);
  });

  it("blocks every form of public access and disables ACLs", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(synthesized, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("denies every request that does not use TLS, on the bucket and its objects", () => {
    const policy = String(onlyResource(synthesized, "aws_s3_bucket_policy").policy);
    expect(policy).toContain('"Effect" = "Deny"');
    expect(policy).toContain('"Action" = "s3:*"');
    expect(policy).toContain('"aws:SecureTransport" = "false"');
    expect(policy).toMatch(/"Resource" = \[aws_s3_bucket\.[^.]+\.arn, "\$\{aws_s3_bucket\.[^.]+\.arn\}\/\*"\]/);
  });

  it("expires replaced state versions after 90 days, never the current one", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({
          status: "Enabled",
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          expiration: [{ expired_object_delete_marker: true }],
        }),
      ],
    });
  });

  it("creates a rotated, protected KMS key for kms: {}", () => {
    const withKey = synthScope((scope) => new StateBucket(scope, "state", { bucketName: "acme-state", kms: {} }));
    expect(withKey).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(withKey).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) }, bucket_key_enabled: true }],
    });
  });

  it("uses an existing key without creating one", () => {
    const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withKey = synthScope((scope) => new StateBucket(scope, "state", { bucketName: "acme-state", kms: { keyArn: arn } }));
    expect(withKey).not.toHaveResource(KmsKey);
    expect(withKey).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: arn }, bucket_key_enabled: true }],
    });
  });

  it.each([
    [{ noncurrentVersionDays: 0 }, "noncurrentVersionDays must be from 1 to 3650"],
    [{ noncurrentVersionDays: 1.5 }, "noncurrentVersionDays must be a whole number from 1 to 3650"],
  ])("rejects %j", (props, message) => {
    expect(() => synthScope((scope) => new StateBucket(scope, "state", { bucketName: "acme-state", ...props }))).toThrow(message);
  });
});

describe("StateLockTable", () => {
  it("is the S3 backend's lock table: LockID hash key, on demand, encrypted, protected", () => {
    const synthesized = synthScope((scope) => new StateLockTable(scope, "locks", { name: "acme-locks" }));
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: "acme-locks",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
  });

  it("rejects a bad table name", () => {
    expect(() => synthScope((scope) => new StateLockTable(scope, "locks", { name: "a" }))).toThrow("name must be a DynamoDB table name");
  });
});

describe("stack sample-app-bootstrap", () => {
  const synth = (config: BootstrapConfig = STATE_BOOTSTRAP) => Testing.synth(new StateBootstrapStack(Testing.app(), "sample-app-bootstrap", { config }));
  const synthesized = synth();
  const parsed = JSON.parse(synthesized) as Synthesized;

  it("keeps its own state locally (the bucket cannot hold the state of the stack that creates it)", () => {
    expect(parsed.terraform?.backend).toEqual({ local: { path: "../../../.state/sample-app-bootstrap.tfstate" } });
  });

  it("names the bucket after the account and region by default", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, {
      bucket: "sample-app-tfstate-${data.aws_caller_identity.account.account_id}-us-east-1",
    });
  });

  it("outputs the backend settings the environments are synthesized from", () => {
    expect(parsed.output?.backend_settings.value).toEqual({
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket\..+\.bucket\}$/),
      region: "us-east-1",
      createdBy: "sample-app-bootstrap",
    });
  });

  it("adds the KMS key, the lock table and the emulator to the settings when configured", () => {
    const full = JSON.parse(
      synth({ region: "eu-west-1", bucketName: "acme-state", kms: {}, lockTable: {}, emulator: { endpoint: EMULATOR } }),
    ) as Synthesized;
    expect(full.output?.backend_settings.value).toEqual({
      bucket: expect.any(String),
      region: "eu-west-1",
      kmsKeyId: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
      dynamodbTable: expect.stringMatching(/^\$\{aws_dynamodb_table\..+\.name\}$/),
      emulatorEndpoint: EMULATOR,
      createdBy: "sample-app-bootstrap",
    });
    expect(Object.keys(full.resource ?? {})).toContain("aws_dynamodb_table");
    expect((full.provider?.aws as Record<string, unknown>[])[0]).toMatchObject({ endpoints: [expect.objectContaining({ s3: EMULATOR, kms: EMULATOR, dynamodb: EMULATOR })] });
  });
});

describe("bootstrap configuration", () => {
  const load = (bootstrap: unknown, env: NodeJS.ProcessEnv = {}) => loadStacks({ ...FRESH_CLONE, bootstrap: bootstrap as BootstrapConfig, env });

  it("is synthesized with every run unless SAMPLE_APP_ENVIRONMENTS leaves it out", () => {
    expect(load(STATE_BOOTSTRAP).bootstrap?.config).toEqual(STATE_BOOTSTRAP);
    expect(load(STATE_BOOTSTRAP, { SAMPLE_APP_ENVIRONMENTS: "prod" }).bootstrap).toBeUndefined();
    expect(load(STATE_BOOTSTRAP, { SAMPLE_APP_ENVIRONMENTS: "bootstrap" })).toEqual({ environments: [], bootstrap: { config: STATE_BOOTSTRAP }, warnings: [] });
  });

  it("points at an emulator with SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT", () => {
    expect(load(STATE_BOOTSTRAP, { SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT: EMULATOR }).bootstrap?.config.emulator).toEqual({ endpoint: EMULATOR });
    expect(problemsOf(() => load(STATE_BOOTSTRAP, { SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT: "http://10.0.0.1:5000" }))).toContain(
      'SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT = "http://10.0.0.1:5000": must point at a loopback address',
    );
  });

  it.each<[string, unknown, string]>([
    ["a bad region", { region: "useast1" }, 'bootstrap (sample-app-bootstrap): region = "useast1": must be an AWS region'],
    ["a bad bucket name", { region: "us-east-1", bucketName: "Acme_State" }, 'bootstrap (sample-app-bootstrap): bucketName = "Acme_State": must be an S3 bucket name'],
    ["zero retention days", { region: "us-east-1", noncurrentVersionDays: 0 }, "bootstrap (sample-app-bootstrap): noncurrentVersionDays = 0: must be from 1 to 3650"],
    ["a misspelled field", { region: "us-east-1", lockTabel: {} }, 'bootstrap (sample-app-bootstrap): lockTabel = {}: unknown field; did you mean "lockTable"?'],
    ["a KMS alias instead of an ARN", { region: "us-east-1", kms: { keyArn: "alias/x" } }, 'bootstrap (sample-app-bootstrap): kms.keyArn = "alias/x": must be a KMS key ARN'],
  ])("rejects %s", (_case, config, message) => {
    expect(problemsOf(() => load(config))).toContain(message);
  });

  it("reserves the environment name bootstrap", () => {
    expect(problemsOf(() => loadStacks({ ...FRESH_CLONE, environments: { ...ENVIRONMENTS, bootstrap: ENVIRONMENTS.dev }, env: {} }))).toContain(
      'environment name "bootstrap": is reserved for the state bootstrap stack sample-app-bootstrap',
    );
  });
});

describe("state backends", () => {
  it("keeps every stack on local state on a fresh clone, saying why", () => {
    const found = backends({});
    expect(Object.values(found).map((backend) => backend.kind)).toEqual(["local", "local", "local", "local"]);
    expect(describeStateBackend("sample-app-prod", found.prod)).toBe(
      "sample-app-prod: local state .state/sample-app-prod.tfstate (no state-backend.json yet: apply sample-app-bootstrap, then npm run state:settings; see help)",
    );
    expect(describeStateBackend("sample-app-dev", found.dev)).toContain("(no s3Backend in its configuration)");
  });

  it("puts stage and prod on the bootstrap's bucket once the settings exist; dev stays local", () => {
    const found = backends(settingsEnv(REAL_SETTINGS));
    expect(found.dev.kind).toBe("local");
    expect(found.local.kind).toBe("local");
    for (const name of ["stage", "prod"]) {
      expect(found[name]).toMatchObject({ kind: "s3", bucket: REAL_SETTINGS.bucket, key: `sample-app/sample-app-${name}.tfstate`, region: "us-east-1" });
    }
  });

  it("declares an encrypted, lock-file-locked S3 backend from the settings", () => {
    expect(backendBlock("prod", settingsEnv(REAL_SETTINGS))).toEqual({
      s3: { bucket: REAL_SETTINGS.bucket, key: "sample-app/sample-app-prod.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });

  it("takes the KMS key and DynamoDB lock table from the settings", () => {
    const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(backendBlock("stage", settingsEnv({ ...REAL_SETTINGS, kmsKeyId, dynamodbTable: "sample-app-tfstate-lock" }))).toEqual({
      s3: expect.objectContaining({ kms_key_id: kmsKeyId, dynamodb_table: "sample-app-tfstate-lock", use_lockfile: true, encrypt: true }),
    });
  });

  it("uses an explicitly named existing bucket instead of the settings", () => {
    expect(backendBlock("prod", settingsEnv(REAL_SETTINGS), { s3Backend: { bucket: "acme-tofu-state", keyPrefix: "platform/sample-app", region: "eu-west-1" } })).toEqual({
      s3: { bucket: "acme-tofu-state", key: "platform/sample-app/sample-app-prod.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
    });
  });

  it("points an emulated environment's backend at the emulator's S3 with dummy credentials", () => {
    const env = { ...settingsEnv({ ...REAL_SETTINGS, emulatorEndpoint: EMULATOR }), SAMPLE_APP_EMULATOR_ENDPOINT: EMULATOR };
    expect(backendBlock("local", env)).toEqual({
      s3: {
        bucket: REAL_SETTINGS.bucket,
        key: "sample-app/sample-app-local.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
        endpoints: { s3: EMULATOR, dynamodb: EMULATOR, iam: EMULATOR, sts: EMULATOR },
        use_path_style: true,
        access_key: "test",
        secret_key: "test",
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
      },
    });
  });

  it.each<[string, NodeJS.ProcessEnv, Record<string, Partial<EnvironmentConfig>>, string]>([
    [
      "settings of an emulator used for a real environment",
      settingsEnv({ ...REAL_SETTINGS, emulatorEndpoint: EMULATOR }),
      {},
      `environment "prod": s3Backend = {}: the backend settings`,
    ],
    [
      "settings of another emulator",
      { SAMPLE_APP_ENVIRONMENTS: "local", SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:5000", ...settingsEnv({ ...REAL_SETTINGS, emulatorEndpoint: EMULATOR }) },
      {},
      `environment "local": emulator.endpoint = "http://127.0.0.1:5000": the backend settings`,
    ],
    [
      "a backend region other than the bucket's",
      settingsEnv(REAL_SETTINGS),
      { prod: { s3Backend: { region: "eu-west-1" } } },
      `environment "prod": s3Backend.region = "eu-west-1": the bootstrap bucket ${REAL_SETTINGS.bucket} is in us-east-1`,
    ],
    ["a settings file that is not JSON", settingsEnv("{ bucket: "), {}, "not valid JSON"],
    ["settings without a region", settingsEnv({ bucket: REAL_SETTINGS.bucket }), {}, "region: is required; allowed: an AWS region"],
    ["settings with a leading-slash-free but invalid bucket", settingsEnv({ ...REAL_SETTINGS, bucket: "Bad_Bucket" }), {}, 'bucket = "Bad_Bucket": must be an S3 bucket name'],
    ["a named settings file that does not exist", { SAMPLE_APP_STATE_SETTINGS: path.join(os.tmpdir(), "no-such-dir", "settings.json") }, {}, "SAMPLE_APP_STATE_SETTINGS = "],
  ])("rejects %s", (_case, env, changes, message) => {
    const selected = env.SAMPLE_APP_ENVIRONMENTS ? env : { ...env, SAMPLE_APP_ENVIRONMENTS: "dev,stage,prod" };
    expect(problemsOf(() => backends(selected, changes))).toContain(message);
  });

  it("leaves an emulated environment on local state with settings for real AWS", () => {
    const found = backends({ ...settingsEnv(REAL_SETTINGS), SAMPLE_APP_ENVIRONMENTS: "local" });
    expect(found.local).toMatchObject({ kind: "local", reason: expect.stringContaining("describes a bucket in real AWS") });
  });
});

describe("StateBucket in the emulator", () => {
  it("leaves the TLS-only policy out when asked (plain HTTP would be denied every request)", () => {
    const synthesized = synthScope((scope) => new StateBucket(scope, "state", { bucketName: "acme-state", requireTls: false }));
    expect(Object.keys(JSON.parse(synthesized).resource)).not.toContain("aws_s3_bucket_policy");
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
  });

  it("is what the bootstrap does against an emulator, and only then", () => {
    const resourcesOf = (config: BootstrapConfig) =>
      Object.keys((JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), "sample-app-bootstrap", { config }))) as Synthesized).resource ?? {});
    expect(resourcesOf(STATE_BOOTSTRAP)).toContain("aws_s3_bucket_policy");
    expect(resourcesOf({ ...STATE_BOOTSTRAP, emulator: { endpoint: EMULATOR } })).not.toContain("aws_s3_bucket_policy");
  });
});
