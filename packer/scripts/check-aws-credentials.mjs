// Preflight of packer/build.sh: fails in a second, with a message saying what to set, where
// Packer would fail minutes later. Credentials are resolved by the AWS SDK's default chain,
// the same sources Packer's Go SDK reads: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE
// and ~/.aws/{config,credentials} (SSO included), web identity, container and instance roles.
// Nothing about the credentials is printed.
//   node packer/scripts/check-aws-credentials.mjs <region>

const region = process.argv[2];
if (!region) {
  console.error("usage: node packer/scripts/check-aws-credentials.mjs <region>");
  process.exit(2);
}

let EC2Client;
try {
  ({ EC2Client } = await import("@aws-sdk/client-ec2"));
} catch (error) {
  console.error(`error: cannot load @aws-sdk/client-ec2 (${error.code ?? error.message}); run npm ci in the repository root`);
  process.exit(1);
}

try {
  const credentials = await new EC2Client({ region }).config.credentials();
  if (!credentials || !credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new Error("the provider chain returned empty credentials");
  }
} catch (error) {
  console.error(
    [
      `error: no AWS credentials found (${error.message.split("\n")[0]}).`,
      "Packer needs them to launch the build instance and register the AMI. Set one of:",
      "  AWS_PROFILE=<profile> (from ~/.aws/config; run aws sso login first for SSO profiles)",
      "  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)",
      "or run on an instance or container with a role.",
    ].join("\n"),
  );
  process.exit(1);
}
