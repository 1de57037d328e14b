export * from "./network-ref";
export * from "./network";
export * from "./existing-network";
export * from "./default-vpc-network";
