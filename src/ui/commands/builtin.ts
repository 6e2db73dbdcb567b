/**
 * The built-in slash commands, as a table (one record each; see SlashCommand). `defaultCommands()` registers
 * them all; other work adds its own commands to the same registry.
 */
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

/** What `/init` asks the model (as Claude Code's /init: the model writes the file through its own tools). */
export const INIT_PROMPT =
  "Look through this repository (its layout, build and test commands, conventions) and write an AGENTS.md file " +
  "at its root for coding agents: how to build, test and lint; the project's structure in a few lines; code " +
  "style and conventions you can see in the code; anything surprising. Keep it short (under 60 lines), state only " +
  "what the repository shows, and if an AGENTS.md exists, improve it rather than replace what is true in it.";

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
  summary: "shrink earlier tool results to one-line markers (no model summary yet)",
  run(host) {
    if (noAgent(host)) return;
    const r = host.agent!.compact();
    host.say(
      r.compacted === 0
        ? "nothing to compact: no earlier tool results in this conversation"
        : `compacted ${r.compacted} earlier tool result${r.compacted === 1 ? "" : "s"}: history ${formatTokens(r.beforeTokens)} → ${formatTokens(r.afterTokens)} tokens (the session file keeps them whole). A model-written summary is not available yet.`,
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
  summary: "have the model write an AGENTS.md for this repository",
  run(host) {
    if (noAgent(host)) return;
    host.sendPrompt(INIT_PROMPT, "/init");
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
