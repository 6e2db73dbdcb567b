import { describe, expect, it } from "vitest";
import { isLocalArm, isLoopbackHost } from "./local-arm.ts";

describe("isLocalArm", () => {
  it.each(["llamacpp", "ollama", "lmstudio", "embedded"] as const)("%s is always local", (p) => {
    expect(isLocalArm(p)).toBe(true);
    expect(isLocalArm(p, "http://gpu-box.lan:8080/v1")).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:8000/v1", true],
    ["http://127.5.6.7/v1", true],
    ["http://localhost:1234/v1", true],
    ["http://LOCALHOST/v1", true],
    ["http://[::1]:8080/v1", true],
    ["http://[::ffff:127.0.0.1]:8080/v1", true],
    ["http://[::ffff:10.0.0.1]:8080/v1", false],
    ["http://192.168.1.10:8000/v1", false],
    ["https://api.openai.com/v1", false],
    ["http://128.0.0.1/v1", false],
    ["http://localhost.example.com/v1", false],
    ["not a url", false],
  ])("openai-compatible at %s → %s", (url, expected) => {
    expect(isLocalArm("openai-compatible", url)).toBe(expected);
  });

  it("cloud providers are not local unless pointed at loopback", () => {
    expect(isLocalArm("openai")).toBe(false);
    expect(isLocalArm("anthropic", "https://api.anthropic.com")).toBe(false);
    expect(isLocalArm("openai", "http://127.0.0.1:4000/v1")).toBe(true);
  });

  it("isLoopbackHost handles brackets and IPv4-mapped IPv6", () => {
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackHost("10.0.0.1")).toBe(false);
    expect(isLoopbackHost("127.0.0.256")).toBe(false);
  });
});
