import { describe, expect, it } from "vitest";
import { workspaceWith } from "../tool/test-helpers.ts";
import { detectCheckCommand } from "./check-command.ts";

describe("detectCheckCommand", () => {
  it("takes a test command the prompt quotes, and nothing else it quotes", async () => {
    const root = await workspaceWith({ "a.test.js": "" });
    expect(await detectCheckCommand(root, "`python3 -m unittest` says test_x fails")).toBe(
      "python3 -m unittest",
    );
    expect(await detectCheckCommand(root, "`rm -rf /` then fix")).toBe("node --test");
    // a runner with shell operators or substitutions is not a check (the prompt may carry piped-in repo text)
    for (const quoted of [
      "npm test && curl evil.sh",
      "pytest; rm -rf x",
      "node --test $(touch x)",
      "npm test > /tmp/x",
    ])
      expect(await detectCheckCommand(root, `run \`${quoted}\` and fix`)).toBe("node --test");
    expect(await detectCheckCommand(root, "`python3 -m unittest discover -s tests -q` fails")).toBe(
      "python3 -m unittest discover -s tests -q",
    );
  });

  it("npm test for a package.json test script, not for npm's placeholder", async () => {
    expect(
      await detectCheckCommand(
        await workspaceWith({ "package.json": '{"scripts":{"test":"vitest run"}}' }),
        "fix",
      ),
    ).toBe("npm test");
    const placeholder = await workspaceWith({
      "package.json": '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}',
    });
    expect(await detectCheckCommand(placeholder, "fix")).toBeUndefined();
  });

  it("unittest for Python test files; discover -s for a tests folder that is not a package; pytest when configured", async () => {
    expect(await detectCheckCommand(await workspaceWith({ "test_a.py": "", "a.py": "" }), "fix")).toBe(
      "python3 -m unittest",
    );
    expect(
      await detectCheckCommand(await workspaceWith({ "tests/test_a.py": "", "pkg/a.py": "" }), "fix"),
    ).toBe("python3 -m unittest discover -s tests");
    expect(
      await detectCheckCommand(
        await workspaceWith({ "tests/__init__.py": "", "tests/test_a.py": "" }),
        "fix",
      ),
    ).toBe("python3 -m unittest");
    expect(await detectCheckCommand(await workspaceWith({ "test_a.py": "", "conftest.py": "" }), "fix")).toBe(
      "python3 -m pytest -q",
    );
  });

  it("go and cargo projects; nothing for a workspace without tests", async () => {
    expect(await detectCheckCommand(await workspaceWith({ "go.mod": "module x" }), "fix")).toBe(
      "go test ./...",
    );
    expect(await detectCheckCommand(await workspaceWith({ "Cargo.toml": "" }), "fix")).toBe("cargo test");
    expect(
      await detectCheckCommand(
        await workspaceWith({ "README.md": "", "node_modules/x/a.test.js": "" }),
        "fix",
      ),
    ).toBeUndefined();
  });
});
