import { describe, expect, it } from "vitest";
import { workspaceWith } from "../tool/test-helpers.ts";
import {
  calledNames,
  failingCount,
  failingTestNames,
  implicatedFiles,
  isTestFile,
  passingCount,
  rankSuspects,
  summariseCheckOutput,
} from "./check-output.ts";

/** node --test's spec output for one failing test (Node 24), paths under `root`. */
const nodeOutput = (root: string) => `✔ sum adds all values (1.06ms)
✖ range is max minus min (1.03ms)
ℹ tests 2
ℹ pass 1
ℹ fail 1

✖ failing tests:

test at stats.test.js:4:1
✖ range is max minus min (1.03ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

  10 !== 8

      at TestContext.<anonymous> (file://${root}/stats.test.js:5:10)
      at Test.runInAsyncScope (node:async_hooks:227:14)
      at Test.run (node:internal/test_runner/test:1402:25) {
    generatedMessage: true,
    code: 'ERR_ASSERTION',
    actual: 10,
    expected: 8,
    operator: 'strictEqual',
    diff: 'simple'
  }`;

describe("summariseCheckOutput", () => {
  it("keeps node's failure section with counts, relative paths and the failing source line; drops runtime frames", async () => {
    const root = await workspaceWith({
      "stats.test.js":
        'import { range } from "./stats.js";\nimport { test } from "node:test";\n\ntest("range", () => {\n  assert.equal(range([3, 9, 1]), 8);\n});\n',
    });
    const s = await summariseCheckOutput(nodeOutput(root), root);
    expect(s).toMatch(/^✖ failing tests:/);
    expect(s).toContain("10 !== 8");
    expect(s).toContain("(stats.test.js:5:10)\n        > assert.equal(range([3, 9, 1]), 8);");
    expect(s).toContain("ℹ fail 1");
    expect(s).not.toContain(root);
    expect(s).not.toContain("node:internal");
    expect(s).not.toContain("generatedMessage");
    expect(s).not.toContain("✔ sum adds");
  });

  it("keeps unittest's failure blocks and drops frames outside the workspace", async () => {
    const root = "/work/repo";
    const out = `.F
======================================================================
FAIL: test_area (test_circle.T.test_area)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/work/repo/test_circle.py", line 6, in test_area
    self.assertAlmostEqual(area(1), 3.14159, 4)
  File "/usr/lib/python3.12/unittest/case.py", line 900, in assertAlmostEqual
    raise self.failureException(msg)
AssertionError: 6.283 != 3.14159 within 4 places

----------------------------------------------------------------------
Ran 2 tests in 0.001s

FAILED (failures=1)`;
    const s = await summariseCheckOutput(out, root);
    expect(s).toMatch(/^=+\nFAIL: test_area/);
    expect(s).toContain('File "test_circle.py", line 6');
    expect(s).not.toContain("unittest/case.py");
    expect(s).not.toContain("raise self.failureException");
    expect(s).toContain("FAILED (failures=1)");
  });

  it("keeps head and tail of a long output within the limit", async () => {
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n");
    const s = await summariseCheckOutput(long, "/nowhere", 500);
    expect(s.length).toBeLessThan(600);
    expect(s).toContain("line 0");
    expect(s).toContain("line 1999");
    expect(s).toMatch(/characters omitted/);
  });
});

describe("implicatedFiles", () => {
  it("finds the code a failing test imports, one level further, and the tests named", async () => {
    const root = await workspaceWith({
      "test/table.test.js": 'import { parseTable } from "../src/table.js";\n',
      "src/table.js": 'import { splitLine } from "./csv.js";\nexport const parseTable = () => splitLine();\n',
      "src/csv.js": "export const splitLine = () => [];\n",
      "src/unused.js": "",
    });
    const found = await implicatedFiles(
      "test at test/table.test.js:14:1\n  at f (test/table.test.js:16:10)",
      root,
    );
    expect(found).toEqual({ sources: ["src/table.js", "src/csv.js"], tests: ["test/table.test.js"] });
  });

  it("follows Python imports of workspace modules, not of the standard library", async () => {
    const root = await workspaceWith({
      "tests/test_loader.py": "import unittest\nfrom settings.loader import load\n",
      "settings/loader.py": "from settings.merge import merge\n",
      "settings/merge.py": "",
    });
    const found = await implicatedFiles('  File "tests/test_loader.py", line 15, in test_x', root);
    expect(found).toEqual({
      sources: ["settings/loader.py", "settings/merge.py"],
      tests: ["tests/test_loader.py"],
    });
  });

  it("follows imports three levels deep, past a barrel that only re-exports, which is not listed", async () => {
    const root = await workspaceWith({
      "test/schedule.test.js": 'import { dueDate } from "../src/index.js";\n',
      "src/index.js":
        '// the public API\nexport { dueDate } from "./schedule.js";\nexport * from "./extra.js";\n',
      "src/schedule.js": 'import { addDays } from "./dates.js";\nexport const dueDate = () => addDays();\n',
      "src/extra.js": "export const extra = 1;\n",
      "src/dates.js": 'import { DAY } from "./units.js";\nexport const addDays = () => DAY;\n',
      "src/units.js": "export const DAY = 1;\n",
    });
    const found = await implicatedFiles("test at test/schedule.test.js:3:1", root);
    // test → index (barrel) → schedule, extra → dates; units is a fourth level
    expect(found.sources).toEqual(["src/schedule.js", "src/extra.js", "src/dates.js"]);
  });

  it("counts failing tests in node, unittest, pytest and jest/vitest output", () => {
    expect(failingCount("ℹ tests 4\nℹ pass 2\nℹ fail 2\n")).toBe(2);
    expect(failingCount("Ran 3 tests in 0.001s\n\nFAILED (failures=1, errors=2)\n")).toBe(3);
    expect(failingCount("Ran 3 tests in 0.001s\n\nOK\n")).toBe(0);
    expect(failingCount("==== 1 failed, 2 passed, 1 error in 0.12s ====\n")).toBe(2);
    expect(failingCount("==== 3 passed in 0.12s ====\n")).toBe(0);
    expect(failingCount("Tests:       1 failed, 3 passed, 4 total\n")).toBe(1);
    expect(failingCount("      Tests  4 passed (4)\n")).toBe(0);
    expect(failingCount("something else entirely")).toBeUndefined();
  });

  it("passingCount reads node, unittest, pytest and jest summaries", () => {
    expect(passingCount("ℹ tests 4\nℹ pass 2\nℹ fail 2\n")).toBe(2);
    expect(passingCount("Ran 3 tests in 0.001s\n\nFAILED (failures=1)\n")).toBe(2);
    expect(passingCount("Ran 3 tests in 0.001s\n\nOK\n")).toBe(3);
    expect(passingCount("==== 1 failed, 2 passed in 0.12s ====\n")).toBe(2);
    expect(passingCount("==== 2 failed in 0.12s ====\n")).toBe(0);
    expect(passingCount("Tests:       1 failed, 3 passed, 4 total\n")).toBe(3);
    expect(passingCount("something else entirely")).toBeUndefined();
  });

  it("isTestFile knows the usual names", () => {
    expect(
      ["a.test.js", "b.spec.ts", "test.js", "test_c.py", "c_test.py", "tests/helpers.py"].every(isTestFile),
    ).toBe(true);
    expect(["stats.js", "testing.py", "src/contest.js"].some(isTestFile)).toBe(false);
  });
});

describe("calledNames", () => {
  it("names the calls of failing source lines and the functions of stack frames, in order, once", () => {
    const node =
      "  at loadConfig (config.js:13:28)\n    > return withDefaults(JSON.parse(text));\n  at TestContext.<anonymous> (config.test.js:16:26)\n    > assert.equal(progress(3, 12), 25);";
    expect(calledNames(node)).toEqual(["loadConfig", "withDefaults", "parse", "equal", "progress"]);
    const py =
      '  File "test_discount.py", line 8, in test_apply_discount\n    self.assertEqual(apply_discount(200, 25), 150)\nAssertionError: 250.0 != 150';
    expect(calledNames(py)).toEqual(["assertEqual", "apply_discount"]);
  });
});

describe("failingTestNames and rankSuspects", () => {
  it("reads the failing tests of node, unittest and pytest output", () => {
    expect(
      failingTestNames("✖ failing tests:\n\ntest at a.test.js:3:1\n✖ range is max minus min (1.03ms)\n"),
    ).toEqual(["range is max minus min"]);
    expect(failingTestNames("FAIL: test_area (test_c.T.test_area)\nERROR: test_x (test_c.T.test_x)")).toEqual(
      ["test_area", "test_x"],
    );
    expect(failingTestNames("FAILED tests/test_a.py::T::test_y - assert 1 == 2")).toEqual(["test_y"]);
  });

  it("ranks first the function the failing tests call and the passing ones do not (Ochiai)", async () => {
    const root = await workspaceWith({
      "test_filters.py": [
        "class T(unittest.TestCase):",
        "    def test_only_active(self):",
        "        self.assertEqual(names(only_active(USERS)), ['ann'])",
        "    def test_adults(self):",
        "        self.assertEqual(names(adults(USERS)), ['ann'])",
        "    def test_active_adults(self):",
        "        self.assertEqual(names(adults(only_active(USERS))), ['ann'])",
        "    def test_names(self):",
        "        self.assertEqual(names(USERS), ['ann'])",
      ].join("\n"),
    });
    const summary =
      "  File \"test_filters.py\", line 7, in test_active_adults\n    self.assertEqual(names(adults(only_active(USERS))), ['ann'])\n" +
      "FAIL: test_active_adults (test_filters.T.test_active_adults)\nFAIL: test_only_active (test_filters.T.test_only_active)";
    const defined = new Map(["only_active", "adults", "names", "unused"].map((n) => [n, "filters.py"]));
    const ranked = await rankSuspects(summary, ["test_filters.py"], defined, root);
    expect([...ranked.keys()]).toEqual(["only_active", "names", "adults"]);
    // without test files to score, the order of the calls in the output
    const unscored = await rankSuspects(summary, [], defined, root);
    expect([...unscored.keys()]).toEqual(["names", "adults", "only_active"]);
  });
});
