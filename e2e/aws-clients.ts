import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
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

/** The group's newest instance refresh (the emulator, as AWS, lists the newest first). */
export async function newestRefresh(autoscaling: AutoScalingClient, group: string): Promise<InstanceRefresh> {
  return (await autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group }))).InstanceRefreshes![0];
}

/** Polls the group's newest instance refresh every 250 ms until `done` holds; fails after `seconds`. */
export async function waitForRefresh(
  autoscaling: AutoScalingClient,
  group: string,
  done: (refresh: InstanceRefresh) => boolean,
  seconds = 120,
): Promise<InstanceRefresh> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const refresh = await newestRefresh(autoscaling, group);
    if (done(refresh)) return refresh;
    if (Date.now() > deadline) throw new Error(`refresh still ${refresh.Status} after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
