/**
 * The state bootstrap (stack sample-app-bootstrap) and the backend settings file it produces.
 * Part of config/schema.ts (its public surface).
 */
import * as v from "valibot";
import { checkArnPlace, checkRegion } from "../../modules/core/aws-facts";
import { Problems } from "../../modules/core/checks";
import { STATE_BUCKET_DEFAULTS, checkStateBucketProps } from "../../modules/state/state-bucket";
import { STATE_LOCK_TABLE_DEFAULTS } from "../../modules/state/state-lock-table";
import { checkS3BucketName } from "../../modules/core/checks";
import { field, number, renamed, rule, strict, text, withRules } from "./fields";
import { DEFAULT_AWS_PROVIDER_VERSION, checkEmulatorEndpoint, checkProviderVersion } from "./values";
import { EMULATOR_FIELDS, checkDynamodbTableName, checkKmsKeyArn } from "./environment";
import { FieldProblem, checkAgainst } from "./check";

const BOOTSTRAP_FIELDS = {
  region: field(v.pipe(text(), rule(checkRegion)), { description: "region of the state bucket", allowed: 'e.g. "us-east-1"' }),
  bucketName: v.optional(field(v.pipe(text(), rule(checkS3BucketName)), { description: "name of the state bucket", allowed: "an S3 bucket name", default: '"sample-app-tfstate-<account id>-<region>"' })),
  kms: v.optional(field(strict({
    keyArn: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "an existing KMS key", allowed: "a KMS key ARN", default: "a key is created (rotation on)" })),
  }), { description: "SSE-KMS instead of SSE-S3", allowed: "{ keyArn? }; {} creates a key", default: "SSE-S3 (AES256)" })),
  noncurrentVersionDays: v.optional(field(number(), { description: "days a replaced state version is kept", allowed: "1 to 3650", default: `${STATE_BUCKET_DEFAULTS.noncurrentVersionDays}` })),
  lockTable: v.optional(field(strict({
    name: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "name of the lock table", allowed: "a DynamoDB table name", default: `"${STATE_LOCK_TABLE_DEFAULTS.name}"` })),
  }), { description: "DynamoDB lock table, for Terraform/OpenTofu versions without S3 lock files", allowed: "{ name? }", default: "none: S3 lock files (use_lockfile)" })),
  emulator: v.optional(field(strict(EMULATOR_FIELDS), { description: "create the bucket in an AWS emulator", allowed: "{ endpoint } on a loopback address", default: "real AWS" })),
  awsProviderVersion: v.optional(field(v.pipe(text(), rule(checkProviderVersion)), { description: "exact AWS provider pin", allowed: 'an exact version like "6.25.0"', default: `${DEFAULT_AWS_PROVIDER_VERSION} (DEFAULT_AWS_PROVIDER_VERSION in config/schema.ts; the same under cdktf and cdktn)` })),
};

function bootstrapRules(config: Partial<v.InferOutput<typeof BootstrapObject>>): Problems {
  const keyArn = config.kms?.keyArn;
  return {
    ...renamed(checkStateBucketProps(config), { noncurrentVersionDays: "noncurrentVersionDays" }),
    "kms.keyArn": keyArn !== undefined && config.region !== undefined ? checkArnPlace(keyArn, config.region, "a KMS key", "the state bucket's region") : undefined,
  };
}

const BootstrapObject = strict(BOOTSTRAP_FIELDS);
/** The state bootstrap's configuration. */
export const BootstrapSchema = withRules(BootstrapObject, bootstrapRules);
export type BootstrapConfig = v.InferInput<typeof BootstrapSchema>;

/** Every problem of the bootstrap's configuration (empty when it is valid). */
export function checkBootstrap(config: unknown): FieldProblem[] {
  return checkAgainst(BootstrapSchema, BOOTSTRAP_FIELDS, config);
}

const STATE_SETTINGS_FIELDS = {
  bucket: field(v.pipe(text(), rule(checkS3BucketName)), { description: "the state bucket", allowed: "an S3 bucket name" }),
  region: field(v.pipe(text(), rule(checkRegion)), { description: "the bucket's region", allowed: "an AWS region" }),
  kmsKeyId: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "KMS key of the state objects", allowed: "a KMS key ARN", default: "SSE-S3" })),
  dynamodbTable: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "DynamoDB lock table", allowed: "a table name", default: "lock file only" })),
  emulatorEndpoint: v.optional(field(v.pipe(text(), rule(checkEmulatorEndpoint)), { description: "the emulator holding the bucket", allowed: "a loopback URL", default: "real AWS" })),
  createdBy: v.optional(field(text(), { description: "the stack that wrote these settings", allowed: "a stack id", default: "unknown" })),
};
/** The backend settings file (`state-backend.json`): the bootstrap's `backend_settings` output. */
export const StateSettingsSchema = withRules(strict(STATE_SETTINGS_FIELDS), (settings) => ({
  kmsKeyId:
    settings.kmsKeyId !== undefined && settings.region !== undefined ? checkArnPlace(settings.kmsKeyId, settings.region, "a KMS key", "the bucket's region") : undefined,
}));
export type StateSettings = v.InferOutput<typeof StateSettingsSchema>;

/** Every problem of a backend settings file's content (empty when it is valid). */
export function checkStateSettings(settings: unknown): FieldProblem[] {
  return checkAgainst(StateSettingsSchema, STATE_SETTINGS_FIELDS, settings);
}
