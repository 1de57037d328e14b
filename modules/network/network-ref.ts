/**
 * What the load balancer and the auto scaling group need from a network. Both
 * {@link Network} (creates one) and {@link ExistingNetwork} (adopts one) provide it,
 * so a stack can switch between them without touching the other modules.
 */
export interface INetwork {
  /** The VPC id. */
  readonly vpcId: string;
  /** One public subnet per availability zone, in AZ order. */
  readonly publicSubnetIds: string[];
  /** One private subnet per availability zone, in AZ order. */
  readonly privateSubnetIds: string[];
  /**
   * Whether instances in the private subnets reach the internet (through NAT).
   * When false, instances must run in the public subnets with public addresses to
   * reach AWS APIs such as SSM.
   */
  readonly privateSubnetsHaveEgress: boolean;
}
