/**
 * The tasks of `owlet batch`: a JSONL file, one task per line,
 * `{"id": "t1", "repo": "path or git URL", "prompt": "…", "check": "npm test", "model": "…"}` (`id`, `repo`,
 * `prompt` required; blank lines and lines starting with `#` skipped).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** One task: where, what to ask, how to check it, and optionally which model. */
export interface BatchTask {
  /** Unique within the file; names the task's result line. */
  id: string;
  /** A local directory (a git repository or not) or a git URL; each run gets its own copy. */
  repo: string;
  prompt: string;
  /** A shell command run in the working copy after owlet; exit 0 is a pass. */
  check?: string;
  /** Overrides the run's --model for this task. */
  model?: string;
}

const taskSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .regex(/^[^\s/\\]+$/, "an id without spaces or slashes"),
  repo: z.string().min(1),
  prompt: z.string().min(1),
  check: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
});

/** A tasks file that cannot be used: the file and line, what is wrong and how to fix it. */
export class BatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchInputError";
  }
}

/**
 * Reads and validates a tasks file. Throws BatchInputError naming the file and line for unreadable files,
 * lines that are not JSON objects, missing or mistyped fields, unknown keys and repeated ids.
 */
export function readTasks(file: string): BatchTask[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new BatchInputError(`cannot read the tasks file ${file}: ${(err as Error).message}`);
  }
  const tasks: BatchTask[] = [];
  const seen = new Map<string, number>();
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BatchInputError(
        `${where}: not a JSON object; each line is one task, e.g. {"id":"t1","repo":".","prompt":"fix the tests"}`,
      );
    }
    const parsed = taskSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join(".") || "(line)";
      throw new BatchInputError(
        `${where}: ${key}: ${issue.message} (id, repo and prompt are required strings)`,
      );
    }
    const task = parsed.data;
    const earlier = seen.get(task.id);
    if (earlier !== undefined)
      throw new BatchInputError(`${where}: id "${task.id}" was already used on line ${earlier}`);
    seen.set(task.id, i + 1);
    tasks.push({
      id: task.id,
      repo: task.repo,
      prompt: task.prompt,
      ...(task.check ? { check: task.check } : {}),
      ...(task.model ? { model: task.model } : {}),
    });
  }
  if (tasks.length === 0) throw new BatchInputError(`${file}: no tasks (one JSON object per line)`);
  return tasks;
}
