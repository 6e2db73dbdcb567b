import { describe, expect, it } from "vitest";
import { codeBlocks, definedNames, definitionSlice, placeCodeBlock } from "./code-block.ts";

const STATS = `import { clamp } from "./util.js";

/** Sum of an array of numbers. */
export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/** Difference between the largest and the smallest value. */
export function range(values) {
  const max = Math.max(...values);
  const min = Math.min(...values);
  return max + min;
}

export const double = (x) => x * 3;
`;

const PY = `import math


class History:
    def __init__(self):
        self.items = []

    def latest(self):
        return self.items[0]


def area(r):
    """Area of a circle."""
    return math.pi * r * 2
`;

describe("codeBlocks", () => {
  it("finds fenced blocks with their info strings, an unterminated last one included", () => {
    const text = "Here:\n```js stats.js\nconst a = 1;\n```\nand\n~~~\nx = 2\n~~~\n```py\ny = 3\n";
    expect(codeBlocks(text)).toEqual([
      { info: "js stats.js", body: "const a = 1;" },
      { info: "", body: "x = 2" },
      { info: "py", body: "y = 3" },
    ]);
    expect(codeBlocks("no code here")).toEqual([]);
  });
});

describe("placeCodeBlock", () => {
  it("replaces a JS function of the same name and keeps everything else", () => {
    const block =
      "export function range(values) {\n  const max = Math.max(...values);\n  const min = Math.min(...values);\n  return max - min;\n}";
    const placed = placeCodeBlock(STATS, block, "js");
    expect(placed?.kind).toBe("definitions");
    expect(placed?.content).toBe(STATS.replace("max + min", "max - min"));
  });

  it("a doc comment in the block replaces the one above the function instead of doubling it", () => {
    const block =
      "/** Difference between the largest and the smallest value. */\nexport function range(values) {\n  return Math.max(...values) - Math.min(...values);\n}";
    const content = placeCodeBlock(STATS, block, "js")!.content;
    expect(content.match(/Difference between/g)).toHaveLength(1);
    expect(content).toContain("return Math.max(...values) - Math.min(...values);");
    expect(content).toContain("export function sum(values)");
  });

  it("replaces a one-line arrow binding", () => {
    const placed = placeCodeBlock(STATS, "export const double = (x) => x * 2;", "js");
    expect(placed?.content).toBe(STATS.replace("x * 3", "x * 2"));
  });

  it("a block that restates the whole file replaces it whole", () => {
    const whole = STATS.replace("max + min", "max - min").replace("x * 3", "x * 2");
    const placed = placeCodeBlock(STATS, whole.trimEnd(), "js");
    expect(placed?.kind).toBe("whole");
    expect(placed?.content).toBe(whole);
  });

  it("a Python method is placed inside its class, re-indented from the block's indentation", () => {
    const placed = placeCodeBlock(PY, "def latest(self):\n    return self.items[-1]", "py");
    expect(placed?.content).toBe(PY.replace("self.items[0]", "self.items[-1]"));
  });

  it("a Python function block keeps the imports above it (a file's only top-level function is not the file)", () => {
    const src = "import math\n\n\ndef area(r):\n    return math.pi * r * 2\n";
    const placed = placeCodeBlock(src, "def area(r):\n    return math.pi * r ** 2", "py");
    expect(placed?.content).toBe("import math\n\n\ndef area(r):\n    return math.pi * r ** 2\n");
  });

  it("a short fragment replaces the line it resembles most; an unlike one is not placed", () => {
    const placed = placeCodeBlock(STATS, "  return max - min;", "js");
    expect(placed).toEqual({ kind: "lines", content: STATS.replace("max + min", "max - min"), line: 12 });
    expect(placeCodeBlock(STATS, "console.log('hello world')", "js")).toBeUndefined();
  });

  it("line numbers copied from fs_read output are not written into the file", () => {
    const block = "    10\texport function range(values) {\n    11\t  return 0;\n    12\t}";
    const content = placeCodeBlock(STATS, block, "js")!.content;
    expect(content).toContain("export function range(values) {\n  return 0;\n}");
    expect(content).not.toMatch(/^\s+\d+\t/m);
  });

  it("gives the file back unchanged when the block is what the file has (the caller reports it)", () => {
    const block = "export const double = (x) => x * 3;";
    expect(placeCodeBlock(STATS, block, "js")?.content).toBe(STATS);
  });

  it("a block whose functions the file does not have is not placed", () => {
    expect(placeCodeBlock(STATS, "function other() {\n  return 1;\n}", "js")).toBeUndefined();
  });
});

describe("placeCodeBlock keeps what small models drop", () => {
  it("a JS function keeps the file's export when the block leaves it out", () => {
    const block =
      "/** Difference between the largest and the smallest value. */\nfunction range(values) {\n  return 0;\n}";
    expect(placeCodeBlock(STATS, block, "js")!.content).toContain(
      "*/\nexport function range(values) {\n  return 0;\n}",
    );
  });
});

describe("definedNames", () => {
  it("lists functions, classes, methods and bindings once, in order", () => {
    expect(definedNames(STATS, "js")).toEqual(["sum", "range", "max", "min", "double"]);
    expect(definedNames(PY, "py")).toEqual(["History", "__init__", "latest", "area"]);
  });
});

describe("definitionSlice", () => {
  const files = [
    {
      path: "shop/shipping.py",
      text: 'from shop.order import total_weight\n\nTIERS = [\n    (500, 3.5),\n    (2000, 6.0),\n]\nUNUSED = 1\n\n\ndef shipping_cost(items):\n    """Price."""\n    weight = total_weight(items)\n    return [p for limit, p in TIERS if weight <= limit][0]\n\n\ndef other():\n    return 2\n',
    },
    {
      path: "shop/order.py",
      text: "from shop.units import to_grams\n\n\ndef total_weight(items):\n    return sum(to_grams(q, u) for _, q, u in items)\n",
    },
    {
      path: "shop/units.py",
      text: 'GRAMS_PER = {"g": 1}\n\n\ndef to_grams(q, unit):\n    return q / GRAMS_PER[unit]\n',
    },
  ];

  it("gives the function with the constants and helpers it uses, two levels deep, across files", () => {
    const slice = definitionSlice(files, "shipping_cost", "shop/shipping.py");
    expect(slice).toEqual([
      {
        path: "shop/shipping.py",
        text: 'TIERS = [\n    (500, 3.5),\n    (2000, 6.0),\n]\n\ndef shipping_cost(items):\n    """Price."""\n    weight = total_weight(items)\n    return [p for limit, p in TIERS if weight <= limit][0]',
      },
      {
        path: "shop/order.py",
        text: "def total_weight(items):\n    return sum(to_grams(q, u) for _, q, u in items)",
      },
      { path: "shop/units.py", text: "def to_grams(q, unit):\n    return q / GRAMS_PER[unit]" },
    ]);
    // from the helper, its own constant is in reach
    expect(definitionSlice(files, "total_weight", "shop/order.py")?.at(-1)?.text).toContain(
      'GRAMS_PER = {"g": 1}',
    );
    expect(definitionSlice(files, "missing", "shop/order.py")).toBeUndefined();
  });

  it("a method is sliced alone (not its class), with the top-level definitions it uses", () => {
    const history = {
      path: "history.py",
      text: 'LIMIT = 100\n\n\nclass History:\n    def __init__(self):\n        self.items = []\n\n    def add(self, command):\n        """Records a command."""\n        self.items.insert(0, command)\n        if len(self.items) > LIMIT:\n            self.items.pop(0)\n\n    def latest(self):\n        return self.items[-1]\n',
    };
    expect(definitionSlice([history], "add", "history.py")).toEqual([
      {
        path: "history.py",
        text: 'LIMIT = 100\n\n    def add(self, command):\n        """Records a command."""\n        self.items.insert(0, command)\n        if len(self.items) > LIMIT:\n            self.items.pop(0)',
      },
    ]);
  });

  it("a Python module-level binding is a definition a reply can replace by name", () => {
    const placed = placeCodeBlock(files[2]!.text, 'GRAMS_PER = {"g": 1, "kg": 1000}', "py");
    expect(placed?.kind).toBe("definitions");
    expect(placed?.content).toContain('GRAMS_PER = {"g": 1, "kg": 1000}\n\n\ndef to_grams');
  });
});
