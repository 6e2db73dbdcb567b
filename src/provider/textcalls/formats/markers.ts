/**
 * The markers that open a call region, by family. `token: true` markers are special tokens compared by
 * canonical name (tokens.ts), so `<｜tool▁calls▁begin｜>` and `<|tool_calls_begin|>` are one marker.
 * Sources: vLLM's tool parsers (`vllm/tool_parsers/*_tool_parser.py`) and llama.cpp's chat parsers
 * (`common/chat.cpp`, `common/chat-parser*.cpp`), as noted per entry; the others come from model
 * outputs quoted in public issues (see test/data/textcalls/corpus.json for the items).
 */

/** A region closed by a tag or token. */
export interface ClosedMarker {
  family: string;
  open: string;
  close: string[];
  token?: boolean;
}

/** A region with no closing marker: the items that follow the opener. */
export interface OpenMarker {
  family: string;
  open: string;
  token?: boolean;
  requireArgs?: boolean;
}

/** Longest first where one opener is a prefix of another. */
export const CLOSED_MARKERS: readonly ClosedMarker[] = [
  // Hermes/Qwen2.5/Qwen3/Granite-4/ERNIE-4.5/GLM-4.5/Hunyuan (vLLM hermes, glm4_moe, ernie45, …).
  { family: "hermes", open: "<tool_call>", close: ["</tool_call>"] },
  // Jamba, Hunyuan-A13B, MiniMax-M1, Apriel (vLLM jamba, hunyuan_a13b, minimax).
  { family: "tool_calls_tag", open: "<tool_calls>", close: ["</tool_calls>"] },
  // Nemotron-Nano-v2 (llama.cpp) and nemotron-mini (ollama/ollama#8287).
  { family: "nemotron", open: "<TOOLCALL>", close: ["</TOOLCALL>"] },
  { family: "nemotron", open: "<toolcall>", close: ["</toolcall>"] },
  // Olmo-3 (vLLM olmo3) and Claude-style `<function_calls><invoke …>`.
  { family: "function_calls", open: "<function_calls>", close: ["</function_calls>"] },
  { family: "longcat", open: "<longcat_tool_call>", close: ["</longcat_tool_call>"] },
  { family: "seed_oss", open: "<seed:tool_call>", close: ["</seed:tool_call>"] },
  { family: "minimax_m2", open: "<minimax:tool_call>", close: ["</minimax:tool_call>"] },
  { family: "deepseek_v32", open: "<｜DSML｜function_calls>", close: ["</｜DSML｜function_calls>"] },
  // Gemma 4 (vLLM gemma4).
  { family: "gemma4", open: "<|tool_call>", close: ["<tool_call|>"] },
  // FunctionGemma (vLLM functiongemma).
  { family: "functiongemma", open: "<start_function_call>", close: ["<end_function_call>"] },
  { family: "tool_use", open: "<tool_use>", close: ["</tool_use>"] },
  // VCPToolBox's text protocol (`key:「始」value「末」` bodies, formats/keyvalue.ts).
  { family: "bracket", open: "<<<[TOOL_REQUEST]>>>", close: ["<<<[END_TOOL_REQUEST]>>>"] },
  // LM Studio's text protocol and bracketed pseudo-calls.
  { family: "bracket", open: "[TOOL_REQUEST]", close: ["[END_TOOL_REQUEST]"] },
  { family: "bracket", open: "[TOOL_CALL]", close: ["[/TOOL_CALL]", "[END_TOOL_CALL]"] },
  { family: "bracket", open: "[tool_call]", close: ["[/tool_call]", "[end_tool_call]"] },
  { family: "bracket", open: "[FUNCTION_CALL]", close: ["[/FUNCTION_CALL]"] },
  // DeepSeek-V3/V3.1/R1 and Step-3 (`<｜tool_calls_begin｜>`) (vLLM deepseekv3/v31, step3).
  { family: "deepseek", open: "tool_calls_begin", close: ["tool_calls_end"], token: true },
  // Kimi-K2 (vLLM kimi_k2).
  { family: "kimi_k2", open: "tool_calls_section_begin", close: ["tool_calls_section_end"], token: true },
  { family: "kimi_k2", open: "tool_call_begin", close: ["tool_call_end"], token: true },
  // LFM2 (llama.cpp, vLLM lfm2).
  { family: "lfm2", open: "tool_call_start", close: ["tool_call_end"], token: true },
  // Apertus (vLLM apertus, llama.cpp).
  { family: "apertus", open: "tools_prefix", close: ["tools_suffix"], token: true },
  // InternLM2 (vLLM internlm2): `<|action_start|><|plugin|>{…}<|action_end|>`.
  { family: "internlm", open: "action_start", close: ["action_end"], token: true },
  // Command-R7B (llama.cpp).
  { family: "command_r", open: "start_action", close: ["end_action"], token: true },
];

export const OPEN_MARKERS: readonly OpenMarker[] = [
  // Mistral (vLLM mistral, llama.cpp).
  { family: "mistral", open: "[TOOL_CALLS]" },
  // Granite-20B-FC (vLLM granite_20b_fc): `<function_call> {…}` per call.
  { family: "granite_20b_fc", open: "<function_call>" },
  // Granite 3.x (vLLM granite): `<|tool_call|>[{…}]`.
  { family: "granite", open: "tool_call", token: true },
  // Llama 3.x / 4 (vLLM llama3_json, llama4_pythonic).
  { family: "llama3_json", open: "python_tag", token: true },
  { family: "llama4_pythonic", open: "python_start", token: true },
  // GigaChat 3.1 (vLLM gigachat3): `<|function_call|>{…}`.
  { family: "gigachat", open: "function_call", token: true },
];

/**
 * Prose that introduces an example rather than a call (checked on the paragraph before a fenced or
 * bare call): "for example", "e.g.", "like this", "would look like", "the format", "you can", …
 * Words an assistant also uses before a real call ("your file", "it looks like", "usage") are not cues.
 */
export const EXAMPLE_CUE =
  /\b(?:for example|for instance|e\.g\.|example|such as|like this|like so|(?:would|should|will) look|the (?:following )?format|this format|syntax|here'?s how|how to|you (?:can|could|should|would|might|need to)|sample|template)\b/i;
