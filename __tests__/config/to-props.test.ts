/**
 * config/to-props.ts: the one mapping from config names to construct props, used both ways
 * (props for the stack, problems back under the keys a user wrote).
 */
import {
  CAPACITY_PROPS,
  GROUP_NAME_PROPS,
  LOAD_BALANCER_NAME_PROPS,
  capacityPropsOf,
  flowLogsPropsOf,
  groupNamesOf,
  loadBalancerNamesOf,
  problemsInConfigTerms,
  scheduledActionsPropsOf,
  toProps,
} from "../../config/to-props";

describe("config to props", () => {
  it("names the load balancer's and the group's objects from the one names object", () => {
    const names = {
      useNamePrefix: false,
      loadBalancer: { name: "old-alb" },
      loadBalancerSecurityGroup: { name: "old-alb-sg", description: "old" },
      instanceSecurityGroup: { namePrefix: "old-app-" },
      instanceRole: { name: "old-role" },
    };
    expect(loadBalancerNamesOf(names)).toEqual({ useNamePrefix: false, loadBalancer: { name: "old-alb" }, securityGroup: { name: "old-alb-sg", description: "old" } });
    expect(groupNamesOf(names)).toEqual({ useNamePrefix: false, securityGroup: { namePrefix: "old-app-" }, role: { name: "old-role" } });
    expect(loadBalancerNamesOf(undefined)).toBeUndefined();
    expect(groupNamesOf(undefined)).toBeUndefined();
  });

  it("sizes the group from capacity, and leaves out what a partial capacity lacks", () => {
    expect(capacityPropsOf({ min: 1, max: 4, desired: 2 })).toEqual({ minSize: 1, maxSize: 4, desiredCapacity: 2 });
    expect(capacityPropsOf({ max: 4 })).toEqual({ maxSize: 4 });
  });

  it("passes tokens through unchanged", () => {
    const token = "${TfToken[TOKEN.1]}";
    expect(toProps({ min: token }, CAPACITY_PROPS)).toEqual({ minSize: token });
  });

  it("gives a construct's problems the config keys they came from, nested paths included", () => {
    expect(problemsInConfigTerms({ minSize: "must be <= maxSize", desiredCapacity: "must be >= minSize" }, CAPACITY_PROPS)).toEqual({
      min: "must be <= maxSize",
      desired: "must be >= minSize",
    });
    expect(problemsInConfigTerms({ "securityGroup.name": "too long", "targetGroup.namePrefix": "too long" }, LOAD_BALANCER_NAME_PROPS)).toEqual({
      "loadBalancerSecurityGroup.name": "too long",
      "targetGroup.namePrefix": "too long",
    });
    expect(problemsInConfigTerms({ "role.name": "bad" }, GROUP_NAME_PROPS)).toEqual({ "instanceRole.name": "bad" });
  });

  it("keeps a problem of a prop the map does not set under its own name, never drops it", () => {
    expect(problemsInConfigTerms({ instanceType: "unknown type" }, CAPACITY_PROPS)).toEqual({ instanceType: "unknown type" });
  });

  it("turns the flat flow log settings into one destination", () => {
    expect(flowLogsPropsOf(undefined)).toEqual({ trafficType: undefined, destination: { kind: "cloud-watch-logs", retentionDays: undefined, kmsKeyArn: undefined } });
    expect(flowLogsPropsOf({ destination: "s3", bucketArn: "arn:aws:s3:::logs" })).toEqual({ trafficType: undefined, destination: { kind: "s3", bucketArn: "arn:aws:s3:::logs" } });
  });

  it("names a schedule's sizes as capacity's are, and leaves out the sizes it does not set", () => {
    expect(scheduledActionsPropsOf({ night: { recurrence: "0 20 * * *", timeZone: "Europe/Paris", max: 2, desired: 2 } })).toEqual({
      night: { recurrence: "0 20 * * *", timeZone: "Europe/Paris", maxSize: 2, desiredCapacity: 2 },
    });
    expect(scheduledActionsPropsOf(undefined)).toBeUndefined();
  });
});
