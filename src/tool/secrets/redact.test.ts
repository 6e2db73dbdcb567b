import { describe, expect, it } from "vitest";
import { shannonEntropy } from "./entropy.ts";
import { findAssignedSecrets } from "./extra-rules.ts";
import { redactSecrets } from "./redact.ts";

const GHP = "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";
const AKIA = "AKIAQYLPMN5HFIQR7XYZ";
const KEY_BLOCK =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDx9Y2C3Nj1kZ3QxZq9y5Tz2mr7SZiAMfQyuvBjM9OiAAAAJgAAAAAAAAA\nAAAA==\n-----END OPENSSH PRIVATE KEY-----";

describe("redactSecrets", () => {
  it("replaces tokens the recommended rules know, and AWS access key ids, naming the rule", async () => {
    const r = await redactSecrets(`token: ${GHP}\nid = ${AKIA}\nplain text\n`);
    expect(r.text).toBe("token: [REDACTED:github]\nid = [REDACTED:aws]\nplain text\n");
    expect(r.count).toBe(2);
    expect(r.rules).toEqual(["github", "aws"]);
  });

  it("replaces a private key block whole, its short last line included", async () => {
    const r = await redactSecrets(`before\n${KEY_BLOCK}\nafter`);
    expect(r.text).toBe("before\n[REDACTED:privatekey]\nafter");
  });

  it("finds secrets among many lines of ordinary code at the right offsets", async () => {
    const code = Array.from({ length: 500 }, (_, i) => `const v${i} = f(${i}); // note`);
    code.splice(250, 0, `const url = "postgres://app:pa55w0rdXy@db.internal:5432/app";`);
    const r = await redactSecrets(code.join("\n"));
    // The rule's match runs to the end of the URL-like token (closing quote included).
    expect(r.text.split("\n")[250]).toMatch(/^const url = "\[REDACTED:database-connection-string\]/);
    expect(r.text).not.toContain("pa55w0rd");
    expect(r.text.split("\n")[249]).toBe("const v249 = f(249); // note");
    expect(r.text.split("\n")[251]).toBe("const v250 = f(250); // note");
  });

  it("redacts high-entropy values assigned to key-like names, not code or words", async () => {
    const r = await redactSecrets(
      [
        'MY_SERVICE_TOKEN="q8Zr3LmN0pX7vB2cK9sT"',
        'password = "S3cure!Pass#2024"',
        "apiKey: config.apiKey",
        "const token = getToken(request);",
        'PASSWORD_FIELD = "password"',
        "tokenizer_config = load_the_configuration_file",
      ].join("\n"),
    );
    expect(r.text.split("\n")).toEqual([
      'MY_SERVICE_TOKEN="[REDACTED:generic-secret]"',
      'password = "[REDACTED:generic-secret]"',
      "apiKey: config.apiKey",
      "const token = getToken(request);",
      'PASSWORD_FIELD = "password"',
      "tokenizer_config = load_the_configuration_file",
    ]);
  });

  it("leaves text without secrets untouched, and is fast on a 64 KiB result and a 64 KiB blob", async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}: nothing to see here`).join("\n");
    expect(await redactSecrets(text)).toEqual({ text, count: 0, rules: [] });
    const blob = "A".repeat(65_536);
    const started = performance.now();
    await redactSecrets(blob);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("entropy and assignments", () => {
  it("measures bits per character", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });

  it("reports only the value of an assignment", () => {
    const text = "SECRET_KEY=Zk3pQ9rTxw8vYbN2mLcD4f";
    const [m] = findAssignedSecrets(text);
    expect(text.slice(m!.start, m!.end)).toBe("Zk3pQ9rTxw8vYbN2mLcD4f");
  });
});

describe("known secret values", () => {
  it("redacts registered values in any format, naming where they came from", async () => {
    const { registerKnownSecrets, knownSecretsFromEnv } = await import("./known.ts");
    registerKnownSecrets([
      ...knownSecretsFromEnv({ GITHUB_TOKEN: "plain-token-value-1", HOME: "/home/me", SHORT_KEY: "abc" }),
      { value: "zz-provider-key-42", rule: "provider-key" },
    ]);
    try {
      const r = await redactSecrets(
        "GITHUB_TOKEN=plain-token-value-1\0OPENAI=zz-provider-key-42\0HOME=/home/me abc",
      );
      expect(r.text).toBe(
        "GITHUB_TOKEN=[REDACTED:env:GITHUB_TOKEN]\0OPENAI=[REDACTED:provider-key]\0HOME=/home/me abc",
      );
    } finally {
      registerKnownSecrets([]);
    }
  });
});
