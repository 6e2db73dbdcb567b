import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { allSent, attack, callThenAnswer, closeServers, toolResultsSent, workspace } from "./harness.ts";

afterEach(closeServers);

const AKIA = "AKIAQYLPMN5HFIQR7XYZ";
const AWS_SECRET = "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";
const GHP = "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";
const KEY_BLOCK =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDx9Y2C3Nj1kZ3QxZq9y5Tz2mr7SZiAMfQyuvBjM9OiAAAAJgAAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----";
const SECRET_FILE = `aws_access_key_id = ${AKIA}\naws_secret_access_key = ${AWS_SECRET}\ngithub = "${GHP}"\n${KEY_BLOCK}\n`;

function expectNoSecrets(text: string): void {
  for (const secret of [AKIA, AWS_SECRET, GHP, "b3BlbnNzaC1rZXktdjEAAAAABG5v"])
    expect(text).not.toContain(secret);
}

describe("secrets never reach the model", () => {
  for (const mode of ["auto", "bypass"]) {
    it(`fs_read of a file holding keys sends them redacted and counted (${mode})`, async () => {
      const { repo, home } = await workspace();
      writeFileSync(join(repo, "deploy.cfg"), SECRET_FILE);
      const run = await attack({
        repo,
        home,
        mode,
        prompt: "read",
        script: callThenAnswer("fs_read", { path: "deploy.cfg" }),
      });
      expect(run.code, run.stderr).toBe(0);
      const [result] = toolResultsSent(run.requests);
      expectNoSecrets(allSent(run.requests));
      expect(result).toContain("[REDACTED:aws]");
      expect(result).toContain("[REDACTED:github]");
      expect(result).toContain("[REDACTED:privatekey]");
      expect(result).toMatch(/\[owlet: \d+ secrets redacted/);
    });
  }

  it("fs_grep results are redacted too", async () => {
    const { repo, home } = await workspace();
    writeFileSync(join(repo, "deploy.cfg"), SECRET_FILE);
    const run = await attack({
      repo,
      home,
      prompt: "grep",
      script: callThenAnswer("fs_grep", { pattern: "gh|aws|KEY" }),
    });
    expect(run.code, run.stderr).toBe(0);
    expectNoSecrets(allSent(run.requests));
    expect(toolResultsSent(run.requests)[0]).toContain("deploy.cfg");
  });

  for (const path of [".env", ".env.production", "id_rsa", "certs/server.pem"]) {
    it(`reading ${path} asks even for a read-only tool (denied without a terminal, in bypass too)`, async () => {
      const { repo, home } = await workspace();
      mkdirSync(join(repo, "certs"), { recursive: true });
      writeFileSync(join(repo, path), "SOMETHING=plain\n");
      const run = await attack({
        repo,
        home,
        mode: "bypass",
        prompt: "x",
        script: callThenAnswer("fs_read", { path }),
      });
      // The refusal is a denial: the run ends as "permission denied" on branches that report it (exit 1).
      expect([0, 1]).toContain(run.code);
      const [result] = toolResultsSent(run.requests);
      expect(result).toContain("protected path");
      expect(result).not.toContain("SOMETHING=plain");
    });
  }

  it("a symlink to .env is not a way around the question", async () => {
    const { repo, home } = await workspace();
    writeFileSync(join(repo, ".env"), "SOMETHING=plain\n");
    symlinkSync(".env", join(repo, "notes.txt"));
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "x",
      script: callThenAnswer("fs_read", { path: "notes.txt" }),
    });
    expect(toolResultsSent(run.requests)[0]).not.toContain("SOMETHING=plain");
  });

  it("a path deny rule holds through an in-workspace symlink and through fs_grep", async () => {
    const { repo, home } = await workspace();
    mkdirSync(join(repo, "secrets"));
    writeFileSync(join(repo, "secrets", "plan.txt"), "launch code: swordfish\n");
    symlinkSync("secrets", join(repo, "public"));
    mkdirSync(join(repo, ".owlet"));
    writeFileSync(
      join(repo, ".owlet", "config.toml"),
      '[[permission.rules]]\ntool = "fs_*"\npattern = "secrets/*"\naction = "deny"\n',
    );
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "x",
      script: [
        {
          toolCalls: [
            { name: "fs_read", arguments: JSON.stringify({ path: "public/plan.txt" }) },
            { name: "fs_grep", arguments: JSON.stringify({ pattern: "swordfish" }) },
            { name: "fs_grep", arguments: JSON.stringify({ pattern: "swordfish", path: "public" }) },
          ],
        },
        { text: "done" },
      ],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(allSent(run.requests)).not.toContain("swordfish\\n");
    const results = toolResultsSent(run.requests);
    expect(results[0]).toContain("denied by rule");
    for (const r of results.slice(1)) expect(r).not.toContain("launch code");
  });

  it("bash's environment has no tokens, secrets or provider keys (bypass)", async () => {
    const { repo, home } = await workspace();
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "x",
      args: ["--api-key", "zz-provider-key-not-a-known-format-42"],
      env: {
        GITHUB_TOKEN: "tok-github-1",
        GH_TOKEN: "tok-gh-2",
        AWS_SECRET_ACCESS_KEY: "aws-secret-3",
        DB_PASSWORD: "db-pass-4",
        OPENAI_API_KEY: "zz-openai-5",
      },
      script: callThenAnswer("bash", {
        // The child's own environment, then owlet's argv and environment through /proc (outside a sandbox the
        // latter still holds the keys: redaction of known values catches them on the way to the model).
        command: [
          "env | grep -E 'TOKEN|SECRET|PASSWORD|KEY|zz-|^PATH=' | cut -c1-60",
          "tr '\\0' ' ' < /proc/$PPID/cmdline; echo",
          "tr '\\0' '\\n' < /proc/$PPID/environ | grep -aE 'zz-|tok-|secret-|pass-'",
        ].join("; "),
      }),
    });
    expect(run.code, run.stderr).toBe(0);
    const [result] = toolResultsSent(run.requests);
    expect(result).toContain("PATH=");
    // In the sandbox the names are not in the environment at all; outside it they are redacted. Either way no
    // value reaches the model (below).
    expect(result).not.toMatch(/GITHUB_TOKEN=tok/);
    for (const value of [
      "tok-github-1",
      "tok-gh-2",
      "aws-secret-3",
      "db-pass-4",
      "zz-openai-5",
      "zz-provider-key",
    ])
      expect(result).not.toContain(value);
  });

  it("an error message carrying a token is redacted", async () => {
    const { repo, home } = await workspace();
    const run = await attack({
      repo,
      home,
      mode: "bypass",
      prompt: "x",
      script: callThenAnswer("bash", { command: `echo "auth failed for ${GHP}" >&2; exit 3` }),
    });
    const [result] = toolResultsSent(run.requests);
    expect(result).toContain("Exit code 3");
    expect(result).not.toContain(GHP);
    expect(result).toContain("[REDACTED:github]");
  });

  it("a piped prompt is redacted before it is sent, and the user is told", async () => {
    const { repo, home } = await workspace();
    const run = await attack({
      repo,
      home,
      input: `why does this fail?\nexport GITHUB_TOKEN=${GHP}\n`,
      script: [{ text: "because" }],
    });
    expect(run.code, `${run.stderr}\n${run.stdout.slice(-600)}`).toBe(0);
    expect(allSent(run.requests)).not.toContain(GHP);
    expect(run.stderr).toContain("1 secret redacted from the prompt");
  });
});
