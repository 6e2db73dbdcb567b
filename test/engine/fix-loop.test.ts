import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PermissionGate } from "../../src/engine/permission-gate.ts";
import { type Harness, messagesOf, startHarness, toolNames } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const local = { local: true, contextWindow: 8192 };
/** A patch reply: the fixed function in a code block, as a small model writes it. */
const reply = (op: string) => ({
  text: `The range should subtract.\n\n\`\`\`js\nexport function range(values) {\n  return Math.max(...values) ${op} Math.min(...values);\n}\n\`\`\``,
});

/** A one-bug repository: `range` adds where it should subtract; `node --test` fails on it. */
async function writeRepo(workspace: string): Promise<void> {
  await writeFile(
    join(workspace, "stats.js"),
    "export function range(values) {\n  return Math.max(...values) + Math.min(...values);\n}\n",
  );
  await writeFile(
    join(workspace, "stats.test.js"),
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { range } from "./stats.js";\n\ntest("range", () => {\n  assert.equal(range([3, 9, 1]), 8);\n});\n',
  );
}

const fixOptions = { expectsChanges: () => true, checkCommand: async () => "node --test" };

describe("the small-model fix loop: check, attach the code under test, patch from a code block, check again", () => {
  it("starts with a patch round over the failure and the imported code, places the code block, answers once the check passes", async () => {
    h = await startHarness({
      script: [reply("-"), { text: "Fixed range." }],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("The tests fail, please fix it.");

    expect(turn.status).toBe("success");
    expect(turn.text).toBe("Fixed range.");
    expect(await readFile(join(h.workspace, "stats.js"), "utf8")).toBe(
      "export function range(values) {\n  return Math.max(...values) - Math.min(...values);\n}\n",
    );
    const [r1, r2] = h.server.requests.map((r) => r.body);
    // round 1: a patch round (no tools), the failing check and the code its test imports in view, then the ask
    expect(toolNames(r1)).toEqual([]);
    const first = messagesOf(r1);
    const text = JSON.stringify(first);
    expect(text).toContain("10 !== 8"); // the assertion the failing test made
    expect(text).toContain("Math.max(...values) + Math.min"); // stats.js, read for the model
    expect(text).not.toContain("node:internal"); // runtime frames are left out
    expect(first.at(-1).role).toBe("user");
    // round 2: the block was placed through fs_edit, the check ran and passed: the answer round, no tools
    expect(toolNames(r2)).toEqual([]);
    expect(JSON.stringify(messagesOf(r2))).not.toContain("Reply with the fixed function"); // request-only
    expect(h.server.requests).toHaveLength(2);
    const calls = h.events.filter((e) => e.type === "tool_call").map((e) => (e as { name: string }).name);
    expect(calls).toEqual(["bash", "fs_read", "fs_edit", "bash"]);
  });

  it("a patch that does not lower the failing tests is undone; the next round starts from the base and names it as tried", async () => {
    h = await startHarness({
      script: [reply("*"), reply("-"), { text: "Fixed." }],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const original = await readFile(join(h.workspace, "stats.js"), "utf8");
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("success");
    const [, r2, r3] = h.server.requests.map((r) => r.body);
    expect(toolNames(r2)).toEqual([]);
    const second = JSON.stringify(messagesOf(r2));
    expect(second).toContain("10 !== 8"); // the base's failure, not the wrong patch's
    expect(second).toContain("Math.max(...values) + Math.min"); // the base code
    expect(second).toContain("Already tried");
    expect(second).toContain("Math.max(...values) * Math.min(...values);` in stats.js");
    // the answer round's history leaves out the undone patch, its check and the undo
    expect(JSON.stringify(messagesOf(r3))).not.toContain("* Math.min");
    expect(h.server.requests).toHaveLength(3);
    const calls = h.events.filter((e) => e.type === "tool_call").map((e) => (e as { name: string }).name);
    expect(calls).toEqual(["bash", "fs_read", "fs_edit", "bash", "fs_write", "fs_edit", "bash"]);
    expect(await readFile(join(h.workspace, "stats.js"), "utf8")).toBe(
      original.replace(") + Math", ") - Math"),
    );
  });

  it("a patch reply the repetition detector cuts is hidden, the ladder climbs and the turn goes on", async () => {
    const loop = "  if (values.length === 0) return Math.max(...values) + 1;\n";
    h = await startHarness({
      script: [
        { text: ["```js\n", ...Array.from({ length: 12 }, () => loop)] },
        reply("-"),
        { text: "Fixed." },
      ],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("success");
    expect(h.events.some((e) => e.type === "early_stop" && e.detector === "repetition")).toBe(true);
    const [r1, r2] = h.server.requests.map((r) => messagesOf(r.body));
    expect(r2!.at(-1).content).not.toEqual(r1!.at(-1).content); // the next rung
    expect(JSON.stringify(messagesOf(h.server.requests[2]!.body))).not.toContain("values.length === 0");
  });

  it("when the ladder is used up the turn ends checks_failed and the file is as it was", async () => {
    h = await startHarness({
      script: [
        reply("*"),
        reply("*"),
        reply("/"),
        reply("+"),
        reply("*"),
        reply("%"),
        reply("/"),
        reply("+"),
      ],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const original = await readFile(join(h.workspace, "stats.js"), "utf8");
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("checks_failed");
    expect(turn.error).toMatch(/still fails after 8 patch rounds \(3 patches checked/);
    expect(await readFile(join(h.workspace, "stats.js"), "utf8")).toBe(original);
    // the repeated wrong patches are not checked again
    expect(h.events.filter((e) => e.type === "tool_call" && e.name === "bash")).toHaveLength(4);
    // one ask per rung: named, range alone, whole file, reason first; the model repeated a patch, so the ladder
    // is climbed a second time, sampled (LADDER_PASSES), and then the turn ends
    expect(h.server.requests).toHaveLength(8);
    expect(h.server.requests.slice(4).every((r) => r.body.temperature === 0.8)).toBe(true);
  });

  it("a reply that changes nothing is hidden from the model and the next rung asks differently; no usable patch ends stuck", async () => {
    h = await startHarness({
      script: [reply("+"), { text: "I think it is right." }, ...Array.from({ length: 10 }, () => reply("+"))],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("stuck");
    const stops = h.events
      .filter((e) => e.type === "early_stop")
      .map((e) => (e as { detector: string }).detector);
    expect(stops).toEqual(Array.from({ length: 11 }, () => "no_patch"));
    const [r1, r2, r3] = h.server.requests.map((r) => messagesOf(r.body));
    // the unchanged reply is not shown again (a model at temperature 0 would copy it), the ask changes
    expect(JSON.stringify(r2)).not.toContain("The range should subtract");
    expect(r2!.at(-1).content).not.toEqual(r1!.at(-1).content);
    expect(JSON.stringify(r2!.at(-1))).toContain("The bug is in range() of stats.js"); // the suspect alone
    // a patch round is one plain message: the prompt, the failure, the code as it is now, the ask; a reply
    // without code is not shown again, its correction leads the ask
    expect(r3).toHaveLength(2); // the system prompt and one user message
    expect(JSON.stringify(r3)).not.toContain("I think it is right.");
    expect(r3![1].content).toMatch(/^fix the failing test\n\n`node --test` fails:\n/);
    expect(r3![1].content).toContain("```javascript\nexport function range(values) {");
    expect(r3![1].content).toContain(
      "return Math.max(...values) + Math.min(...values); // <- this line is wrong\n}\n```\n\nReply with the fixed code in one code block. The line marked",
    );
    // rungs: named, range alone, its one code line, a reason first, the whole file; then a second pass, sampled,
    // where the line rung is asked twice (a copy says nothing about the line)
    expect(h.server.requests).toHaveLength(11);
    const asks = h.server.requests.map((r) => messagesOf(r.body)[1].content);
    expect(asks[7]).toBe(asks[2]); // the line rung again, in the second pass
    expect(asks[8]).toBe(asks[7]); // and once more after its copy
    // the first pass runs at the run's settings, the second samples, each round with its own seed
    const sampling = h.server.requests.map((r) => [r.body.temperature, r.body.seed]);
    expect(sampling.slice(0, 5).every(([t]) => t === undefined)).toBe(true);
    expect(sampling.slice(5).every(([t]) => t === 0.8)).toBe(true);
    expect(new Set(sampling.slice(5).map(([, seed]) => seed)).size).toBe(6);
    // the session keeps every reply
    expect(
      h.engine.history.filter((m) => m.role === "assistant" && JSON.stringify(m).includes("should subtract")),
    ).toHaveLength(10);
  });

  it("an implement task shows its tests with the stub and takes the whole file back", async () => {
    h = await startHarness({
      script: [{ text: "```js\nexport const double = (n) => n * 2;\n```" }, { text: "Implemented double." }],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeFile(
      join(h.workspace, "double.js"),
      "export const double = () => {\n  throw new Error('Remove this statement and implement this function');\n};\n",
    );
    await writeFile(
      join(h.workspace, "double.test.js"),
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { double } from "./double.js";\n\ntest("doubles", () => {\n  assert.equal(double(21), 42);\n});\n',
    );
    const turn = await h.engine.runTurn("Implement double in double.js so that double.test.js passes.");
    expect(turn.status).toBe("success");
    const first = messagesOf(h.server.requests[0]!.body).at(-1).content as string;
    expect(first).toContain("double.test.js:\n```javascript\nimport assert"); // the tests, shown
    expect(first.indexOf("double.test.js:")).toBeLessThan(first.indexOf("double.js:\n"));
    expect(first).toMatch(/Reply with the whole double\.js in one code block\.$/);
    expect(await readFile(join(h.workspace, "double.js"), "utf8")).toBe(
      "export const double = (n) => n * 2;\n",
    );
    // the test file was read for the model, never patched
    expect(h.events.filter((e) => e.type === "tool_call" && e.name === "fs_read")).toHaveLength(2);
  });

  it("a reply cut at the length limit is never placed, even when its code block would fit", async () => {
    h = await startHarness({
      script: [{ ...reply("-"), finishReason: "length" }, reply("-"), { text: "Fixed." }],
      arm: local,
      engine: { twoStage: "on", ...fixOptions },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("success");
    const edits = h.events.filter((e) => e.type === "tool_call" && e.name === "fs_edit");
    expect(edits).toHaveLength(1); // from the second, complete reply only
    expect(JSON.stringify(messagesOf(h.server.requests[1]!.body))).toContain("cut off at the length limit");
  });

  it("a check the permission gate denies turns the loop off and is not the model's denial", async () => {
    const gate: PermissionGate = {
      check: async (tool) =>
        tool.name === "bash" ? { allowed: false, message: "bash needs approval" } : { allowed: true },
    };
    h = await startHarness({
      script: [
        pick("write"),
        {
          toolCalls: [
            {
              name: "fs_edit",
              arguments: JSON.stringify({ path: "stats.js", old_string: ") + Math", new_string: ") - Math" }),
            },
          ],
        },
        pick("answer"),
        { text: "Fixed." },
        // owlet reminds the model once that it has not run anything since its change
        pick("answer"),
        { text: "Fixed, not run." },
      ],
      arm: local,
      engine: { twoStage: "on", ...fixOptions, gate },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test in stats.js");
    expect(h.events.some((e) => e.type === "warning" && /could not run the check/.test(e.message))).toBe(
      true,
    );
    expect(toolNames(h.server.requests[0]!.body)).toEqual(["select_category"]); // no failure seen: a normal pick
    expect(turn.permissionDenials ?? []).toEqual([]);
    expect(turn.status).toBe("success");
  });

  it("questions, cloud arms and two-stage off get no check", async () => {
    for (const setup of [
      { arm: local, engine: { twoStage: "on" as const, ...fixOptions, expectsChanges: () => false } },
      { arm: { local: false }, engine: fixOptions },
      { arm: local, engine: { twoStage: "off" as const, ...fixOptions } },
    ]) {
      h = await startHarness({ script: [pick("answer"), { text: "It subtracts." }], ...setup });
      await writeRepo(h.workspace);
      await h.engine.runTurn("fix the failing test");
      expect(h.events.some((e) => e.type === "tool_call" && e.name === "bash")).toBe(false);
      await h.close();
      h = undefined;
    }
  });
});

describe("a local arm's unchecked change: owlet runs the check after the answer", () => {
  /** The model's own edit of stats.js (two-stage off: a native call), then its answer. */
  const editThenAnswer = (op: string) => [
    { toolCalls: [{ name: "fs_read", arguments: JSON.stringify({ path: "stats.js" }) }] },
    {
      toolCalls: [
        {
          name: "fs_edit",
          arguments: JSON.stringify({
            path: "stats.js",
            old_string: ") + Math.min",
            new_string: `) ${op} Math.min`,
          }),
        },
      ],
    },
    { text: "Fixed range." },
  ];

  it("a wrong fix the model never tested ends checks_failed, with the model's answer as the text", async () => {
    h = await startHarness({
      script: editThenAnswer("*"),
      arm: local,
      engine: { twoStage: "off", ...fixOptions, checkAfterAnswer: true },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("checks_failed");
    expect(turn.text).toBe("Fixed range.");
    const calls = h.events.filter((e) => e.type === "tool_call").map((e) => (e as { name: string }).name);
    expect(calls).toEqual(["fs_read", "fs_edit", "bash"]);
    expect(h.server.requests).toHaveLength(3); // the check is owlet's, not a round
    // the history ends with the check's call and result, after the answer
    expect(h.engine.history.at(-1)!.role).toBe("user");
    expect(JSON.stringify(h.engine.history.at(-2))).toContain("node --test");
  });

  it("a turn that only ran some other command is checked too: still failing, it is not a success", async () => {
    h = await startHarness({
      script: [
        {
          toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "echo range | node stats.js" }) }],
        },
        { text: "Done." },
      ],
      arm: local,
      engine: { twoStage: "off", ...fixOptions, checkAfterAnswer: true },
    });
    await writeRepo(h.workspace);
    const turn = await h.engine.runTurn("fix the failing test");
    expect(turn.status).toBe("checks_failed");
    expect(turn.error).toMatch(/the check owlet ran after its answer failed: `node --test`/);
  });

  it("a right fix ends success; a change already tested, a cloud arm or a question gets no extra check", async () => {
    h = await startHarness({
      script: editThenAnswer("-"),
      arm: local,
      engine: { twoStage: "off", ...fixOptions, checkAfterAnswer: true },
    });
    await writeRepo(h.workspace);
    expect((await h.engine.runTurn("fix the failing test")).status).toBe("success");
    expect(h.events.filter((e) => e.type === "tool_call" && e.name === "bash")).toHaveLength(1);
    await h.close();

    const tested = editThenAnswer("-");
    tested.splice(2, 0, {
      toolCalls: [{ name: "bash", arguments: JSON.stringify({ command: "node --test" }) }],
    });
    for (const setup of [
      {
        script: tested,
        arm: local,
        engine: { twoStage: "off" as const, ...fixOptions, checkAfterAnswer: true },
      },
      {
        script: editThenAnswer("*"),
        arm: { local: false },
        engine: { twoStage: "off" as const, ...fixOptions, checkAfterAnswer: true },
      },
      {
        script: editThenAnswer("*"),
        arm: local,
        engine: {
          twoStage: "off" as const,
          ...fixOptions,
          checkAfterAnswer: true,
          expectsChanges: () => false,
        },
      },
    ]) {
      h = await startHarness(setup);
      await writeRepo(h.workspace);
      await h.engine.runTurn("fix the failing test");
      const bash = h.events.filter((e) => e.type === "tool_call" && e.name === "bash");
      expect(bash).toHaveLength(setup.script === tested ? 1 : 0);
      await h.close();
    }
    h = undefined;
  });
});

function pick(category: string) {
  return { toolCalls: [{ name: "select_category", arguments: JSON.stringify({ category }) }] };
}
