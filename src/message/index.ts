export * from "./build.ts";
export type * from "./types.ts";
