import { afterEach, describe, expect, it } from "vitest";
import { modelTitle, promptTitle } from "../../src/agent/title.ts";
import type { ArmHandle } from "../../src/engine/routing.ts";
import { createProvider } from "../../src/provider/factory.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const armOf = (s: ScriptedServer): ArmHandle => ({
  id: "cloud/m",
  provider: createProvider({ name: "openai-compatible", baseURL: s.baseURL }),
  model: "m",
  local: false,
});

describe("session titles (issue 12)", () => {
  it("the first prompt's first line, flattened and cut", () => {
    expect(promptTitle("\n  fix   the parser\nmore")).toBe("fix the parser");
    const long = promptTitle("x".repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith("…")).toBe(true);
  });

  it("a model-written title: one short request without tools, quotes stripped", async () => {
    server = await startScriptedServer([{ text: '"Parser bug hunt."' }]);
    expect(await modelTitle(armOf(server), "the parser drops the last token; find out why")).toBe(
      "Parser bug hunt",
    );
    const body = server.requests[0]!.body;
    expect(body.max_tokens).toBe(24);
    expect(body.tools ?? []).toEqual([]);
    expect(JSON.stringify(body.messages)).toContain("the parser drops the last token");
  });

  it("a failed title request leaves the prompt title (undefined, no throw)", async () => {
    server = await startScriptedServer([{ status: 500 }]);
    expect(await modelTitle(armOf(server), "anything")).toBeUndefined();
  });
});
