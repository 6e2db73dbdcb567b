/**
 * One behaviour test per format family of issue 14 (the corpus holds the real outputs; these pin the
 * shapes down, including the ones the corpus has few of), plus the negatives and the cut rule.
 */
import { describe, expect, it } from "vitest";
import { parseToolCalls } from "./parse.ts";

const tools = ["get_weather", "get_time", "read_file", "bash"];

function parsed(text: string, opts: { cut?: boolean } = {}, known = tools) {
  const result = parseToolCalls(text, known, opts);
  return {
    text: result.text,
    calls: result.calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown })),
  };
}

const weather = (city: string) => ({ name: "get_weather", args: { city } });

describe("parseToolCalls: server and model families", () => {
  it("reads DeepSeek V3 (fenced JSON after the name) and V3.1 (JSON after the separator)", () => {
    const v3 =
      '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Tokyo"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>';
    expect(parsed(v3)).toEqual({ text: "", calls: [weather("Tokyo")] });
    const v31 =
      'Sure.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{"city":"Oslo"}<｜tool▁call▁end｜><｜tool▁call▁begin｜>get_time<｜tool▁sep｜>{}<｜tool▁call▁end｜><｜tool▁calls▁end｜>';
    expect(parsed(v31)).toEqual({ text: "Sure.", calls: [weather("Oslo"), { name: "get_time", args: {} }] });
  });

  it("reads DeepSeek V3.2 DSML, MiniMax-M2 and Step-3 <invoke> blocks", () => {
    expect(
      parsed(
        '<｜DSML｜function_calls>\n<｜DSML｜invoke name="get_weather">\n<｜DSML｜parameter name="city" string="true">Rome</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜function_calls>',
      ).calls,
    ).toEqual([weather("Rome")]);
    expect(
      parsed(
        '<minimax:tool_call>\n<invoke name="get_weather">\n<parameter name="city">Lima</parameter>\n</invoke>\n<invoke name="bash">\n<parameter name="command">ls -la</parameter>\n</invoke>\n</minimax:tool_call>',
      ).calls,
    ).toEqual([weather("Lima"), { name: "bash", args: { command: "ls -la" } }]);
    expect(
      parsed(
        '<｜tool_calls_begin｜><｜tool_call_begin｜><steptml:invoke name="get_weather"><steptml:parameter name="city">Kyiv</steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_calls_end｜>',
      ).calls,
    ).toEqual([weather("Kyiv")]);
  });

  it("reads Kimi-K2 sections and GLM <arg_key>/<arg_value> pairs", () => {
    const kimi =
      '<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0 <|tool_call_argument_begin|>{"city": "Paris"}<|tool_call_end|><|tool_call_begin|>functions.get_time:1 <|tool_call_argument_begin|>{}<|tool_call_end|><|tool_calls_section_end|>';
    expect(parsed(kimi).calls).toEqual([weather("Paris"), { name: "get_time", args: {} }]);
    const glm = "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Bern</arg_value>\n</tool_call>";
    expect(parsed(glm)).toEqual({ text: "", calls: [weather("Bern")] });
    expect(parsed("<tool_call>get_time\n</tool_call>").calls).toEqual([{ name: "get_time", args: {} }]);
  });

  it("reads JSON families: Granite, Granite-20B-FC, Jamba/Hunyuan/MiniMax-M1, InternLM, Apertus, Nemotron, GigaChat", () => {
    const cases: [string, unknown[]][] = [
      ['<|tool_call|> [{"name": "get_weather", "arguments": {"city": "A"}}]', [weather("A")]],
      [
        '<function_call> {"name": "get_weather", "arguments": {"city": "B"}}\n<function_call> {"name": "get_weather", "arguments": {"city": "C"}}',
        [weather("B"), weather("C")],
      ],
      ['<tool_calls>[{"name": "get_weather", "arguments": {"city": "D"}}]</tool_calls>', [weather("D")]],
      [
        '<tool_calls>\n{"name": "get_weather", "arguments": {"city": "E"}}\n{"name": "get_weather", "arguments": {"city": "F"}}\n</tool_calls>',
        [weather("E"), weather("F")],
      ],
      [
        '<|action_start|><|plugin|>{"name": "get_weather", "parameters": {"city": "G"}}<|action_end|>',
        [weather("G")],
      ],
      ['<|tools_prefix|>[{"get_weather": {"city": "H"}}]<|tools_suffix|>', [weather("H")]],
      ['<TOOLCALL>[{"name": "get_weather", "arguments": {"city": "I"}}]</TOOLCALL>', [weather("I")]],
      ['<|function_call|>{"name": "get_weather", "arguments": {"city": "J"}}', [weather("J")]],
    ];
    for (const [text, calls] of cases) expect(parsed(text).calls, text).toEqual(calls);
  });

  it("reads pythonic calls: bare lists at a line start, Llama-4 <|python_start|>, Olmo-3 <function_calls>", () => {
    expect(parsed("[get_weather(city='LA'), get_time()]")).toEqual({
      text: "",
      calls: [weather("LA"), { name: "get_time", args: {} }],
    });
    expect(parsed("<|python_start|>[get_weather(city='NY')]<|python_end|>").calls).toEqual([weather("NY")]);
    expect(parsed("<function_calls>get_weather(city='SF')\nget_time()</function_calls>").calls).toEqual([
      weather("SF"),
      { name: "get_time", args: {} },
    ]);
  });

  it("reads FunctionGemma and harmony (gpt-oss), dropping harmony headers from the text", () => {
    expect(
      parsed("<start_function_call>call:get_weather{city:<escape>Rio<escape>}<end_function_call>").calls,
    ).toEqual([weather("Rio")]);
    const harmony =
      '<|channel|>analysis<|message|>Need weather.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city": "Doha"}<|call|>';
    expect(parsed(harmony)).toEqual({ text: "Need weather.", calls: [weather("Doha")] });
  });
});

describe("parseToolCalls: generic shapes", () => {
  it("reads tool-named tags with JSON, child tags or nothing, and <tool_name>/<arguments> pairs", () => {
    expect(parsed('<bash>{"command": "ls"}</bash>').calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(parsed("<read_file>\n<path>src/a.ts</path>\n</read_file>").calls).toEqual([
      { name: "read_file", args: { path: "src/a.ts" } },
    ]);
    expect(
      parsed('<tool_call><tool_name>read_file</tool_name><arguments>{"path": "b"}</arguments></tool_call>')
        .calls,
    ).toEqual([{ name: "read_file", args: { path: "b" } }]);
    expect(parsed('<tool name="read_file"><path>c</path></tool>').calls).toEqual([
      { name: "read_file", args: { path: "c" } },
    ]);
  });

  it("reads invented wrappers and bracketed pseudo-calls", () => {
    expect(parsed('<toolcall><bash>{"command":"pwd"}</bash></toolcall>').calls).toEqual([
      { name: "bash", args: { command: "pwd" } },
    ]);
    expect(
      parsed('[TOOL_REQUEST]\n{"name": "bash", "arguments": {"command": "ls"}}\n[END_TOOL_REQUEST]').calls,
    ).toEqual([{ name: "bash", args: { command: "ls" } }]);
    expect(parsed("[TOOL]\ntool: bash\ncommand: make test\n[/TOOL]").calls).toEqual([
      { name: "bash", args: { command: "make test" } },
    ]);
    expect(
      parsed(
        "<<<[TOOL_REQUEST]>>>\ntool_name:「始」bash「末」,\ncommand:「始」ls「末」\n<<<[END_TOOL_REQUEST]>>>",
      ).calls,
    ).toEqual([{ name: "bash", args: { command: "ls" } }]);
    expect(parsed('[Calling tool: bash | Arguments: {"command": "ls"}]').calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(parsed('Reading. [calling tool: read_file({"path": "a"})]').calls).toEqual([
      { name: "read_file", args: { path: "a" } },
    ]);
    expect(parsed("See [Calling tool docs](x).").calls).toEqual([]);
  });

  it("extracts every call of a message, in order, across formats", () => {
    const text =
      'First.\n<tool_call>{"name": "get_weather", "arguments": {"city": "A"}}</tool_call>\nThen:\n[get_weather(city="B")]\n```xml\n<function=get_weather>\n<parameter=city>\nC\n</parameter>\n</function>\n```\nDone.';
    expect(parsed(text)).toEqual({
      text: "First.\n\nThen:\n\nDone.",
      calls: [weather("A"), weather("B"), weather("C")],
    });
  });

  it("reads a name tag followed by parameter tags, and ReAct Action / Action Input lines", () => {
    expect(parsed("<tool_call>\n<tool>read_file</tool>\n<path>a.txt</path>\n</tool_call>").calls).toEqual([
      { name: "read_file", args: { path: "a.txt" } },
    ]);
    expect(
      parsed('Thought: I need the file.\nAction: read_file\nAction Input: {"path": "b.txt"}\nObservation:'),
    ).toEqual({
      text: "Thought: I need the file.\n\nObservation:",
      calls: [{ name: "read_file", args: { path: "b.txt" } }],
    });
  });

  it("ignores calls inside a closed <think> block but keeps one in reasoning that never closes", () => {
    const thinking =
      '<think>Maybe <tool_call>{"name": "bash", "arguments": {"command": "rm -r x"}}</tool_call>? No.</think>\nReading.\n<tool_call>{"name": "read_file", "arguments": {"path": "a"}}</tool_call>';
    expect(parsed(thinking).calls).toEqual([{ name: "read_file", args: { path: "a" } }]);
    expect(
      parsed('<think>Call it.\n<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>')
        .calls,
    ).toEqual([{ name: "bash", args: { command: "ls" } }]);
  });

  it("reads a Python block that holds nothing but calls, Functionary >>> calls and v2 recipients", () => {
    expect(parsed("```python\nread_file(path='a.txt')\n```").calls).toEqual([
      { name: "read_file", args: { path: "a.txt" } },
    ]);
    expect(parsed('get_weather\n{"city": "SF"}>>>get_time\n{}').calls).toEqual([
      weather("SF"),
      { name: "get_time", args: {} },
    ]);
    expect(parsed('<|from|>assistant\n<|recipient|>get_weather\n<|content|>{"city": "Oslo"}').calls).toEqual([
      weather("Oslo"),
    ]);
  });

  it("reads a call right after a <think> block and a shell-style line", () => {
    expect(
      parsed('<think>Need a file.</think>{"name": "read_file", "arguments": {"path": "a"}}').calls,
    ).toEqual([{ name: "read_file", args: { path: "a" } }]);
    expect(parsed('read_file path="C:\\Users\\me\\a.txt"').calls).toEqual([
      { name: "read_file", args: { path: "C:\\Users\\me\\a.txt" } },
    ]);
  });

  it("reads a fenced call after ordinary assistant prose", () => {
    expect(
      parsed(
        'It looks like your config is missing. Let me read it:\n```json\n{"name": "read_file", "arguments": {"path": "c.json"}}\n```',
      ).calls,
    ).toEqual([{ name: "read_file", args: { path: "c.json" } }]);
  });

  it("leaves examples for the user, prose and code alone", () => {
    const negatives = [
      'You can call it like this:\n\n```json\n{"name": "bash", "arguments": {"command": "ls"}}\n```',
      "For example, <read_file><path>a.txt</path></read_file> reads a file.",
      "If a < b and c > d then [x] holds; see {braces}.",
      "I ran read_file(path='a.txt') before.",
      "In Python you would write:\n```python\nbash(command='ls')\n```",
      "```python\nimport os\nbash(command='ls')\n```",
      "Use <toolcall> tags only when asked.",
      '<tools>\n{"type": "function", "function": {"name": "bash", "description": "Run", "parameters": {"type": "object", "properties": {"command": {"type": "string"}}}}}\n</tools>',
      "Action: bash\nAction Input: whatever you like",
    ];
    for (const text of negatives) expect(parsed(text), text).toEqual({ text, calls: [] });
  });

  it("does not return a call cut off at the end when the text was cut (max tokens)", () => {
    const partial = 'Writing.\n<tool_call>{"name": "bash", "arguments": {"command": "echo hel';
    expect(parsed(partial, { cut: true })).toEqual({ text: partial, calls: [] });
    expect(parsed(partial).calls).toEqual([{ name: "bash", args: { command: "echo hel" } }]);
    const complete = '<tool_call>{"name": "bash", "arguments": {"command": "ls"}}';
    expect(parsed(complete, { cut: true }).calls).toEqual([{ name: "bash", args: { command: "ls" } }]);
  });
});
