/** `owlet init` / `/init`: an AGENTS.md for the repository, written from what a model reads in it. */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TurnResult } from "../engine/turn-result.ts";
import { redactSecrets } from "../tool/secrets/redact.ts";
import type { Agent } from "./agent.ts";

/**
 * The prompt of the init turn (no change verbs: the model only reads; owlet writes the file). As Claude Code's
 * `/init` and Codex's AGENTS.md generation: what a newcomer needs, from what is in the repository.
 */
export const INIT_PROMPT = [
  "Study this repository with the read-only tools (fs_ls, fs_glob, fs_grep, fs_read): its layout, its package or",
  "build files, its tests and its README. Then reply with the complete text of an AGENTS.md file for coding agents",
  "working in it, in Markdown, with these sections: Overview (what it is, in two sentences), Layout (the main",
  "folders and what each holds), Commands (the exact commands to install, build, test and lint, as found in the",
  "files), Conventions (style and patterns the code follows), Cautions (what must not be broken). Only facts you",
  "read, at most 60 lines. Reply with the file's text only.",
].join(" ");

/** What {@link initAgentsMd} did: the file written, its text, and the turn that produced it. */
export interface InitResult {
  path: string;
  text: string;
  turn: TurnResult;
}

/** Thrown when AGENTS.md exists and `force` is not set (nothing was asked of the model). */
export class AgentsMdExistsError extends Error {
  constructor(path: string) {
    super(`${path} exists; owlet init does not replace it (use --force to write a new one)`);
    this.name = "AgentsMdExistsError";
  }
}

/**
 * Runs the init turn on `agent` (built with read-only tools) and writes its answer to `<projectRoot>/AGENTS.md`:
 * a surrounding Markdown fence is removed and secrets are redacted. Throws AgentsMdExistsError before any model
 * call when the file exists and `force` is false; an Error when the turn fails or gives no text (nothing written).
 */
export async function initAgentsMd(
  agent: Agent,
  projectRoot: string,
  opts: { force?: boolean; signal?: AbortSignal } = {},
): Promise<InitResult> {
  const path = join(projectRoot, "AGENTS.md");
  if (existsSync(path) && !opts.force) throw new AgentsMdExistsError(path);
  const turn = await agent.runTurn(INIT_PROMPT, opts.signal);
  const body = unfence(turn.text);
  if (turn.status !== "success" || body === "") {
    throw new Error(
      `the init turn ended as ${turn.status}${turn.error ? `: ${turn.error}` : ""}${body === "" ? " with no text" : ""}; AGENTS.md was not written`,
    );
  }
  const text = `${(await redactSecrets(body)).text.trim()}\n`;
  await writeFile(path, text);
  return { path, text, turn };
}

/** The text without one Markdown fence around all of it (```markdown … ```). */
export function unfence(text: string): string {
  const t = text.trim();
  const m = /^```[a-zA-Z]*\n([\s\S]*?)\n```$/.exec(t);
  return (m ? m[1]! : t).trim();
}
