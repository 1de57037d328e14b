import { cidrContains, cidrsOverlap, formatCidr, mustParseCidr, parseCidr, planSubnets } from "../../../modules/core/cidr";

describe("parseCidr", () => {
  it("parses a network address", () => {
    expect(formatCidr(mustParseCidr("10.20.0.0/16"))).toBe("10.20.0.0/16");
  });

  it.each([
    ["10.0.0/16", "must be an IPv4 CIDR block"],
    ["10.0.0.0", "must be an IPv4 CIDR block"],
    ["300.0.0.0/16", "octet above 255"],
    ["10.0.0.0/33", "prefix length above 32"],
    ["10.0.1.0/16", "host bits set (the network address is 10.0.0.0/16)"],
    ["010.0.0.0/8", "without leading zeros (10.0.0.0/8)"],
    ["10.0.0.0/08", "without leading zeros (10.0.0.0/8)"],
  ])("rejects %s", (value, problem) => {
    expect(parseCidr(value)).toEqual(expect.stringContaining(problem));
  });
});

describe("planSubnets", () => {
  it("puts public subnets in the lower half and private ones in the upper half", () => {
    expect(planSubnets(mustParseCidr("10.0.0.0/16"), 3, 20)).toEqual([
      { public: "10.0.0.0/20", private: "10.0.128.0/20" },
      { public: "10.0.16.0/20", private: "10.0.144.0/20" },
      { public: "10.0.32.0/20", private: "10.0.160.0/20" },
    ]);
  });

  it("keeps existing subnets when an AZ is added", () => {
    const two = planSubnets(mustParseCidr("10.0.0.0/16"), 2, 20) as { public: string }[];
    const three = planSubnets(mustParseCidr("10.0.0.0/16"), 3, 20) as { public: string }[];
    expect(three.slice(0, 2)).toEqual(two);
  });

  it("produces subnets that lie in the VPC and never overlap", () => {
    const vpc = mustParseCidr("172.16.0.0/20");
    const layout = planSubnets(vpc, 4, 24) as { public: string; private: string }[];
    const all = layout.flatMap((az) => [az.public, az.private]).map(mustParseCidr);
    for (const subnet of all) {
      expect(cidrContains(vpc, subnet)).toBe(true);
    }
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        expect(cidrsOverlap(all[i], all[j])).toBe(false);
      }
    }
  });

  it("reports subnets that do not fit the VPC", () => {
    expect(planSubnets(mustParseCidr("10.0.0.0/24"), 3, 26)).toMatch(
      /3 public and 3 private \/26 subnets do not fit in 10\.0\.0\.0\/24 \(room for 2 of each\)/,
    );
  });

  it("reports a subnet prefix that is not longer than the VPC's", () => {
    expect(planSubnets(mustParseCidr("10.0.0.0/16"), 2, 16)).toMatch(/must be longer than the VPC prefix/);
  });

  it("reports a subnet prefix below AWS's /28 minimum size", () => {
    expect(planSubnets(mustParseCidr("10.0.0.0/24"), 2, 29)).toMatch(/\/28 at most/);
  });
});
