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
  /** False with `--no-session-persistence`: nothing of the conversation is written to disk. */
  sessionPersistence?: boolean;
}
