import type { ToolCallBlock, ToolResultBlock } from "../message/types.ts";

/** What the model is told about a call that was not run because its response was cut off. */
export const CUT_CALL_MESSAGE =
  "not run: your response was cut off (it reached the output length limit or the stream broke) while this tool " +
  "call was being written, so its arguments may be incomplete and nothing was executed. Send the call again, " +
  "shorter: e.g. write a large file in several smaller fs_write/fs_edit steps, or split a long command.";

/**
 * Error results for the tool calls of a cut-off response (see AccumulatedResponse.cut), one per call in order: none
 * of them runs, since a call whose arguments were cut (`{"command": "rm -rf build`) can be "repaired" into something
 * the model never meant.
 */
export function cutCallResults(calls: readonly ToolCallBlock[]): ToolResultBlock[] {
  return calls.map((call) => ({
    type: "tool_result",
    toolCallId: call.id,
    toolName: call.name,
    content: CUT_CALL_MESSAGE,
    isError: true,
    notRun: "invalid",
  }));
}
