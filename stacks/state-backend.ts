import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { StateBackend } from "../config/schema";

/**
 * Declares a stack's backend as decided at synth (config/state.ts). S3 state is always
 * encrypted and locked with OpenTofu's S3 lock file (`use_lockfile`, OpenTofu >= 1.10),
 * plus a DynamoDB lock table when one is configured.
 */
export function declareStateBackend(stack: TerraformStack, backend: StateBackend): void {
  if (backend.kind === "local") {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  const emulator = backend.emulatorEndpoint;
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    dynamodbTable: backend.dynamodbTable,
    ...(emulator
      ? {
          // The emulator's S3 (and DynamoDB) with dummy credentials: nothing here may
          // reach AWS, and moto serves buckets only by path.
          endpoints: { s3: emulator, dynamodb: emulator, sts: emulator, iam: emulator },
          usePathStyle: true,
          accessKey: "test",
          secretKey: "test",
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
        }
      : {}),
  });
  // cdktf's S3Backend predates the field.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
