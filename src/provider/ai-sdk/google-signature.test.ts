import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../../message/types.ts";
import { Accumulator } from "../../stream/accumulator.ts";
import { createProvider } from "../factory.ts";

/**
 * Gemini 3 signs its function calls (`thoughtSignature`) and expects the signature back when the call is
 * replayed in history. This drives the real @ai-sdk/google model against a local server speaking Gemini's
 * streamGenerateContent SSE, and checks the signature survives stream → history → next request.
 */
const bodies: any[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  bodies.length = 0;
});

async function geminiServer(): Promise<string> {
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    bodies.push(JSON.parse(raw));
    const first = bodies.length === 1;
    const part = first
      ? { functionCall: { name: "fs_read", args: { path: "a.js" } }, thoughtSignature: "SIG-abc" }
      : { text: "done" };
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(
      `data: ${JSON.stringify({
        candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP" }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 3, totalTokenCount: 13 },
      })}\n\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1beta`;
}

describe("Gemini thought signatures", () => {
  it("are kept on the tool call and sent back with it in the next request", async () => {
    const baseURL = await geminiServer();
    const provider = createProvider({ name: "google", baseURL, apiKey: "test-key" });
    const tools = [
      {
        name: "fs_read",
        description: "read",
        inputSchema: { type: "object", properties: { path: { type: "string" } } },
      },
    ];
    const history: Message[] = [{ role: "user", content: [{ type: "text", text: "read a.js" }] }];
    const acc = new Accumulator();
    for await (const ev of provider.stream({ model: "gemini-3-flash", system: "", messages: history, tools }))
      acc.apply(ev);
    const { message } = acc.response();
    const call = message.content.find((b) => b.type === "tool_call");
    expect(call).toMatchObject({ name: "fs_read", signature: "SIG-abc" });

    history.push(message, {
      role: "user",
      content: [
        {
          type: "tool_result",
          toolCallId: (call as any).id,
          toolName: "fs_read",
          content: "x",
          isError: false,
        },
      ],
    });
    for await (const _ of provider.stream({
      model: "gemini-3-flash",
      system: "",
      messages: history,
      tools,
    })) {
      // drain
    }
    const replayed = bodies[1].contents.find((c: any) => c.role === "model");
    const fnPart = replayed.parts.find((p: any) => p.functionCall);
    expect(fnPart.thoughtSignature).toBe("SIG-abc");
  });
});
