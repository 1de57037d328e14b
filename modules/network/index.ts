export * from "./network-ref";
export * from "./network";
export * from "./existing-network";
