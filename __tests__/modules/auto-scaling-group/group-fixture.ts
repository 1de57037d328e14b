/**
 * The group every AppAutoScalingGroup test starts from, behind its own load balancer: the props
 * a test does not set, and the synth of a group with a test's changes.
 */
import { AppAutoScalingGroup, AppAutoScalingGroupProps } from "../../../modules/auto-scaling-group/app-auto-scaling-group";
import { LoadBalancer } from "../../../modules/load-balancer/load-balancer";
import { synthScope } from "../../helpers";

export const USER_DATA = "#!/usr/bin/env bash\necho start\n";

export type GroupProps = Omit<AppAutoScalingGroupProps, "loadBalancer">;

export const BASE: GroupProps = {
  name: "test",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
  imageId: "ami-0123456789abcdef0",
  instanceType: "t3.micro",
  userData: USER_DATA,
  appPort: 8080,
  minSize: 2,
  maxSize: 6,
  desiredCapacity: 3,
};

/** The group with `props` over BASE, and the load balancer in front of it on the same app port. */
export function synthGroup(props: Partial<GroupProps> = {}): string {
  return synthScope((scope) => {
    const loadBalancer = new LoadBalancer(scope, "load-balancer", {
      name: "test",
      vpcId: BASE.vpcId,
      subnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      appPort: props.appPort ?? BASE.appPort,
    });
    new AppAutoScalingGroup(scope, "auto-scaling-group", { ...BASE, ...props, loadBalancer });
  });
}
