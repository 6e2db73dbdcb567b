import { mkdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { GateDecision, PermissionGate } from "../../src/engine/permission-gate.ts";
import type { Tool } from "../../src/tool/types.ts";
import { type Harness, startHarness } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A real tool that takes `ms` to answer, recording when it ran. */
function slowTool(
  name: string,
  readOnly: boolean,
  log: { name: string; start: number; end: number }[],
): Tool<{ tag: string }> {
  return {
    name,
    description: "waits",
    parameters: z.object({ tag: z.string() }),
    category: "meta",
    readOnly,
    destructive: false,
    async run(args) {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 250));
      log.push({ name: args.tag, start, end: Date.now() });
      return { output: `done ${args.tag}` };
    },
  };
}

const toolMessages = (body: any) => body.messages.filter((m: any) => m.role === "tool");

describe("tool rounds", () => {
  it("runs read-only calls concurrently and the others one by one, results in call order", async () => {
    const log: { name: string; start: number; end: number }[] = [];
    h = await startHarness({
      script: [
        {
          toolCalls: [
            { id: "a", name: "slow_read", arguments: '{"tag":"r1"}' },
            { id: "b", name: "slow_write", arguments: '{"tag":"w1"}' },
            { id: "c", name: "slow_read", arguments: '{"tag":"r2"}' },
            { id: "d", name: "slow_write", arguments: '{"tag":"w2"}' },
          ],
        },
        { text: "ok" },
      ],
      extraTools: [slowTool("slow_read", true, log), slowTool("slow_write", false, log)],
    });
    await h.engine.runTurn("go");
    const r1 = log.find((l) => l.name === "r1")!;
    const r2 = log.find((l) => l.name === "r2")!;
    const w1 = log.find((l) => l.name === "w1")!;
    const w2 = log.find((l) => l.name === "w2")!;
    expect(r2.start).toBeLessThan(r1.end); // overlapped
    expect(w2.start).toBeGreaterThanOrEqual(w1.end); // serial
    const results = toolMessages(h.server.requests[1]!.body);
    expect(results.map((m: any) => m.tool_call_id)).toEqual(["a", "b", "c", "d"]);
  });

  it("answers unknown tools and malformed arguments with error results that say what was wrong", async () => {
    h = await startHarness({
      script: [
        {
          toolCalls: [
            { id: "u", name: "teleport", arguments: "{}" },
            { id: "m", name: "fs_read", arguments: '{"path": "a.txt",' },
            { id: "t", name: "fs_read", arguments: '{"path": 42}' },
          ],
        },
        { text: "ok" },
      ],
    });
    await h.engine.runTurn("go");
    const results = h.events.filter((e) => e.type === "tool_result") as any[];
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.isError)).toBe(true);
    const byId = Object.fromEntries(results.map((r) => [r.id, r.output]));
    expect(byId.u).toMatch(/unknown tool/i);
    expect(byId.u).toContain("fs_read");
    expect(byId.m).toMatch(/JSON/);
    expect(byId.t).toMatch(/path/);
  });

  it("refuses paths outside the workspace, through .. and through symlinks", async () => {
    const outside = join(tmpdir(), `owlet-outside-${process.pid}`);
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, "secret.txt"), "TOPSECRET-CONTENT");
    h = await startHarness({
      script: [
        {
          toolCalls: [
            { id: "dots", name: "fs_read", arguments: JSON.stringify({ path: "../../../../etc/passwd" }) },
            { id: "link", name: "fs_read", arguments: JSON.stringify({ path: "escape/secret.txt" }) },
            {
              id: "write",
              name: "fs_write",
              arguments: JSON.stringify({ path: "escape/new.txt", content: "x" }),
            },
          ],
        },
        { text: "ok" },
      ],
    });
    await symlink(outside, join(h.workspace, "escape"));
    await h.engine.runTurn("go");
    const results = h.events.filter((e) => e.type === "tool_result") as any[];
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.isError).toBe(true);
      expect(r.output).toMatch(/outside/i);
      expect(r.output).not.toContain("TOPSECRET-CONTENT");
    }
  });

  it("a denying permission gate turns the call into an error result and the tool does not run", async () => {
    const gate: PermissionGate = {
      async check(tool): Promise<GateDecision> {
        return tool.readOnly
          ? { allowed: true }
          : { allowed: false, message: "denied: use --permission-mode" };
      },
    };
    h = await startHarness({
      script: [
        { toolCalls: [{ name: "fs_write", arguments: JSON.stringify({ path: "x.txt", content: "x" }) }] },
        { text: "ok" },
      ],
      engine: { gate },
    });
    await h.engine.runTurn("write x");
    const result = h.events.find((e) => e.type === "tool_result") as any;
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/--permission-mode/);
    await expect(
      import("node:fs/promises").then((fs) => fs.access(join(h!.workspace, "x.txt"))),
    ).rejects.toThrow();
  });
});
