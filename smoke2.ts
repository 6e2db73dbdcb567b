import { z } from "zod";
import { EmbeddedProvider } from "./src/provider/local/embedded.ts";
const p = await EmbeddedProvider.load({ modelPath: process.env.M!, contextSize: 4096 });
const fsReadParams = z.object({ path: z.string().describe("File path relative to the workspace"), offset: z.number().int().optional().describe("First line (1-based)"), limit: z.number().int().optional().describe("Number of lines") }).strict();
const fsGrepParams = z.object({ pattern: z.string().describe("Regular expression"), path: z.string().optional().describe("Directory or file to search") }).strict();
const tools = [{ name: "fs_read", description: "Read a text file.", inputSchema: z.toJSONSchema(fsReadParams, { io: "input" }) as any }, { name: "fs_grep", description: "Search file contents with a regex.", inputSchema: z.toJSONSchema(fsGrepParams, { io: "input" }) as any }];
console.log(JSON.stringify(tools[0].inputSchema));
const prompts = ["Read lines 10 to 20 of src/app.ts.", "Search for 'useEffect' in the src folder.", "Open README.md.", "Find 'TODO' everywhere.", "Show package.json."];
for (const [i, prompt] of prompts.entries()) for (const seed of [i + 1, i + 11]) {
  let out = ""; let stop = "";
  for await (const e of p.stream({ model: "", system: "You are owlet, a coding assistant.", messages: [{ role: "user", content: [{ type: "text", text: prompt }] }], tools, toolChoice: "required", temperature: Number(process.env.XT), seed, maxOutputTokens: 256 } as any)) { if (e.type === "tool_call_done") out = e.name + " " + e.arguments; if (e.type === "finish") stop = e.stopReason; }
  console.log(seed, stop, out.slice(0, 300));
}
process.exit(0);
