import { PolicyRule, Violation } from "../rule";
import { block, blocks, isTrue, resourcesOfType } from "../stack-view";

/**
 * SA-002: every EBS volume is encrypted. checkov does not look at launch template block
 * device mappings, which is where an ASG's volumes are declared.
 */
export const SA002_ENCRYPTED_VOLUMES: PolicyRule = {
  id: "SA-002",
  name: "Encrypted EBS volumes",
  rationale: "Unencrypted volumes and their snapshots expose data to anyone who can copy or share a snapshot.",
  level: "error",
  check(stack) {
    const violations: Violation[] = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template")) {
      const mappings = blocks(resource.values.block_device_mappings).filter((mapping) => mapping.ebs !== undefined);
      if (mappings.length === 0) {
        violations.push({ resource, message: "declares no EBS block device mapping: the root volume's encryption is left to the AMI; map it with ebs.encrypted = true" });
      }
      for (const mapping of mappings) {
        if (!isTrue(block(mapping.ebs)?.encrypted)) {
          violations.push({ resource, message: `block device ${String(mapping.device_name)}: ebs.encrypted must be true` });
        }
      }
    }
    for (const resource of resourcesOfType(stack, "aws_instance")) {
      const devices = [block(resource.values.root_block_device) ?? {}, ...blocks(resource.values.ebs_block_device)];
      for (const device of devices) {
        if (!isTrue(device.encrypted)) {
          violations.push({ resource, message: `volume ${String(device.device_name ?? "root")}: encrypted must be true` });
        }
      }
    }
    for (const resource of resourcesOfType(stack, "aws_ebs_volume")) {
      if (!isTrue(resource.values.encrypted)) {
        violations.push({ resource, message: "encrypted must be true" });
      }
    }
    return violations;
  },
};
