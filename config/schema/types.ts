/**
 * The TypeScript types derived from the schemas, and the resolved environment every stack gets.
 * Part of config/schema.ts (its public surface).
 */
import * as v from "valibot";
import { EnvironmentSchema } from "./environment";

/** Everything that differs between environments (see `ENVIRONMENT_FIELDS`). */
export type EnvironmentConfig = v.InferInput<typeof EnvironmentSchema>;
/** Where the instances' image comes from. */
export type ImageSource = EnvironmentConfig["image"];
/** Remote state in S3. */
export type S3BackendConfig = NonNullable<EnvironmentConfig["s3Backend"]>;
/** An AWS API emulator the provider talks to instead of AWS (local development and tests). */
export type EmulatorConfig = NonNullable<EnvironmentConfig["emulator"]>;

/**
 * Where a stack keeps its state, decided at synth (config/state.ts) and exposed on the
 * stack (`SampleAppStack.stateBackend`) for policy checks.
 */
export type StateBackend =
  | {
      readonly kind: "local";
      /** Path of the state file relative to the stack's directory (cdktf.out/stacks/<id>). */
      readonly path: string;
      /** Why the state is local, for the synth report. */
      readonly reason: string;
    }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      /** `<keyPrefix>/<stack id>.tfstate`. */
      readonly key: string;
      readonly region: string;
      /** SSE-KMS key of the state object; SSE-S3 otherwise (`encrypt` is always on). */
      readonly kmsKeyId?: string;
      /** DynamoDB lock table, besides the S3 lock file. */
      readonly dynamodbTable?: string;
      /** Emulator endpoint the backend talks to instead of AWS. */
      readonly emulatorEndpoint?: string;
      /** Where the bucket came from: the environment's config or the settings file's path. */
      readonly source: string;
    };

/** An environment after validation and resolution of the image source. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly config: EnvironmentConfig;
  /** Where the stack keeps its state. */
  readonly backend: StateBackend;
  /** A concrete AMI id, or a lookup to run at plan time. */
  readonly image:
    | { readonly kind: "ami"; readonly amiId: string; readonly origin: string }
    | { readonly kind: "lookup"; readonly namePattern: string; readonly owners: string[]; readonly requiredTagKeys?: string[] };
}
