import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine, type EngineOptions } from "../../src/engine/engine.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { FixedRouting } from "../../src/engine/fixed-routing.ts";
import type { ArmHandle } from "../../src/engine/routing.ts";
import { createProvider } from "../../src/provider/factory.ts";
import { builtinTools, DEFAULT_TOOL_LIMITS } from "../../src/tool/builtin/index.ts";
import { ToolRegistry } from "../../src/tool/registry.ts";
import type { Tool } from "../../src/tool/types.ts";
import {
  type Script,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "./scripted-server.ts";

/** A scripted model server, a temp workspace, and an engine wired to both with the real built-in tools. */
export interface Harness {
  server: ScriptedServer;
  workspace: string;
  engine: Engine;
  events: EngineEvent[];
  arm: ArmHandle;
  close(): Promise<void>;
}

/** Options for {@link startHarness}: the script, arm facts, extra tools and engine overrides. */
export interface HarnessOptions {
  script: Script;
  server?: ScriptedServerOptions;
  arm?: Partial<Omit<ArmHandle, "provider">>;
  extraTools?: Tool[];
  engine?: Partial<EngineOptions>;
}

/** Starts a scripted server and an engine over an OpenAI-compatible arm pointed at it. */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const server = await startScriptedServer(opts.script, opts.server);
  const workspace = await realpath(await mkdtemp(join(tmpdir(), "owlet-engine-")));
  const provider = createProvider({ name: "openai-compatible", baseURL: server.baseURL });
  const arm: ArmHandle = {
    id: "scripted/scripted-model",
    provider,
    model: "scripted-model",
    local: false,
    ...opts.arm,
  };
  const registry = new ToolRegistry();
  for (const t of [...builtinTools(), ...(opts.extraTools ?? [])]) registry.register(t);
  const events: EngineEvent[] = [];
  const engine = new Engine({
    routing: new FixedRouting(arm),
    tools: registry,
    toolContext: { workspaceRoot: workspace, limits: DEFAULT_TOOL_LIMITS },
    systemPrompt: () => "You are a test assistant.",
    retryDelaysMs: [10, 20, 40, 80],
    onEvent: (e) => events.push(e),
    ...opts.engine,
  });
  return {
    server,
    workspace,
    engine,
    events,
    arm,
    async close() {
      await server.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Tool names offered in a recorded chat-completions request. */
export function toolNames(body: any): string[] {
  return (body?.tools ?? []).map((t: any) => t.function?.name).filter(Boolean);
}

/** The chat messages of a recorded request. */
export function messagesOf(body: any): any[] {
  return body?.messages ?? [];
}
