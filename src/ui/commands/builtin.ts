/**
 * The built-in slash commands, as a table (one record each; see SlashCommand). `defaultCommands()` registers
 * them all; other work adds its own commands to the same registry.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  describeRuleLine,
  isPermissionMode,
  PERMISSION_MODES,
  type PermissionRule,
} from "../../policy/index.ts";
import { formatTokens, formatUsd } from "../render/format.ts";
import { KEY_HELP } from "./keys.ts";
import { CommandRegistry } from "./registry.ts";
import type { CommandHost, SlashCommand } from "./types.ts";

const PROVIDERS = [
  "anthropic",
  "openai",
  "google",
  "mistral",
  "openai-compatible",
  "llamacpp",
  "ollama",
  "lmstudio",
  "embedded",
];

/** Says that there is no agent (yet) and returns true, for commands that need one. */
function noAgent(host: CommandHost): boolean {
  if (host.agent) return false;
  host.say("no model is connected yet (see the message above); try /model or /provider", "warn");
  return true;
}

const help: SlashCommand = {
  name: "help",
  aliases: ["h"],
  summary: "list the commands and keys",
  whileBusy: true,
  run(host) {
    const width = Math.max(...host.commands.map((c) => c.name.length + (c.usage ? c.usage.length + 1 : 0)));
    const lines = host.commands.map((c) => {
      const name = `/${c.name}${c.usage ? ` ${c.usage}` : ""}`;
      return `  ${name.padEnd(width + 2)}${c.summary}`;
    });
    host.say(
      ["Commands:", ...lines, "", "Keys:", ...KEY_HELP.map(([k, v]) => `  ${k.padEnd(16)}${v}`)].join("\n"),
    );
  },
};

const model: SlashCommand = {
  name: "model",
  usage: "[model]",
  summary: "show the model, or switch to another (pinned for this session)",
  async run(host, args) {
    if (!args) {
      const arm = host.agent?.primaryArm;
      host.say(
        arm
          ? `model: ${arm.model} (arm ${arm.id}${arm.contextWindow ? `, window ${formatTokens(arm.contextWindow)} tokens` : ""})\nswitch with /model <name>, or /provider <name> [model]`
          : "no model is connected; switch with /model <name>",
      );
      return;
    }
    await host.rebuild({ model: args, ...(host.agent ? { session: currentSession(host) } : {}) });
  },
};

const provider: SlashCommand = {
  name: "provider",
  usage: "[name] [model]",
  summary: "show the provider, or switch to another",
  completeArgs: (_host, partial) => PROVIDERS.filter((p) => p.startsWith(partial)),
  async run(host, args) {
    const [name, ...rest] = args.split(/\s+/).filter(Boolean);
    if (!name) {
      const arm = host.agent?.primaryArm;
      host.say(
        `${arm ? `provider: ${arm.provider.name} (arm ${arm.id})\n` : ""}providers: ${PROVIDERS.join(", ")}\nswitch with /provider <name> [model]`,
      );
      return;
    }
    if (!PROVIDERS.includes(name)) {
      host.say(`unknown provider "${name}"; one of: ${PROVIDERS.join(", ")}`, "error");
      return;
    }
    const modelName = rest.join(" ");
    await host.rebuild({
      provider: name,
      ...(modelName ? { model: modelName } : {}),
      ...(host.agent ? { session: currentSession(host) } : {}),
    });
  },
};

/** The running conversation as a session choice, so a new arm continues it. */
function currentSession(host: CommandHost) {
  const id = host.agent?.session?.id;
  return id ? { kind: "resume" as const, id } : { kind: "new" as const };
}

const clear: SlashCommand = {
  name: "clear",
  aliases: ["new"],
  summary: "start a new conversation (the old one stays in /sessions)",
  async run(host) {
    if (await host.rebuild({ session: { kind: "new" } })) host.clearScreen();
  },
};

const compact: SlashCommand = {
  name: "compact",
  usage: "[focus]",
  summary: "summarise the earlier conversation now (focus: what the summary should keep)",
  async run(host, args) {
    if (noAgent(host)) return;
    const agent = host.agent!;
    // The agent's summary compaction (as `owlet compact`): the summary arm, or the primary arm, writes it.
    const record = await host.busy("summarising", (signal) =>
      agent.compact(args.trim() || undefined, signal),
    );
    if (!record) {
      host.say("nothing to compact: too few rounds before the latest ones");
      return;
    }
    host.say(
      `the conversation goes on from a summary by ${record.arm}: ${formatTokens(record.tokensBefore)} → ${formatTokens(record.tokensAfter)} tokens, the latest ${record.keptMessages} messages kept as they were${agent.session ? " (the session file keeps every message)" : ""}`,
    );
  },
};

const rewind: SlashCommand = {
  name: "rewind",
  aliases: ["undo"],
  usage: "[turn]",
  summary:
    "undo the last turn (or turn N and every later one): its files restored, the conversation cut back",
  completeArgs: (host, partial) =>
    (host.agent?.session?.turns() ?? []).map((t) => String(t.turn)).filter((n) => n.startsWith(partial)),
  async run(host, args) {
    if (noAgent(host)) return;
    const turn = args.trim() ? Number(args.trim()) : undefined;
    if (turn !== undefined && !(Number.isInteger(turn) && turn > 0)) {
      host.say("usage: /rewind [turn], a turn number as /rewind's completion lists them", "error");
      return;
    }
    // The agent's undo (as `owlet undo`): checkpoints → files, the session cut back to before the turn.
    const result = await host.agent!.undo(turn);
    host.redraw();
    const prompt = result.prompt.length > 60 ? `${result.prompt.slice(0, 59)}…` : result.prompt;
    host.say(
      [
        `undid turn ${result.turn} ("${prompt}")${result.turnsRemoved > 1 ? ` and ${result.turnsRemoved - 1} later turn(s)` : ""}`,
        ...(result.files.length === 0
          ? ["  no files were changed by tools in those turns"]
          : result.files.map((f) => `  ${f.action} ${f.path}${f.reason ? `: ${f.reason}` : ""}`)),
      ].join("\n"),
      result.files.some((f) => f.action === "skipped") ? "warn" : "info",
    );
  },
};

const sessions: SlashCommand = {
  name: "sessions",
  summary: "list this project's recent sessions",
  run(host) {
    if (noAgent(host)) return;
    const list = host.agent!.sessions.list().slice(0, 15);
    if (list.length === 0) {
      host.say("no sessions yet");
      return;
    }
    const current = host.agent!.session?.id;
    host.say(
      [
        "Recent sessions (resume with /resume <id>):",
        ...list.map(
          (s) =>
            `  ${s.id === current ? "*" : " "} ${s.id}  ${s.modifiedAt.toISOString().slice(0, 16).replace("T", " ")}  ${s.meta.provider}/${s.meta.model}`,
        ),
      ].join("\n"),
    );
  },
};

const resume: SlashCommand = {
  name: "resume",
  usage: "[id]",
  summary: "continue an earlier session (pick one from a list)",
  completeArgs: (host, partial) =>
    (host.agent?.sessions.list() ?? []).map((s) => s.id).filter((id) => id.startsWith(partial)),
  async run(host, args) {
    if (noAgent(host)) return;
    if (args) {
      await host.rebuild({ session: { kind: "resume", id: args } });
      return;
    }
    const current = host.agent!.session?.id;
    const list = host.agent!.sessions.list().filter((s) => s.id !== current);
    if (list.length === 0) {
      host.say("no earlier session to resume");
      return;
    }
    host.pick(
      "Resume which session?",
      list.slice(0, 10).map((s) => ({
        label: `${s.id}  ${s.modifiedAt.toISOString().slice(0, 16).replace("T", " ")}  ${s.meta.model}`,
        value: s.id,
      })),
      (id) => void host.rebuild({ session: { kind: "resume", id } }),
    );
  },
};

const mode: SlashCommand = {
  name: "mode",
  usage: "[mode]",
  summary: "show or set the permission mode (Shift+Tab cycles)",
  whileBusy: true,
  completeArgs: (_host, partial) => PERMISSION_MODES.filter((m) => m.startsWith(partial)),
  run(host, args) {
    if (noAgent(host)) return;
    if (!args) {
      host.say(`permission mode: ${host.agent!.policy.mode}; one of ${PERMISSION_MODES.join(", ")}`);
      return;
    }
    if (!isPermissionMode(args)) {
      host.say(`unknown mode "${args}"; one of ${PERMISSION_MODES.join(", ")}`, "error");
      return;
    }
    host.setMode(args);
  },
};

const permissions: SlashCommand = {
  name: "permissions",
  aliases: ["perm"],
  usage: "[allow|deny <tool> [pattern] | remove <n>]",
  summary: "list the permission rules, add one for this session, or remove one",
  whileBusy: true,
  run(host, args) {
    if (noAgent(host)) return;
    const policy = host.agent!.policy;
    const [verb, tool, ...rest] = args.split(/\s+/).filter(Boolean);
    if (verb === "allow" || verb === "deny") {
      if (!tool) {
        host.say(`usage: /permissions ${verb} <tool> [pattern]`, "error");
        return;
      }
      const pattern = rest.join(" ").replace(/^"(.*)"$/, "$1");
      const rule: PermissionRule = { tool, action: verb, ...(pattern ? { pattern } : {}) };
      policy.addRule(rule);
      host.say(`added for this session: ${describeRuleLine(rule)}`);
      return;
    }
    if (verb === "remove") {
      const n = Number(tool);
      if (policy.removeRule(n - 1)) host.say(`removed rule ${n}`);
      else host.say(`no rule ${tool ?? ""}; /permissions lists them`, "warn");
      return;
    }
    if (verb) {
      host.say("usage: /permissions [allow|deny <tool> [pattern] | remove <n>]", "error");
      return;
    }
    const rules = policy.rules;
    host.say(
      [
        `permission mode: ${policy.mode}`,
        rules.length === 0
          ? "no rules ([[permission.rules]] in config, or allow always at a prompt)"
          : "rules (deny rules win; protected paths always ask):",
        ...rules.map((r, i) => `  ${i + 1}. ${describeRuleLine(r)}`),
        "add one with /permissions allow|deny <tool> [pattern]; remove with /permissions remove <n>",
      ].join("\n"),
    );
  },
};

const context: SlashCommand = {
  name: "context",
  summary: "what fills the context window, by part, in tokens",
  whileBusy: true,
  run(host) {
    if (noAgent(host)) return;
    const u = host.agent!.contextUsage();
    const window = u.contextWindow;
    const pct = (n: number) => (window ? ` (${((100 * n) / window).toFixed(1)}%)` : "");
    host.say(
      [
        `Context (${u.counter === "estimate" ? "estimated, bytes/4" : `${u.counter} tokenizer`}):`,
        `  system prompt  ${formatTokens(u.system).padStart(7)}${pct(u.system)}`,
        `  tool schemas   ${formatTokens(u.tools).padStart(7)}${pct(u.tools)}`,
        `  conversation   ${formatTokens(u.history - u.toolResults).padStart(7)}${pct(u.history - u.toolResults)}`,
        `  tool results   ${formatTokens(u.toolResults).padStart(7)}${pct(u.toolResults)}`,
        `  total          ${formatTokens(u.total).padStart(7)}${window ? ` of ${formatTokens(window)}${pct(u.total)}` : " (window unknown)"}`,
      ].join("\n"),
    );
  },
};

const cost: SlashCommand = {
  name: "cost",
  summary: "tokens and cost of this conversation",
  whileBusy: true,
  run(host) {
    const { usage, costUsd } = host.totals();
    host.say(
      `prompt ${formatTokens(usage.inputTokens)} tokens, completion ${formatTokens(usage.outputTokens)} tokens` +
        (usage.cacheReadTokens ? `, cache reads ${formatTokens(usage.cacheReadTokens)}` : "") +
        (costUsd !== undefined
          ? `; cost ${formatUsd(costUsd)}`
          : "; cost unknown (set price_input/price_output in [[arms]]; local models cost nothing)"),
    );
  },
};

const init: SlashCommand = {
  name: "init",
  usage: "[--force]",
  summary:
    "have the model read the repository and write its AGENTS.md (read-only tools; --force replaces one)",
  async run(host, args) {
    if (noAgent(host)) return;
    const force = /^(--)?force$/.test(args.trim());
    if (args.trim() && !force) {
      host.say("usage: /init [--force]", "error");
      return;
    }
    // As `owlet init`: a helper agent with the read-only tools reads; owlet writes the file from its reply.
    const { AgentsMdExistsError, initAgentsMd } = await import("../../agent/init.ts");
    const projectRoot = host.agent!.projectRoot;
    const exists = () =>
      host.say(`${join(projectRoot, "AGENTS.md")} exists; /init --force writes a new one`, "warn");
    // Checked before the helper agent is built (it may load a model); initAgentsMd checks again.
    if (!force && existsSync(join(projectRoot, "AGENTS.md"))) return exists();
    try {
      const result = await host.withHelperAgent(
        (tool) => tool.readOnly,
        (agent, signal) => initAgentsMd(agent, projectRoot, { force, signal }),
      );
      host.say(`wrote ${result.path} (${result.text.split("\n").length - 1} lines)`);
    } catch (err) {
      if (!(err instanceof AgentsMdExistsError)) throw err;
      exists();
    }
  },
};

const quit: SlashCommand = {
  name: "quit",
  aliases: ["exit", "q"],
  summary: "leave owlet (Ctrl+D on an empty line, or Ctrl+C twice)",
  whileBusy: true,
  run(host) {
    host.quit();
  },
};

/** The built-in commands in /help order. */
export const BUILTIN_COMMANDS: readonly SlashCommand[] = [
  help,
  model,
  provider,
  clear,
  compact,
  rewind,
  resume,
  sessions,
  permissions,
  mode,
  context,
  cost,
  init,
  quit,
];

/** A registry holding every built-in command. */
export function defaultCommands(): CommandRegistry {
  const registry = new CommandRegistry();
  for (const command of BUILTIN_COMMANDS) registry.register(command);
  return registry;
}
