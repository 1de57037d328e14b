export * from "./ami-lookup";
