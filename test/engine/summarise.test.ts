import { afterEach, describe, expect, it } from "vitest";
import { estimateCounter } from "../../src/context/tokens.ts";
import type { ArmHandle } from "../../src/engine/routing.ts";
import { summarise } from "../../src/engine/summarise.ts";
import { toolResultsMessage, userText } from "../../src/message/build.ts";
import type { Message } from "../../src/message/types.ts";
import { createProvider } from "../../src/provider/factory.ts";
import { requestTokens } from "../support/long-conversation.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function history(rounds: number): Message[] {
  const out: Message[] = [userText("Remember: the code word is OSPREY.")];
  for (let i = 0; i < rounds; i++) {
    out.push({
      role: "assistant",
      content: [{ type: "tool_call", id: `c${i}`, name: "fs_read", arguments: `{"path":"f${i}"}` }],
    });
    out.push(
      toolResultsMessage([
        {
          type: "tool_result",
          toolCallId: `c${i}`,
          toolName: "fs_read",
          content: `file ${i}\n`.repeat(300),
          isError: false,
        },
      ]),
    );
  }
  return out;
}

describe("summarise (issue 12)", () => {
  it("on a small local window, a transcript too big for one request becomes a rolling summary whose every request fits", async () => {
    // the scripted summary keeps what it was given: the code word and how many parts it has seen
    let seen = 0;
    server = await startScriptedServer((req) => {
      const text = JSON.stringify(req.body.messages);
      seen++;
      const word = text.includes("OSPREY") ? "The code word is OSPREY." : "";
      return { text: `## Goal\nread files\n## Decisions\n${word} (part ${seen})` };
    });
    const window = 2048;
    const arm: ArmHandle = {
      id: "local/small",
      provider: createProvider({ name: "openai-compatible", baseURL: server.baseURL }),
      model: "small",
      local: true,
      contextWindow: window,
    };
    const out = await summarise({
      arm,
      messages: history(12),
      counter: estimateCounter,
      signal: new AbortController().signal,
    });
    expect(out.requests).toBeGreaterThan(1);
    expect(server.requests).toHaveLength(out.requests);
    for (const r of server.requests) {
      expect(requestTokens(r.body) + r.body.max_tokens).toBeLessThanOrEqual(window);
      expect(r.body.tools ?? []).toEqual([]);
    }
    // the fact of the first chunk is carried through every later request by the summary so far
    for (const r of server.requests) expect(JSON.stringify(r.body.messages)).toContain("OSPREY");
    expect(out.summary).toContain("OSPREY");
    expect(out.usage.inputTokens).toBeGreaterThan(0);
  });

  it("a window too small to hold any transcript is an error, so the caller drops rounds instead", async () => {
    server = await startScriptedServer(() => ({ text: "never" }));
    const arm: ArmHandle = {
      id: "local/tiny",
      provider: createProvider({ name: "openai-compatible", baseURL: server.baseURL }),
      model: "tiny",
      local: true,
      contextWindow: 300,
    };
    await expect(
      summarise({
        arm,
        messages: history(2),
        counter: estimateCounter,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/too small to hold a summary request/);
    expect(server.requests).toHaveLength(0);
  });
});
