import { describe, expect, it } from "vitest";
import { ClaudeTranscript } from "./transcript.ts";
import type { WireLine } from "./wire.ts";

describe("ClaudeTranscript and subagent events", () => {
  it("a subagent's round, stream and usage never reach the turn's state; its calls become system/subagent lines", () => {
    const lines: WireLine[] = [];
    const t = new ClaudeTranscript({
      sessionId: "s1",
      partial: true,
      verbose: true,
      emit: (l) => lines.push(l),
    });
    t.beginTurn();
    t.event({ type: "round_start", round: 1, tools: [], toolChoice: "auto" });
    const before = lines.length;
    t.event({ type: "round_start", round: 1, tools: [], toolChoice: "auto", agentId: "agent-1" });
    t.event({ type: "text_delta", text: "child says", agentId: "agent-1" });
    t.event({ type: "usage", usage: { inputTokens: 5, outputTokens: 1 }, round: 1, agentId: "agent-1" });
    t.event({ type: "tool_call", id: "c1", name: "fs_read", arguments: "{}", agentId: "agent-1" });
    t.event({
      type: "tool_result",
      id: "c1",
      name: "fs_read",
      output: "x",
      isError: false,
      agentId: "agent-1",
    });
    const child = lines.slice(before);
    expect(child.map((l) => [l.type, l.subtype, l.event])).toEqual([
      ["system", "subagent", "tool_call"],
      ["system", "subagent", "tool_result"],
    ]);
    expect(child[1]).toMatchObject({ agent_id: "agent-1", tool_name: "fs_read", is_error: false });
  });
});
