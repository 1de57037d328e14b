import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TerraformVariable } from "cdktf";
import { Network, NetworkProps } from "../../../modules/network/network";
import { ExistingNetwork } from "../../../modules/network/existing-network";
import { onlyResource, refTo, resourcesOf, synthScope } from "../../helpers";

function synthNetwork(props: Partial<NetworkProps> = {}): string {
  return synthScope((scope) => new Network(scope, "network", { name: "test", ...props }));
}

describe("Network", () => {
  const synthesized = synthNetwork({ cidrBlock: "10.1.0.0/16", natMode: "single" });

  it("creates a VPC with the CIDR from props and DNS support and hostnames on", () => {
    expect(synthesized).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.1.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("creates one public and one private subnet per AZ with CIDRs computed from the VPC CIDR", () => {
    const subnets = Object.values(resourcesOf(synthesized, "aws_subnet"));
    expect(subnets.map((subnet) => subnet.cidr_block).sort()).toEqual([
      "10.1.0.0/20",
      "10.1.128.0/20",
      "10.1.144.0/20",
      "10.1.16.0/20",
    ]);
    expect(subnets.filter((subnet) => (subnet.tags as Record<string, string>).Tier === "public")).toHaveLength(2);
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
  });

  it("spreads the subnets over the first available AZs of the region, one of each kind per AZ", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, { state: "available" });
    const azs = Object.values(resourcesOf(synthesized, "aws_subnet")).map((subnet) => String(subnet.availability_zone));
    expect(azs.filter((az) => /^\$\{element\(data\.aws_availability_zones\.\S+\.names, 0\)\}$/.test(az))).toHaveLength(2);
    expect(azs.filter((az) => /^\$\{element\(data\.aws_availability_zones\.\S+\.names, 1\)\}$/.test(az))).toHaveLength(2);
  });

  it("uses explicit availability zones when given", () => {
    const explicit = synthNetwork({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    const azs = Object.values(resourcesOf(explicit, "aws_subnet")).map((subnet) => subnet.availability_zone);
    expect(azs.sort()).toEqual(["eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1b"]);
    expect(JSON.parse(explicit).data.aws_availability_zones).toBeUndefined();
  });

  it("routes the public route table to the internet gateway", () => {
    expect(synthesized).toHaveResourceWithProperties(Route, {
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: refTo(synthesized, "aws_internet_gateway", "network_internet-gateway", "id"),
      route_table_id: refTo(synthesized, "aws_route_table", "network_public-route-table", "id"),
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_route_table_association"))).toHaveLength(4);
  });

  it("with natMode single, creates one NAT gateway and one private route table for all AZs", () => {
    expect(Object.keys(resourcesOf(synthesized, "aws_nat_gateway"))).toHaveLength(1);
    expect(onlyResource(synthesized, "aws_eip")).toMatchObject({ domain: "vpc" });
    expect(synthesized).toHaveResourceWithProperties(Route, {
      destination_cidr_block: "0.0.0.0/0",
      nat_gateway_id: refTo(synthesized, "aws_nat_gateway", "network_nat-gateway-az1", "id"),
    });
    const privateTables = Object.keys(resourcesOf(synthesized, "aws_route_table")).filter((id) => id.includes("private"));
    expect(privateTables).toHaveLength(1);
  });

  it("with natMode per-az, creates a NAT gateway, EIP and private route table per AZ", () => {
    const perAz = synthNetwork({ natMode: "per-az", azCount: 3 });
    expect(Object.keys(resourcesOf(perAz, "aws_nat_gateway"))).toHaveLength(3);
    expect(Object.keys(resourcesOf(perAz, "aws_eip"))).toHaveLength(3);
    const privateTables = Object.keys(resourcesOf(perAz, "aws_route_table")).filter((id) => id.includes("private"));
    expect(privateTables).toHaveLength(3);
    const natRoutes = Object.values(resourcesOf(perAz, "aws_route")).filter((route) => route.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
  });

  it("with natMode none, creates no NAT and no default route for the private subnets", () => {
    const none = synthNetwork({ natMode: "none" });
    expect(resourcesOf(none, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(none, "aws_eip")).toEqual({});
    const routes = Object.values(resourcesOf(none, "aws_route"));
    expect(routes).toHaveLength(1);
    expect(routes[0].gateway_id).toContain("aws_internet_gateway");
  });

  it("keys subnets by AZ ordinal so addresses do not move when AZs are added", () => {
    const ids = Object.keys(resourcesOf(synthNetwork({ azCount: 3 }), "aws_subnet")).sort();
    expect(ids.map((id) => id.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
      "network_private-subnet-az1",
      "network_private-subnet-az2",
      "network_private-subnet-az3",
      "network_public-subnet-az1",
      "network_public-subnet-az2",
      "network_public-subnet-az3",
    ]);
    const twoAzIds = Object.keys(resourcesOf(synthNetwork({ azCount: 2 }), "aws_subnet"));
    expect(ids).toEqual(expect.arrayContaining(twoAzIds));
  });

  it.each<[string, Partial<NetworkProps>, RegExp]>([
    ["fewer than 2 AZs", { azCount: 1 }, /azCount must be from 2 to 16/],
    ["a malformed CIDR", { cidrBlock: "10.0.0.0/99" }, /cidrBlock has a prefix length above 32/],
    ["a VPC CIDR outside AWS limits", { cidrBlock: "10.0.0.0/8" }, /cidrBlock must have a prefix length from \/16 to \/28/],
    ["subnets that do not fit", { cidrBlock: "10.0.0.0/24", azCount: 3, subnetPrefixLength: 26 }, /subnetPrefixLength 3 public and 3 private \/26 subnets do not fit/],
    ["an unknown NAT mode", { natMode: "double" as never }, /natMode must be one of none, single, per-az/],
    ["too few explicit AZs", { azCount: 3, availabilityZones: ["a", "b"] }, /availabilityZones must name at least azCount \(3\)/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthNetwork(props)).toThrow(message);
  });
});

describe("Network with values known only at plan time", () => {
  it("rejects a CIDR from a variable: the subnets are planned from it at synth time", () => {
    expect(() =>
      synthScope((scope) => {
        const cidr = new TerraformVariable(scope, "vpc_cidr", { type: "string" });
        new Network(scope, "network", { name: "test", cidrBlock: cidr.stringValue });
      }),
    ).toThrow(/cidrBlock must be a literal CIDR, not a reference: the subnets are planned from it at synth time/);
  });
});

describe("ExistingNetwork", () => {
  const props = {
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
    privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
  };

  it("creates nothing and exposes the ids it was given", () => {
    let network: ExistingNetwork | undefined;
    const synthesized = synthScope((scope) => {
      network = new ExistingNetwork(scope, "network", props);
    });
    expect(JSON.parse(synthesized).resource).toBeUndefined();
    expect(network?.vpcId).toBe(props.vpcId);
    expect(network?.privateSubnetIds).toEqual(props.privateSubnetIds);
    expect(network?.privateSubnetsHaveEgress).toBe(true);
  });

  it.each<[string, object, RegExp]>([
    ["a malformed VPC id", { vpcId: "vpc-xyz" }, /vpcId must be a VPC id/],
    ["a single public subnet", { publicSubnetIds: ["subnet-0000000000000000a"] }, /publicSubnetIds must list at least 2 subnets/],
    ["a malformed subnet id", { privateSubnetIds: ["subnet-1", "subnet-0000000000000000d"] }, /got subnet-1/],
    ["a subnet both public and private", { privateSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000d"] }, /must not also be public subnets/],
  ])("rejects %s", (_case, override, message) => {
    expect(() => synthScope((scope) => new ExistingNetwork(scope, "network", { ...props, ...override }))).toThrow(message);
  });
});
