import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";

/** AWS SDK v3 clients talking to the emulator with its dummy credentials. */
export function emulatorClients(endpoint: string, region = "us-east-1") {
  const config = { endpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  return {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoscaling: new AutoScalingClient(config),
    iam: new IAMClient(config),
    // The emulator serves buckets by path only.
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}
