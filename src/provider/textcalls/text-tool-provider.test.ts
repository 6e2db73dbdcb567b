import { describe, expect, it } from "vitest";
import type { Message } from "../../message/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import type { Provider, ProviderRequest, ToolSchema } from "../types.ts";
import { messagesToText, withTextToolCalls } from "./text-tool-provider.ts";

const tools: ToolSchema[] = [
  {
    name: "read_file",
    description: "Read a file.",
    inputSchema: { type: "object", properties: { path: { type: "string" } } },
  },
];

/** A scripted inner provider that records the requests it gets. */
function fakeProvider(script: StreamEvent[][]): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  let n = 0;
  return {
    name: "llamacpp",
    requests,
    async *stream(request: ProviderRequest) {
      requests.push(request);
      for (const event of script[n++] ?? []) yield event;
    },
  };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

function textDeltas(...parts: string[]): StreamEvent[] {
  return parts.map((text) => ({ type: "text_delta", text }));
}

const request = (over: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: "m",
  system: "You are owlet.",
  messages: [{ role: "user", content: [{ type: "text", text: "read a.txt" }] }],
  tools,
  ...over,
});

describe("withTextToolCalls (always)", () => {
  it("moves tools into the system prompt and parses streamed calls into tool call events", async () => {
    const inner = fakeProvider([
      [
        ...textDeltas(
          "Reading it.\n<tool",
          '_call>{"name": "read_file", ',
          '"arguments": {"path": "a.txt"}}</tool_call>',
        ),
        { type: "usage", usage: { inputTokens: 10, outputTokens: 5 } },
        { type: "finish", stopReason: "end_turn" },
      ],
    ]);
    const events = await collect(withTextToolCalls(inner).stream(request()));
    const sent = inner.requests[0] as ProviderRequest;
    expect(sent.tools).toEqual([]);
    expect(sent.system.startsWith("You are owlet.\n\n# Tools\n- read_file(path?: string)")).toBe(true);
    expect(sent.system).toContain("<tool_call>");
    expect(events).toEqual([
      { type: "text_delta", text: "Reading it." },
      { type: "tool_call_start", id: "call_1", name: "read_file" },
      { type: "tool_call_done", id: "call_1", name: "read_file", arguments: '{"path":"a.txt"}' },
      { type: "usage", usage: { inputTokens: 10, outputTokens: 5 } },
      { type: "finish", stopReason: "tool_use" },
    ]);
  });

  it("maps arguments onto the tool's schema and answers a call to a tool not offered", async () => {
    const inner = fakeProvider([
      [
        ...textDeltas('<tool_call>{"name": "read_file", "arguments": {"file_path": "a.txt"}}</tool_call>'),
        { type: "finish", stopReason: "end_turn" },
      ],
      [
        ...textDeltas('<tool_call>{"name": "delete_all", "arguments": {}}</tool_call>'),
        { type: "finish", stopReason: "end_turn" },
      ],
    ]);
    const provider = withTextToolCalls(inner);
    const mapped = await collect(provider.stream(request()));
    expect(mapped.find((e) => e.type === "tool_call_done")).toMatchObject({
      name: "read_file",
      arguments: '{"path":"a.txt"}',
    });
    // The engine answers an unknown name with "unknown tool … Available tools: …".
    const unknown = await collect(provider.stream(request()));
    expect(unknown.find((e) => e.type === "tool_call_done")).toMatchObject({
      name: "delete_all",
      arguments: "{}",
    });
    expect(unknown.at(-1)).toEqual({ type: "finish", stopReason: "tool_use" });
  });

  it("puts plain-text arguments into a tool's only required string parameter", async () => {
    const bash: ToolSchema = {
      name: "bash",
      description: "Run a command.",
      inputSchema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
    };
    const inner = fakeProvider([
      [
        ...textDeltas('<tool_call>{"name": "bash", "arguments": "ls -la"}</tool_call>'),
        { type: "finish", stopReason: "end_turn" },
      ],
    ]);
    const events = await collect(withTextToolCalls(inner).stream(request({ tools: [bash] })));
    expect(events.find((e) => e.type === "tool_call_done")).toMatchObject({
      name: "bash",
      arguments: '{"command":"ls -la"}',
    });
  });

  it("numbers ids across requests and keeps end_turn when nothing was parsed", async () => {
    const call = textDeltas('{"name": "read_file", "arguments": {"path": "b"}}');
    const inner = fakeProvider([
      [...call, { type: "finish", stopReason: "end_turn" }],
      [...textDeltas("All done."), { type: "finish", stopReason: "end_turn" }],
      [...call, { type: "finish", stopReason: "end_turn" }],
    ]);
    const provider = withTextToolCalls(inner);
    const first = await collect(provider.stream(request()));
    const second = await collect(provider.stream(request()));
    const third = await collect(provider.stream(request()));
    expect(first.find((e) => e.type === "tool_call_start")).toMatchObject({ id: "call_1" });
    expect(second).toEqual([
      { type: "text_delta", text: "All done." },
      { type: "finish", stopReason: "end_turn" },
    ]);
    expect(third.find((e) => e.type === "tool_call_start")).toMatchObject({ id: "call_2" });
  });

  it("does not invent a call for toolChoice required, keeps max_tokens and does not execute a call cut off", async () => {
    const inner = fakeProvider([
      [...textDeltas("I cannot decide."), { type: "finish", stopReason: "end_turn" }],
      [
        ...textDeltas('<tool_call>{"name": "read_file", "arguments": {"path": "a'),
        { type: "finish", stopReason: "max_tokens" },
      ],
    ]);
    const provider = withTextToolCalls(inner);
    const events = await collect(provider.stream(request({ toolChoice: "required" })));
    expect(events.some((e) => e.type === "tool_call_start")).toBe(false);
    expect(events.at(-1)).toEqual({ type: "finish", stopReason: "end_turn" });
    expect(inner.requests[0]?.toolChoice).toBeUndefined();
    // Cut at max tokens inside the call: the partial call is not executed; its text is shown.
    const cut = await collect(provider.stream(request()));
    expect(cut.some((e) => e.type === "tool_call_start")).toBe(false);
    expect(
      cut
        .filter((e) => e.type === "text_delta")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe('<tool_call>{"name": "read_file", "arguments": {"path": "a');
    expect(cut.at(-1)).toEqual({ type: "finish", stopReason: "max_tokens" });
  });

  it("keeps the event order when a call is only closed at the end: calls, then usage, then finish", async () => {
    const usage: StreamEvent = { type: "usage", usage: { inputTokens: 10, outputTokens: 4 } };
    const unterminated = [
      ...textDeltas('Reading.\n<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}'),
      usage,
      { type: "finish", stopReason: "end_turn" } as StreamEvent,
    ];
    for (const mode of ["always", "fallback"] as const) {
      const provider = withTextToolCalls(fakeProvider([unterminated]), { mode });
      const types = (await collect(provider.stream(request()))).map((e) => e.type);
      expect(types).toEqual(["text_delta", "tool_call_start", "tool_call_done", "usage", "finish"]);
    }
  });

  it("rewrites history tool calls and results as text", async () => {
    const history: Message[] = [
      { role: "user", content: [{ type: "text", text: "read a" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Sure." },
          { type: "tool_call", id: "call_1", name: "read_file", arguments: '{"path":"a"}' },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: "call_1",
            toolName: "read_file",
            content: "hello",
            isError: false,
          },
        ],
      },
    ];
    const inner = fakeProvider([[{ type: "finish", stopReason: "end_turn" }]]);
    await collect(withTextToolCalls(inner).stream(request({ messages: history })));
    expect(inner.requests[0]?.messages).toEqual([
      history[0],
      {
        role: "assistant",
        content: [
          { type: "text", text: "Sure." },
          { type: "text", text: '<tool_call>{"name": "read_file", "arguments": {"path":"a"}}</tool_call>' },
        ],
      },
      {
        role: "user",
        content: [{ type: "text", text: '<tool_response name="read_file">\nhello\n</tool_response>' }],
      },
    ]);
  });

  it("passes requests without tools through unparsed", async () => {
    const inner = fakeProvider([
      [...textDeltas('{"name": "read_file", "arguments": {}}'), { type: "finish", stopReason: "end_turn" }],
    ]);
    const events = await collect(withTextToolCalls(inner).stream(request({ tools: [] })));
    expect(events[0]).toEqual({ type: "text_delta", text: '{"name": "read_file", "arguments": {}}' });
    expect(inner.requests[0]?.system).toBe("You are owlet.");
  });
});

describe("withTextToolCalls (fallback)", () => {
  it("keeps native tools and parses text calls when no native call came", async () => {
    const inner = fakeProvider([
      [
        ...textDeltas('{"name": "read_file", "arguments": {"path": "a"}}'),
        { type: "finish", stopReason: "end_turn" },
      ],
    ]);
    const events = await collect(withTextToolCalls(inner, { mode: "fallback" }).stream(request()));
    expect(inner.requests[0]).toEqual(request());
    expect(events.map((e) => e.type)).toEqual(["tool_call_start", "tool_call_done", "finish"]);
    expect(events.at(-1)).toEqual({ type: "finish", stopReason: "tool_use" });
  });

  it("drops text-parsed calls when the response had native calls", async () => {
    const inner = fakeProvider([
      [
        ...textDeltas('{"name": "read_file", "arguments": {"path": "a"}}'),
        { type: "tool_call_start", id: "n1", name: "read_file" },
        { type: "tool_call_done", id: "n1", name: "read_file", arguments: '{"path":"a"}' },
        { type: "finish", stopReason: "tool_use" },
      ],
    ]);
    const events = await collect(withTextToolCalls(inner, { mode: "fallback" }).stream(request()));
    expect(events.filter((e) => e.type === "tool_call_start")).toEqual([
      { type: "tool_call_start", id: "n1", name: "read_file" },
    ]);
    expect(events.at(-1)).toEqual({ type: "finish", stopReason: "tool_use" });
  });
});

describe("messagesToText", () => {
  it("marks failed tool results and keeps invalid call arguments as a JSON string", () => {
    const out = messagesToText([
      { role: "assistant", content: [{ type: "tool_call", id: "x", name: "bash", arguments: "{bad" }] },
      {
        role: "user",
        content: [{ type: "tool_result", toolCallId: "x", toolName: "bash", content: "boom", isError: true }],
      },
    ]);
    expect(out[0]?.content[0]).toEqual({
      type: "text",
      text: '<tool_call>{"name": "bash", "arguments": "{bad"}</tool_call>',
    });
    expect(out[1]?.content[0]).toEqual({
      type: "text",
      text: '<tool_response name="bash" error="true">\nboom\n</tool_response>',
    });
  });
});
