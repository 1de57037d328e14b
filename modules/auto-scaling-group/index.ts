export * from "./app-auto-scaling-group";
