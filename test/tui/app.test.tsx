/**
 * The App component with ink-testing-library, on a real agent (createAgent) talking to the scripted OpenAI-wire
 * server: keys go in through the test stdin, frames come out of the test stdout.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "../../src/agent/create-agent.ts";
import { loadConfig } from "../../src/config/load.ts";
import { defaultCommands } from "../../src/ui/commands/builtin.ts";
import { App } from "../../src/ui/components/app.tsx";
import { UiController } from "../../src/ui/controller.ts";
import { createTheme, ThemeContext } from "../../src/ui/theme.ts";
import { fixtureRepo } from "../support/fixture-repo.ts";
import { type Script, type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

let server: ScriptedServer | undefined;
let controller: UiController | undefined;
let unmount: (() => void) | undefined;
afterEach(async () => {
  unmount?.();
  await controller?.close();
  await server?.close();
  server = undefined;
  controller = undefined;
});

const chats = () => server!.requests.filter((r) => r.path.includes("chat/completions"));

async function mount(script: Script) {
  const repo = await fixtureRepo("repo-add");
  const home = mkdtempSync(join(tmpdir(), "owlet-app-home-"));
  server = await startScriptedServer(script);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
  };
  const config = await loadConfig({
    cwd: repo,
    env,
    flags: {
      provider: "openai-compatible",
      baseURL: server.baseURL,
      model: "scripted-model",
      twoStage: false,
    },
  });
  let quits = 0;
  controller = new UiController({
    cwd: repo,
    env,
    version: "0.0.0-test",
    commands: defaultCommands(),
    createAgent: (change, io) =>
      createAgent({ config, cwd: repo, io, ...(change.session ? { session: change.session } : {}) }),
  });
  controller.onQuit(() => quits++);
  const view = render(
    <ThemeContext.Provider value={createTheme(false)}>
      <App controller={controller} />
    </ThemeContext.Provider>,
  );
  unmount = view.unmount;
  await controller.start();
  const screen = () => view.frames.join("\n");
  const waitFor = async (test: RegExp, timeoutMs = 5000) => {
    const started = Date.now();
    while (!test.test(view.lastFrame() ?? "") && !test.test(screen())) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for ${test}:\n${view.lastFrame()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const type = async (text: string) => {
    for (const ch of text) {
      view.stdin.write(ch);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  return { ...view, repo, screen, waitFor, type, quits: () => quits, controller };
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe("App", () => {
  it("sends a prompt and renders the streamed markdown answer, code block included", async () => {
    const app = await mount([
      { text: ["# Plan\n\nUse **bold** and `code`.\n\n", "```js\nconst x = 1;\n```\n"] },
    ]);
    await app.type("hello");
    app.stdin.write("\r");
    await app.waitFor(/✓ 1 round/);
    const out = app.screen();
    expect(out).toContain("› hello");
    expect(out).toContain("Plan");
    expect(out).toContain("Use bold and code.");
    expect(out).not.toContain("**bold**");
    expect(out).toContain("const x = 1;");
    expect(chats()[0]!.body.messages.at(-1).content).toBe("hello");
  });

  it("completes slash commands with Tab and runs them", async () => {
    const app = await mount([]);
    await app.type("/mo");
    await tick();
    expect(app.lastFrame()).toContain("/mode");
    expect(app.lastFrame()).toContain("/model");
    app.stdin.write("\t");
    await tick();
    expect(app.lastFrame()).toContain("› /mode ");
    await app.type("plan");
    app.stdin.write("\r");
    await app.waitFor(/⏵ plan/);
    expect(app.controller.agent!.policy.mode).toBe("plan");
  });

  it("Shift+Tab cycles the permission mode on the status line", async () => {
    const app = await mount([]);
    expect(app.lastFrame()).toContain("⏵ auto");
    app.stdin.write("\x1b[Z");
    await app.waitFor(/⏵ accept_edits/);
    expect(app.controller.agent!.policy.mode).toBe("accept_edits");
  });

  it("a line ending in \\ continues on the next line; the prompt goes out whole", async () => {
    const app = await mount([{ text: "ok" }]);
    await app.type("first line\\");
    app.stdin.write("\r");
    await tick();
    await app.type("second line");
    await tick();
    expect(app.lastFrame()).toMatch(/first line[^\n]*\n[^\n]*second line/);
    app.stdin.write("\r");
    await app.waitFor(/✓ 1 round/);
    expect(chats()[0]!.body.messages.at(-1).content).toBe("first line\nsecond line");
  });

  it("@path attaches the file", async () => {
    const app = await mount([{ text: "seen" }]);
    await app.type("what is in @math.js ?");
    app.stdin.write("\r");
    await app.waitFor(/✓ 1 round/);
    expect(app.screen()).toContain("attached math.js");
    const sent = chats()[0]!.body.messages.at(-1).content as string;
    expect(sent).toContain("what is in @math.js ?");
    expect(sent).toContain("Contents of math.js:");
  });

  it("a denial with a note reaches the model in the tool result", async () => {
    const app = await mount([
      { toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "rm -rf build" }) }] },
      { text: "understood" },
    ]);
    await app.type("clean up");
    app.stdin.write("\r");
    await app.waitFor(/Allow bash\?/);
    app.stdin.write("n");
    await tick();
    await app.type("keep the build folder");
    app.stdin.write("\r");
    await app.waitFor(/✓ 2 rounds|✗/);
    const tool = chats()[1]!.body.messages.find((m: any) => m.role === "tool");
    expect(tool.content).toContain("the user declined and said: keep the build folder");
    expect(app.screen()).toContain("denied");
  });

  it("Esc interrupts a streaming answer and keeps the conversation", async () => {
    const app = await mount([{ text: Array.from({ length: 300 }, (_, i) => `w${i} `), chunkDelayMs: 10 }]);
    await app.type("go");
    app.stdin.write("\r");
    await app.waitFor(/w10 /);
    app.stdin.write("\x1b");
    await app.waitFor(/interrupted · the conversation is kept/);
    const history = app.controller.agent!.engine.history;
    expect(history[0]).toMatchObject({ role: "user" });
    expect(JSON.stringify(history)).toContain("w10 ");
    expect(JSON.stringify(history)).not.toContain("w299");
  });

  it("Ctrl+C clears the line, and twice quits", async () => {
    const app = await mount([]);
    await app.type("draft");
    app.stdin.write("\x03");
    await tick();
    expect(app.lastFrame()).toContain("press Ctrl+C again to quit");
    expect(app.lastFrame()).not.toContain("draft");
    expect(app.quits()).toBe(0);
    app.stdin.write("\x03");
    await tick();
    expect(app.quits()).toBe(1);
  });

  it("Ctrl+D quits on an empty line only", async () => {
    const app = await mount([]);
    await app.type("draft");
    app.stdin.write("\x04");
    await tick();
    expect(app.quits()).toBe(0);
    app.stdin.write("\x15");
    await tick();
    app.stdin.write("\x04");
    await tick();
    expect(app.quits()).toBe(1);
  });

  it("a long paste is one block behind a placeholder, and goes out whole", async () => {
    const app = await mount([{ text: "read it" }]);
    await app.type("summarise: ");
    const pasted = Array.from({ length: 6 }, (_, i) => `log line ${i}`).join("\n");
    app.stdin.write(`\x1b[200~${pasted}\x1b[201~`);
    await tick(50);
    expect(app.lastFrame()).toContain("[Pasted text #1: 6 lines]");
    expect(app.lastFrame()).not.toContain("log line 3");
    app.stdin.write("\r");
    await app.waitFor(/✓ 1 round/);
    expect(chats()[0]!.body.messages.at(-1).content).toBe(`summarise: ${pasted}`);
  });

  it("/clear starts a new session and keeps the mode and the rules added this session", async () => {
    const app = await mount([]);
    const first = app.controller.agent!.session!.id;
    await app.type("/permissions allow bash git status*");
    app.stdin.write("\r");
    await app.waitFor(/added for this session/);
    app.stdin.write("\x1b[Z");
    await app.waitFor(/⏵ accept_edits/);
    await app.type("/clear");
    app.stdin.write("\r");
    await app.waitFor(/⏵ accept_edits · openai-compatible/);
    await tick(100);
    const agent = app.controller.agent!;
    expect(agent.session!.id).not.toBe(first);
    expect(agent.policy.mode).toBe("accept_edits");
    expect(agent.policy.rules).toEqual([{ tool: "bash", pattern: "git status*", action: "allow" }]);
  });

  it("Up recalls earlier prompts", async () => {
    const app = await mount([{ text: "a" }, { text: "b" }]);
    await app.type("first");
    app.stdin.write("\r");
    await app.waitFor(/✓ 1 round/);
    app.stdin.write("\x1b[A");
    await tick();
    expect(app.lastFrame()).toContain("› first");
  });
});
