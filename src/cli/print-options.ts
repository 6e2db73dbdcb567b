/** Output formats of print mode. */
export const OUTPUT_FORMATS = ["text", "json", "stream-json"] as const;
/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The parsed print-mode flags (commander's camelCase names). */
export interface PrintOptions {
  print?: string | boolean;
  outputFormat: OutputFormat;
  provider?: string;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  /** Tokens. */
  contextWindow?: number;
  maxTurns?: number;
  permissionMode?: string;
  sandbox?: string;
  twoStage?: boolean;
  system?: string;
  cwd?: string;
  config?: string;
  verbose?: boolean;
  continue?: boolean;
  resume?: string;
  localOnly?: boolean;
  seed?: number;
  /** Claude Code's print-mode flags (see docs/headless.md). */
  inputFormat?: InputFormat;
  includePartialMessages?: boolean;
  allowedTools?: string[];
  disallowedTools?: string[];
  /** `--tools`: the built-in tools available (Claude Code's names or owlet's). */
  tools?: string;
  appendSystemPrompt?: string;
  /** Claude Code's name for --system. */
  systemPrompt?: string;
  /** USD. */
  maxBudgetUsd?: number;
  permissionPromptTool?: string;
  dangerouslySkipPermissions?: boolean;
  /** False with `--no-session-persistence`: nothing of the conversation is written to disk. */
  sessionPersistence?: boolean;
}

/** Input formats of print mode: the prompt as text, or Claude Code's stream-json messages on stdin. */
export const INPUT_FORMATS = ["text", "stream-json"] as const;
/** One of {@link INPUT_FORMATS}. */
export type InputFormat = (typeof INPUT_FORMATS)[number];
