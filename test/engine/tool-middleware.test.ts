/**
 * The engine's tool middleware against the scripted model server and the real built-in tools: a `before` block
 * keeps the tool from running and tells the model why; context and `after` feedback reach the model with the
 * result; an `ask` goes to the user even where the policy allows the call, and never loosens a deny rule.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { permissionGate } from "../../src/agent/permission-gate.ts";
import type { ToolMiddleware } from "../../src/engine/tool-middleware.ts";
import { type AskRequest, PermissionPolicy } from "../../src/policy/index.ts";
import { type Harness, startHarness } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const toolMessages = (body: any) => body.messages.filter((m: any) => m.role === "tool");

describe("tool middleware", () => {
  it("blocks a call before it runs and adds context and feedback to the results the model sees", async () => {
    const seen: string[] = [];
    const middleware: ToolMiddleware[] = [
      {
        name: "guard",
        async before(call) {
          seen.push(`before ${call.tool.name}`);
          if (call.tool.name === "fs_write") return { block: "writing is blocked by policy.sh" };
          return { context: "note: the file is generated" };
        },
        async after(call, result) {
          seen.push(`after ${call.tool.name} ${result.isError}`);
          return { feedback: `checked ${call.tool.name}: ${result.output.length} chars` };
        },
      },
      { name: "second", before: async () => ({ context: "second saw it" }) },
    ];
    h = await startHarness({
      script: [
        {
          toolCalls: [
            { id: "w", name: "fs_write", arguments: JSON.stringify({ path: "out.txt", content: "x" }) },
            { id: "r", name: "fs_read", arguments: JSON.stringify({ path: "a.txt" }) },
          ],
        },
        { text: "done" },
      ],
      engine: { toolMiddleware: middleware },
    });
    await writeFile(join(h.workspace, "a.txt"), "hello\n");
    const turn = await h.engine.runTurn("go");

    expect(turn.status).toBe("permission_denied");
    expect(existsSync(join(h.workspace, "out.txt"))).toBe(false);
    const [write, read] = toolMessages(h.server.requests[1]!.body);
    expect(write.content).toContain("writing is blocked by policy.sh");
    expect(read.content).toContain("hello");
    expect(read.content).toContain("note: the file is generated");
    expect(read.content).toContain("second saw it");
    expect(read.content).toMatch(/checked fs_read: \d+ chars/);
    // The blocked call never reached `after`, nor the second middleware.
    expect(seen.sort()).toEqual(["after fs_read false", "before fs_read", "before fs_write"].sort());
    expect(h.events).toContainEqual(expect.objectContaining({ type: "permission_denied", name: "fs_write" }));
  });

  it("an ask goes to the user where the policy allows, and cannot get past a deny rule", async () => {
    const asked: AskRequest[] = [];
    const policy = new PermissionPolicy({
      mode: "bypass",
      rules: [{ tool: "fs_write", pattern: "secret*", action: "deny" }],
    });
    const gate = permissionGate(
      policy,
      async (req) => {
        asked.push(req);
        return false;
      },
      true,
    );
    const middleware: ToolMiddleware[] = [
      { name: "hooks", before: async () => ({ ask: "the hook wants a person to look" }) },
    ];
    h = await startHarness({
      script: [
        {
          toolCalls: [
            { id: "a", name: "fs_write", arguments: JSON.stringify({ path: "plain.txt", content: "x" }) },
            { id: "b", name: "fs_write", arguments: JSON.stringify({ path: "secret.txt", content: "x" }) },
          ],
        },
        { text: "done" },
      ],
      engine: { toolMiddleware: middleware, gate },
    });
    await h.engine.runTurn("go");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ tool: "fs_write", reason: "the hook wants a person to look" });
    const [plain, secret] = toolMessages(h.server.requests[1]!.body);
    expect(plain.content).toContain("the user declined");
    expect(secret.content).toContain("denied by rule");
    expect(existsSync(join(h.workspace, "plain.txt"))).toBe(false);
  });

  it("tags a subagent engine's events with its agent id and passes it to the middleware", async () => {
    const ids: (string | undefined)[] = [];
    h = await startHarness({
      script: [{ toolCalls: [{ id: "l", name: "fs_ls", arguments: "{}" }] }, { text: "listed" }],
      engine: {
        agentId: "agent-7",
        toolMiddleware: [
          {
            name: "m",
            before: async (c) => {
              ids.push(c.agentId);
              return undefined;
            },
          },
        ],
      },
    });
    await h.engine.runTurn("list");
    expect(ids).toEqual(["agent-7"]);
    expect(h.events.length).toBeGreaterThan(3);
    expect(h.events.every((e) => e.agentId === "agent-7")).toBe(true);
  });

  it("beforeStop keeps the turn going with its message, at most three times", async () => {
    const asked: boolean[] = [];
    h = await startHarness({
      script: [{ text: "first" }, { text: "second" }, { text: "third" }, { text: "fourth" }, { text: "x" }],
      engine: {
        beforeStop: async ({ again }) => {
          asked.push(again);
          return "Run the tests before you stop.";
        },
      },
    });
    const turn = await h.engine.runTurn("go");
    expect(turn.status).toBe("success");
    expect(turn.text).toBe("fourth");
    expect(asked).toEqual([false, true, true]);
    const last = h.server.requests.at(-1)!.body.messages.at(-1);
    expect(last).toMatchObject({ role: "user", content: "Run the tests before you stop." });
  });
});
