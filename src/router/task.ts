/**
 * Task vocabulary for routing: the ten task types, priorities and the value of a task.
 * Names and multipliers as in gnoma's router (reference §2.2).
 */

/** The ten task types, in gnoma's spelling (reference §2.2). */
export const TASK_TYPES = [
  "boilerplate",
  "generation",
  "refactor",
  "review",
  "unit_test",
  "planning",
  "orchestration",
  "security_review",
  "debug",
  "explain",
] as const;

/** One task type, e.g. `"debug"`. */
export type TaskType = (typeof TASK_TYPES)[number];

/** How much a task matters; scales its value (reference §2.2: 0.5 / 1.0 / 2.0 / 5.0). */
export type Priority = "low" | "normal" | "high" | "critical";

/** Where a classification came from (surfaced in the `routing` event and in stats). */
export type ClassifierSource = "heuristic" | "slm" | "slm_fallback";

/** The classifier's verdict on one user prompt. */
export interface Task {
  type: TaskType;
  /** 0 (trivial) … 1 (architecture, multi-file, security). */
  complexity: number;
  requiresTools: boolean;
  priority: Priority;
  source: ClassifierSource;
  /** One line explaining the verdict (which keywords matched, or "slm"). */
  reason: string;
}

/** True when `s` names a task type (exact, lower-case). */
export function isTaskType(s: string): s is TaskType {
  return (TASK_TYPES as readonly string[]).includes(s);
}

/**
 * Parses a task type leniently: case-, space-, dash- and underscore-insensitive ("UnitTest", "unit-test",
 * "Security Review" all work). Returns undefined for unknown names.
 */
export function parseTaskType(s: string): TaskType | undefined {
  const key = s.toLowerCase().replace(/[\s_-]/g, "");
  return TASK_TYPES.find((t) => t.replace(/_/g, "") === key);
}

const PRIORITY_BASE: Record<Priority, number> = { low: 0.5, normal: 1.0, high: 2.0, critical: 5.0 };

const TYPE_MULTIPLIER: Record<TaskType, number> = {
  boilerplate: 0.6,
  generation: 1.0,
  refactor: 0.9,
  review: 1.1,
  unit_test: 0.8,
  planning: 1.4,
  orchestration: 1.5,
  security_review: 2.0,
  debug: 1.2,
  explain: 0.7,
};

/**
 * The value of a task: priority base × type multiplier, as in gnoma's `ValueScore` (reference §2.2).
 * Dimensionless, 0.3 (low boilerplate) … 10 (critical security review). A high-value task tolerates a
 * proportionally higher spend in the bandit's cost term (see cost.ts).
 */
export function taskValue(type: TaskType, priority: Priority): number {
  return PRIORITY_BASE[priority] * TYPE_MULTIPLIER[type];
}

/** A classifier turns one user prompt into a Task. Implementations never throw for ordinary prompts. */
export interface Classifier {
  classify(prompt: string, signal?: AbortSignal): Promise<Task>;
}
