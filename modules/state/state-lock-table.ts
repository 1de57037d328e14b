import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Problems, throwIfProblems } from "../core/checks";

export interface StateLockTableProps {
  /** Table name. */
  readonly name: string;
  /**
   * KMS key for the table's encryption at rest.
   * @default - an AWS owned key
   */
  readonly kmsKeyArn?: string;
}

export const STATE_LOCK_TABLE_DEFAULTS = { name: "sample-app-tfstate-lock" } as const;

/** Every rule of {@link StateLockTableProps}, by prop. */
export function checkStateLockTableProps(props: Partial<StateLockTableProps>): Problems {
  return {
    name: props.name === undefined || /^[A-Za-z0-9_.-]{3,255}$/.test(props.name) ? undefined : "must be a DynamoDB table name: 3-255 letters, digits, _ . -",
  };
}

/**
 * The DynamoDB lock table of the S3 backend (hash key `LockID`), for Terraform or
 * OpenTofu versions that predate S3 lock files. With both configured, OpenTofu takes
 * both locks.
 */
export class StateLockTable extends Construct {
  public readonly tableName: string;

  constructor(scope: Construct, id: string, props: StateLockTableProps) {
    super(scope, id);
    throwIfProblems(`StateLockTable ${this.node.path}`, checkStateLockTableProps(props));
    const table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : { enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
    this.tableName = table.name;
  }
}
