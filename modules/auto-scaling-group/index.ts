export * from "./app-auto-scaling-group";
export * from "./warm-pool-and-hooks";
