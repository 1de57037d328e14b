import { PolicyRule, Violation } from "../rule";
import { isTrue, refersTo, resourcesOfType } from "../stack-view";

const BLOCKS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** SA-016: every bucket the stack creates blocks public access and encrypts by default. */
export const SA016_PRIVATE_ENCRYPTED_BUCKETS: PolicyRule = {
  id: "SA-016",
  name: "S3 buckets private and encrypted",
  rationale: "Log buckets hold client addresses and request paths; one public policy or ACL publishes them.",
  level: "error",
  check(stack) {
    const accessBlocks = resourcesOfType(stack, "aws_s3_bucket_public_access_block");
    const encryption = resourcesOfType(stack, "aws_s3_bucket_server_side_encryption_configuration");
    const violations: Violation[] = [];
    for (const bucket of resourcesOfType(stack, "aws_s3_bucket")) {
      const accessBlock = accessBlocks.find((candidate) => refersTo(candidate.values.bucket, bucket));
      const missing = BLOCKS.filter((setting) => !isTrue(accessBlock?.values[setting]));
      if (missing.length > 0) {
        violations.push({ resource: bucket, message: `public access is not fully blocked: an aws_s3_bucket_public_access_block must set ${missing.join(", ")} = true` });
      }
      if (!encryption.some((candidate) => refersTo(candidate.values.bucket, bucket))) {
        violations.push({ resource: bucket, message: "no aws_s3_bucket_server_side_encryption_configuration sets default encryption" });
      }
    }
    return violations;
  },
};
