import { keywordScores } from "../router/classify/heuristic.ts";
import type { TaskType } from "../router/task.ts";

/** Task types whose prompts ask for a change to the workspace. */
const CHANGE_TASKS: readonly TaskType[] = ["debug", "generation", "refactor", "boilerplate"];
/** Task types whose prompts ask for an answer. `unit_test` is neither: "run the tests" asks for no change. */
const ANSWER_TASKS: readonly TaskType[] = [
  "explain",
  "review",
  "planning",
  "security_review",
  "orchestration",
];

/**
 * Whether `prompt` asks for a change ("fix the failing test", "implement parse()") rather than an answer
 * ("what does math.js do?", "review this diff", "run the tests"), by the router's heuristic keyword scores (whole
 * words, no model call): some change keyword scores, and more than any answer keyword. A prompt with no such
 * keyword ("hi") asks for no change. The engine uses it so that a turn which changed nothing is not reported
 * as success.
 */
export function promptAsksForChange(prompt: string): boolean {
  const scores = keywordScores(prompt);
  const change = Math.max(...CHANGE_TASKS.map((t) => scores[t]));
  const answer = Math.max(...ANSWER_TASKS.map((t) => scores[t]));
  return change > 0 && change > answer;
}
