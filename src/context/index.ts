export * from "./budget.ts";
export * from "./compact-results.ts";
export * from "./measure.ts";
export * from "./project-docs.ts";
export * from "./rounds.ts";
export { type SystemPromptOptions, systemPrompt } from "./system-prompt.ts";
export * from "./tokens.ts";
