// Shell-local post-processor (after the manifest post-processor): marks every AMI this Packer
// run registered for the current build as IMDSv2-only (ImdsSupport = v2.0), so instances
// launched from it get HttpTokens=required even without a launch template that says so. The
// amazon plugin compiled into Packer 1.9.4 cannot set it on amazon-ebs builds (imds_support
// came later), and ModifyImageAttribute can. The setting cannot be undone on an AMI, by design.
//   node require-imdsv2.mjs <manifest.json>   (PACKER_RUN_UUID and PACKER_BUILD_NAME from Packer)

import { readFileSync } from "node:fs";
import { DescribeImageAttributeCommand, EC2Client, ModifyImageAttributeCommand } from "@aws-sdk/client-ec2";

function fail(message) {
  console.error(`require-imdsv2: error: ${message}`);
  process.exit(1);
}

const manifestPath = process.argv[2];
const { PACKER_RUN_UUID: runUuid, PACKER_BUILD_NAME: buildName } = process.env;
if (!manifestPath) {
  fail("usage: node require-imdsv2.mjs <manifest.json>");
}
if (!runUuid || !buildName) {
  fail("PACKER_RUN_UUID and PACKER_BUILD_NAME are not set: run this as a Packer shell-local post-processor");
}

let manifest;
try {
  manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
} catch (error) {
  fail(`cannot read the manifest ${manifestPath}: ${error.message}`);
}
const builds = (manifest.builds ?? []).filter((b) => b.packer_run_uuid === runUuid && b.name === buildName);
const artifacts = builds.flatMap((b) => String(b.artifact_id ?? "").split(",")).filter(Boolean);
if (artifacts.length === 0) {
  fail(`${manifestPath} has no artifact of build "${buildName}" in run ${runUuid}`);
}

for (const artifact of artifacts) {
  const [region, imageId] = artifact.split(":");
  if (!region || !/^ami-[0-9a-f]+$/.test(imageId ?? "")) {
    fail(`unexpected artifact id "${artifact}" (expected <region>:ami-<hex>)`);
  }
  const ec2 = new EC2Client({ region });
  let ImdsSupport;
  try {
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: "v2.0" } }));
    ({ ImdsSupport } = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: "imdsSupport" })));
  } catch (error) {
    fail(`cannot set ImdsSupport=v2.0 on ${region}:${imageId}: ${error.message}`);
  }
  if (ImdsSupport?.Value !== "v2.0") {
    fail(`${region}:${imageId} reports ImdsSupport ${JSON.stringify(ImdsSupport?.Value)} after the change`);
  }
  console.log(`require-imdsv2: ${region}:${imageId} ImdsSupport=v2.0`);
}
