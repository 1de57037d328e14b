import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { PROJECT } from "../config/environments";
import { BootstrapConfig, StateBackend } from "../config/schema";
import { localStatePath } from "../config/stack-ids";
import { StateBucket } from "../modules/state/state-bucket";
import { STATE_LOCK_TABLE_DEFAULTS, StateLockTable } from "../modules/state/state-lock-table";
import { declareAwsProvider } from "./aws-provider";
import { declareStateBackend } from "./state-backend";

export interface StateBootstrapStackProps {
  /** The validated bootstrap configuration. */
  readonly config: BootstrapConfig;
}

/**
 * The state bootstrap: the S3 bucket (and optional KMS key and DynamoDB lock table)
 * that every environment's state lives in, applied once per account and region
 * before the environments. Its own state is local (the bucket cannot hold the state
 * of the stack that creates it); its `backend_settings` output is the settings file
 * that the environments' S3 backends are synthesized from (npm run state:settings).
 */
export class StateBootstrapStack extends TerraformStack {
  /** The bootstrap's own state: always a local file. */
  public readonly stateBackend: StateBackend;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    const { config } = props;
    declareAwsProvider(this, {
      region: config.region,
      tags: { Project: PROJECT, Component: "state", ManagedBy: "cdktf" },
      emulatorEndpoint: config.emulator?.endpoint,
      awsProviderVersion: config.awsProviderVersion,
      emulatorSkipsAccountId: true,
    });
    this.stateBackend = { kind: "local", path: localStatePath(id), reason: "the bootstrap keeps its own state locally" };
    declareStateBackend(this, this.stateBackend);

    // Bucket names are global: the account id and region make the default unique per
    // account and region, which is also where one bootstrap is applied.
    const bucketName = config.bucketName ?? `${PROJECT}-tfstate-${new DataAwsCallerIdentity(this, "account").accountId}-${config.region}`;
    const bucket = new StateBucket(this, "state-bucket", {
      bucketName,
      kms: config.kms,
      noncurrentVersionDays: config.noncurrentVersionDays,
      // The emulator speaks plain HTTP, and moto enforces bucket policies: a TLS-only
      // policy there would deny the backend every request.
      requireTls: config.emulator === undefined,
    });
    const lockTable = config.lockTable
      ? new StateLockTable(this, "lock-table", { name: config.lockTable.name ?? STATE_LOCK_TABLE_DEFAULTS.name, kmsKeyArn: bucket.kmsKeyArn })
      : undefined;

    const settings: Record<string, string> = {
      bucket: bucket.bucketName,
      region: config.region,
      createdBy: id,
    };
    if (bucket.kmsKeyArn) settings.kmsKeyId = bucket.kmsKeyArn;
    if (lockTable) settings.dynamodbTable = lockTable.tableName;
    if (config.emulator) settings.emulatorEndpoint = config.emulator.endpoint;

    const outputs: Record<string, { value: unknown; description: string }> = {
      state_bucket: { value: bucket.bucketName, description: "Bucket holding the environments' state" },
      state_bucket_arn: { value: bucket.bucketArn, description: "ARN of the state bucket (for IAM policies)" },
      state_region: { value: config.region, description: "Region of the state bucket" },
      backend_settings: {
        value: settings,
        description: "The environments' backend settings: npm run state:settings writes them to state-backend.json",
      },
    };
    if (bucket.kmsKeyArn) outputs.kms_key_arn = { value: bucket.kmsKeyArn, description: "KMS key of the state objects" };
    if (lockTable) outputs.lock_table = { value: lockTable.tableName, description: "DynamoDB lock table" };
    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(this, name, output).overrideLogicalId(name);
    }
  }
}
