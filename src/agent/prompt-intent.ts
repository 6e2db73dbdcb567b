/**
 * Verbs by which a prompt asks for a change to the workspace (whole words). A question ("why does this fail?",
 * "what does math.js do?") or a request to run something ("run the tests") has none of them.
 */
const CHANGE_VERB =
  /\b(?:fix|fixes|fixing|implement|add|change|update|refactor|rename|remove|delete|create|write|rewrite|make|correct|resolve|repair|modify|replace|convert|migrate|bump|edit|patch)\b/i;

/**
 * Whether `prompt` asks for a change ("fix the failing test", "implement parse()") rather than an answer
 * ("what does math.js do?", "why does this fail?", "review this diff", "run the tests"): it names a change verb
 * as a whole word. Conservative on purpose: a prompt it misses is only reported as before; one it wrongly flags
 * would turn a good answer into a failure. The engine uses it so that a turn which changed nothing is not
 * reported as success. Fenced code blocks (a pasted log, files attached with `@path`) are not read: code is not
 * the request.
 */
export function promptAsksForChange(prompt: string): boolean {
  return CHANGE_VERB.test(prompt.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, ""));
}
