/**
 * The JS grep's matching loop, run in a worker thread so a pattern that backtracks catastrophically
 * (`^(?=a)(a+)+$`) can be stopped: the main thread terminates the worker at its deadline or on abort (see
 * grepWithJs). Input (workerData): {@link GrepWorkerInput}; posts one {@link GrepWorkerOutput}.
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { looksBinary } from "./common.ts";
import { compileRegex, formatMatch } from "./grep-format.ts";

/** Files to search (absolute path and root-relative display name), the pattern, and the result cap. */
export interface GrepWorkerInput {
  pattern: string;
  files: { abs: string; rel: string }[];
  maxResults: number;
}

/** Matching lines as `file:line:text`, and whether the cap cut the search short. */
export interface GrepWorkerOutput {
  lines: string[];
  truncated: boolean;
}

async function search(input: GrepWorkerInput): Promise<GrepWorkerOutput> {
  const regex = compileRegex(input.pattern);
  const lines: string[] = [];
  for (const { abs, rel } of input.files) {
    const buf = await readFile(abs).catch(() => undefined);
    if (!buf || looksBinary(buf)) continue;
    const text = buf.toString("utf8").split("\n");
    if (text[text.length - 1] === "") text.pop();
    for (let i = 0; i < text.length; i++) {
      if (!regex.test(text[i]!)) continue;
      if (lines.length >= input.maxResults) return { lines, truncated: true };
      lines.push(formatMatch(rel, i + 1, text[i]!));
    }
  }
  return { lines, truncated: false };
}

if (parentPort) parentPort.postMessage(await search(workerData as GrepWorkerInput));
