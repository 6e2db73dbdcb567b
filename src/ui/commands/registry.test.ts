import { describe, expect, it } from "vitest";
import { BUILTIN_COMMANDS, defaultCommands } from "./builtin.ts";
import { CommandRegistry, parseSlashLine } from "./registry.ts";

describe("slash commands", () => {
  it("parses /name args", () => {
    expect(parseSlashLine("/Model  qwen2.5 ")).toEqual({ name: "model", args: "qwen2.5" });
    expect(parseSlashLine("/quit")).toEqual({ name: "quit", args: "" });
    // A prompt that starts with a path is a prompt, not a command.
    expect(parseSlashLine("/usr/bin is a path")).toBeUndefined();
    expect(parseSlashLine("not a command")).toBeUndefined();
  });

  it("holds every command the issue names, found by name, alias and prefix", () => {
    const r = defaultCommands();
    for (const name of [
      "help",
      "model",
      "provider",
      "clear",
      "compact",
      "resume",
      "sessions",
      "permissions",
      "mode",
      "context",
      "cost",
      "init",
      "quit",
    ])
      expect(r.find(name)?.name, name).toBe(name);
    expect(r.find("exit")?.name).toBe("quit");
    expect(r.complete("co").map((c) => c.name)).toEqual(["compact", "context", "cost"]);
    expect(r.all()).toHaveLength(BUILTIN_COMMANDS.length);
  });

  it("lets other work add or replace a command", () => {
    const r = new CommandRegistry().register({ name: "rewind", summary: "go back", run() {} });
    expect(r.find("rewind")?.summary).toBe("go back");
    r.register({ name: "rewind", summary: "replaced", run() {} });
    expect(r.all().map((c) => c.summary)).toEqual(["replaced"]);
    expect(() => r.register({ name: "Bad Name", summary: "", run() {} })).toThrow(/invalid/);
  });
});
