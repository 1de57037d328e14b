export * from "./load-balancer";
export * from "./rollout-alarms";
