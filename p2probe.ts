import { getLlama, LlamaChat } from "node-llama-cpp";
const llama = await getLlama({ build: "never", gpu: false, logLevel: "error" as any });
const model = await llama.loadModel({ modelPath: process.env.M! });
const ctx = await model.createContext({ contextSize: 8192 });
const seq = ctx.getSequence();
const chat = new LlamaChat({ contextSequence: seq });
const grammar = await llama.createGrammarForJsonSchema({ oneOf: [
 { type: "object", properties: { name: { const: "select_category" }, arguments: { type: "object", properties: { category: { enum: ["read","write","search","exec","meta"] } } } } },
 { type: "object", properties: { name: { const: "fs_read" }, arguments: { type: "object", properties: { path: { type: "string" }, offset: { oneOf: [{ type: "integer" }, { type: "null" }] } } } } },
]} as any);
const hist: any[] = [{ type: "system", text: "You are owlet, a coding assistant. Call exactly one tool. Reply with a JSON object {\"name\":..., \"arguments\":...}.\nTools:\n- select_category: pick kind of tool: read, write, search, exec, meta\n- fs_read(path, offset?)" }, { type: "user", text: "Show me what src/index.ts contains" }];
for (const seed of [1, 2, 3]) {
  const m0 = seq.tokenMeter.getState();
  const t0 = Date.now(); let first = 0; let text = "";
  const r = await chat.generateResponse(hist, { grammar, temperature: 0.8, seed, maxTokens: 200, onTextChunk: (t) => { if (!first) first = Date.now() - t0; text += t; } });
  console.log(seed, Date.now() - t0, "ttft", first, JSON.stringify(r.response), r.metadata.stopReason, seq.tokenMeter.diff(m0), seq.nextTokenIndex);
  console.log(grammar.parse(r.response));
}
// native auto
const functions = { fs_read: { description: "Read a file", params: { type: "object", properties: { path: { type: "string" } } } }, bash: { description: "Run a shell command", params: { type: "object", properties: { command: { type: "string" } } } } } as const;
for (const seed of [1, 2]) {
  const t0 = Date.now();
  const r = await chat.generateResponse([{ type: "system", text: "You are owlet, a coding assistant." }, { type: "user", text: "Read the file package.json" }], { functions: functions as any, documentFunctionParams: true, temperature: 0.8, seed, maxTokens: 200, onFunctionCallParamsChunk: (c) => console.log("pc", JSON.stringify(c)), onTextChunk: (t) => process.stdout.write("[" + t + "]") });
  console.log("\n", seed, Date.now() - t0, JSON.stringify(r.response), JSON.stringify(r.functionCalls), r.metadata.stopReason, JSON.stringify(r.lastEvaluation.cleanHistory.at(-1)));
}
