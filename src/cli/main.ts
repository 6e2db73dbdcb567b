#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { addIgnoredClaudeFlags, ignoredFlagWarnings } from "./claude-flags.ts";
import { EXIT, UserError } from "./exit-codes.ts";
import { INPUT_FORMATS, OUTPUT_FORMATS, type PrintOptions } from "./print-options.ts";
import { owletVersion } from "./version.ts";

/**
 * The owlet command line. Only commander and this file load at start-up; each command imports what it needs
 * when it runs, so `owlet --version` stays fast.
 */
function buildProgram(): Command {
  const program = new Command("owlet")
    // Before any .command(): subcommands inherit it, so their usage errors exit 2 too.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
    // `owlet acp --provider …`: options after a subcommand are the subcommand's, not print mode's.
    .enablePositionalOptions()
    .description("A provider-agnostic coding agent for the terminal, built for small local models.")
    .version(owletVersion(), "-v, --version")
    .argument("[prompt...]", "the prompt (on a terminal: the first prompt of the interactive UI)")
    .option("-p, --print [prompt]", "run one turn non-interactively and print the result")
    .addOption(
      new Option("--output-format <format>", "output format").choices(OUTPUT_FORMATS).default("text"),
    )
    .option(
      "--provider <name>",
      "provider: anthropic, openai, google, mistral, openai-compatible, llamacpp, ollama, lmstudio, embedded (pins the arm)",
    )
    .option("--model <model>", "model name, or a .gguf path for the embedded provider")
    .option("--base-url <url>", "endpoint base URL for OpenAI-compatible providers")
    .option("--api-key <key>", "API key (default: the provider's usual environment variable)")
    .option("--context-window <tokens>", "context window of the model in tokens", positiveInt)
    .option("--max-turns <n>", "safety limit on rounds per turn (default 50)", positiveInt)
    .option(
      "--permission-mode <mode>",
      "default, accept_edits, bypass, deny, plan or auto (default auto); Claude Code's acceptEdits, bypassPermissions, dontAsk too",
    )
    .option("--sandbox <mode>", "bash sandbox: workspace-write, read-only or off (default workspace-write)")
    .option("--two-stage", "force two-stage tool routing (category first, then its tools)")
    .option("--no-two-stage", "disable two-stage tool routing")
    .option("--system <prompt>", "replace the system prompt")
    .option("--cwd <dir>", "workspace directory (default: the current directory)")
    .option("--config <file>", "an extra config file (TOML), above the user and project files")
    .option("--continue", "continue the most recent session of this project")
    .option("--resume <id>", "resume the session with this id")
    .option(
      "--no-session-persistence",
      "write nothing to disk: no session file, saved tool output or checkpoints",
    )
    .option("--local-only", "use local models only (no cloud arms, no learning written to disk)")
    .option("--seed <n>", "seed for sampling and routing", nonNegativeInt)
    .option(
      "--verbose",
      "text: routing, rounds, prompt sizes and usage on stderr; json: every message; stream-json: usage per round",
    )
    .addOption(
      new Option(
        "--input-format <format>",
        "stdin: the prompt as text, or Claude Code's stream-json messages",
      )
        .choices(INPUT_FORMATS)
        .default("text"),
    )
    .option("--include-partial-messages", "stream-json: also emit the model's stream events as they arrive")
    .option(
      "--allowedTools, --allowed-tools <rules...>",
      "tools allowed without asking, Claude Code's rule syntax: Read, Edit, \"Bash(npm test:*)\" (or owlet's names)",
    )
    .option("--disallowedTools, --disallowed-tools <rules...>", "tools denied, same rule syntax")
    .option("--tools <tools>", "the built-in tools available (comma-separated; default: all)")
    .option("--append-system-prompt <prompt>", "text appended to the system prompt")
    .option("--system-prompt <prompt>", "replace the system prompt (as --system)")
    .option(
      "--max-budget-usd <usd>",
      "stop the turn once its estimated spend reaches this (USD)",
      positiveNumber,
    )
    .option("--permission-prompt-tool <tool>", "stdio: ask the stream-json host over the control protocol")
    .option("--dangerously-skip-permissions", "as --permission-mode bypass")
    .action(async (words: string[], opts: PrintOptions) => {
      // Overwrites the process's argv in /proc/<pid>/cmdline, so a command cannot read the --api-key value there.
      if (opts.apiKey !== undefined) process.title = "owlet";
      for (const warning of ignoredFlagWarnings(opts as unknown as Record<string, unknown>))
        process.stderr.write(`owlet: ${warning}\n`);
      if (wantsInteractive(opts)) {
        const { runInteractiveMode } = await import("./interactive.ts");
        // Leave at once: the UI is closed, and a kept-alive connection must not hold the terminal.
        process.exit(await runInteractiveMode(words, opts));
      }
      const { runPrintMode } = await import("./print-mode.ts");
      process.exitCode = await runPrintMode(words, opts);
    });

  addIgnoredClaudeFlags(program);

  program
    .command("providers")
    .description("show local model servers, cloud API keys that are set, and cached models")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const { runProvidersCommand } = await import("./commands/providers.ts");
      process.exitCode = await runProvidersCommand({ json: opts.json === true, out: process.stdout });
    });

  const models = program.command("models").description("manage GGUF models for the embedded runtime");
  models
    .command("list")
    .description("list cached models")
    .action(async () => {
      const { runModelsList } = await import("./commands/models.ts");
      process.exitCode = await runModelsList(process.stdout);
    });
  models
    .command("pull [name]")
    .description("download a recommended small model into ~/.cache/owlet/models")
    .action(async (name: string | undefined) => {
      const { runModelsPull } = await import("./commands/models.ts");
      process.exitCode = await runModelsPull(name, { out: process.stdout, err: process.stderr });
    });

  program
    .command("trust [dir]")
    .description(
      "trust a folder (default: this project) so its .owlet/config.toml may raise permissions; --list, --revoke",
    )
    .option("--list", "list the trusted folders")
    .option("--revoke", "stop trusting the folder")
    .action(async (dir: string | undefined, opts: { list?: boolean; revoke?: boolean }) => {
      const { runTrust } = await import("./commands/trust.ts");
      process.exitCode = await runTrust(dir, { ...opts, out: process.stdout });
    });

  // Options after a subcommand are its own (enablePositionalOptions, for acp and batch): the subcommands that
  // run a model take the model flags here as well; flags before the subcommand still apply (optsWithGlobals).
  agentFlags(
    program
      .command("compact [focus...]")
      .description(
        "summarise a session's older rounds now (default: the latest session); focus: what to keep. Takes the model flags (--provider, --model, --cwd, …)",
      )
      .option("--session <id>", "the session to compact"),
  ).action(async (focus: string[], _opts: unknown, command: Command) => {
    const { runCompact } = await import("./commands/compact.ts");
    const { withSetupErrors } = await import("./agent-setup.ts");
    const opts = command.optsWithGlobals<PrintOptions & { session?: string }>();
    if (opts.apiKey !== undefined) process.title = "owlet";
    process.exitCode = await withSetupErrors(() => runCompact(focus, opts, process.stdout));
  });

  agentFlags(
    program
      .command("init")
      .description("write an AGENTS.md for this repository from what the model reads in it (read-only tools)")
      .option("--force", "replace an existing AGENTS.md"),
  ).action(async (_opts: unknown, command: Command) => {
    const { runInit } = await import("./commands/init.ts");
    const { withSetupErrors } = await import("./agent-setup.ts");
    const opts = command.optsWithGlobals<PrintOptions & { force?: boolean }>();
    if (opts.apiKey !== undefined) process.title = "owlet";
    process.exitCode = await withSetupErrors(() => runInit(opts, process.stdout));
  });

  program
    .command("undo")
    .description("restore the files the last turn's tools changed and cut the conversation back before it")
    .option("--turn <n>", "undo this turn and every later one (see owlet sessions show)", positiveInt)
    .option("--session <id>", "the session (default: the latest of this project)")
    .option("--cwd <dir>", "a directory of the project (default: the current directory)")
    .action(async (_opts: unknown, command: Command) => {
      const { runUndo } = await import("./commands/undo.ts");
      const opts = command.optsWithGlobals<{ turn?: number; session?: string; cwd?: string }>();
      process.exitCode = await runUndo({ ...opts, out: process.stdout });
    });

  // Subcommands read the program's flags given before them (--cwd, …) through optsWithGlobals.
  const sessions = program
    .command("sessions")
    .description("list, show and delete this project's sessions (of the project --cwd is in)");
  sessions
    .command("list")
    .description("the project's sessions, most recent first: turns, tokens, cost, title")
    .option("--cwd <dir>", "a directory of the project (default: the current directory)")
    .option("--json", "print JSON")
    .action(async (_opts: unknown, command: Command) => {
      const { runSessionsList } = await import("./commands/sessions.ts");
      process.exitCode = runSessionsList({ ...command.optsWithGlobals(), out: process.stdout });
    });
  sessions
    .command("show <id>")
    .description("a session's figures and conversation as a resume continues it (--full: every message)")
    .option("--cwd <dir>", "a directory of the project (default: the current directory)")
    .option("--full", "show the full history, not the compacted view")
    .option("--json", "print JSON")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { runSessionsShow } = await import("./commands/sessions.ts");
      process.exitCode = runSessionsShow(id, { ...command.optsWithGlobals(), out: process.stdout });
    });
  sessions
    .command("rm <id>")
    .description("delete a session and its saved tool output")
    .option("--cwd <dir>", "a directory of the project (default: the current directory)")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { runSessionsRm } = await import("./commands/sessions.ts");
      process.exitCode = runSessionsRm(id, { ...command.optsWithGlobals(), out: process.stdout });
    });
  sessions
    .command("prune")
    .description("delete the sessions last used longer ago than --older-than")
    .option("--cwd <dir>", "a directory of the project (default: the current directory)")
    .requiredOption("--older-than <age>", "e.g. 30d, 12h, 2w, 90m")
    .option("--dry-run", "only list what would be deleted")
    .action(async (_opts: unknown, command: Command) => {
      const { runSessionsPrune } = await import("./commands/sessions.ts");
      const opts = command.optsWithGlobals<{ olderThan: string; dryRun?: boolean; cwd?: string }>();
      process.exitCode = runSessionsPrune({ ...opts, out: process.stdout });
    });

  program
    .command("acp")
    .description("serve the Agent Client Protocol on stdio, for editors (Zed, JetBrains, …)")
    .option("--provider <name>", "provider of every session (as for -p)")
    .option("--model <model>", "model name, or a .gguf path for the embedded provider")
    .option("--base-url <url>", "endpoint base URL for OpenAI-compatible providers")
    .option("--api-key <key>", "API key (default: the provider's usual environment variable)")
    .option("--context-window <tokens>", "context window of the model in tokens", positiveInt)
    .option("--max-turns <n>", "safety limit on rounds per turn (default 50)", positiveInt)
    .option("--permission-mode <mode>", "the sessions' first permission mode (the editor can switch it)")
    .option("--sandbox <mode>", "bash sandbox: workspace-write, read-only or off (default workspace-write)")
    .option("--two-stage", "force two-stage tool routing")
    .option("--no-two-stage", "disable two-stage tool routing")
    .option("--config <file>", "an extra config file (TOML), above the user and project files")
    .action(async (opts: import("./commands/acp.ts").AcpOptions) => {
      if (opts.apiKey !== undefined) process.title = "owlet";
      const { runAcp } = await import("./commands/acp.ts");
      process.exitCode = await runAcp(opts);
    });

  const modelFlags = (cmd: Command) =>
    cmd
      .option("--provider <name>", "provider of every task's run (as for -p)")
      .option("--model <model>", "model of every task's run (a task's own \"model\" wins)")
      .option("--base-url <url>", "endpoint base URL for OpenAI-compatible providers")
      .option("--api-key <key>", "API key (local batches only; queue workers use their environment)")
      .option("--context-window <tokens>", "context window of the model in tokens", positiveInt)
      .option("--max-turns <n>", "safety limit on rounds per task", positiveInt)
      .option(
        "--permission-mode <mode>",
        "each run's permission mode (default bypass: throwaway copies, sandboxed bash)",
      )
      .option("--sandbox <mode>", "bash sandbox: workspace-write, read-only or off")
      .option("--two-stage", "force two-stage tool routing")
      .option("--no-two-stage", "disable two-stage tool routing")
      .option("--seed <n>", "seed for sampling and routing", nonNegativeInt)
      .option("--config <file>", "an extra config file (TOML): [batch] settings, and the runs' config")
      .option("--work-dir <dir>", "where working copies are made (default $TMPDIR/owlet-batch)");
  modelFlags(
    program
      .command("batch <tasks>")
      .description(
        'run a JSONL file of tasks ({"id","repo","prompt","check"?,"model"?} per line), each in its own working copy',
      )
      .option(
        "--out <file>",
        "results file, one JSON line per task; tasks already in it are skipped",
        "results.jsonl",
      )
      .option("-j, --workers <n>", "tasks at a time (default: cores / model threads)", positiveInt)
      .option("--queue <url>", "put the tasks on a BullMQ queue for `owlet worker`s: redis://HOST:6379/0")
      .option("--keep", "keep the working copies"),
  ).action(async (file: string, opts: import("./commands/batch.ts").BatchOptions) => {
    const { runBatch } = await import("./commands/batch.ts");
    process.exitCode = await runBatch(file, opts);
  });
  modelFlags(
    program
      .command("worker")
      .description("run the tasks of an `owlet batch --queue` from Redis, until Ctrl-C")
      .requiredOption("--queue <url>", "the queue: redis://HOST:6379/0")
      .option("-j, --workers <n>", "tasks at a time (default: cores / model threads)", positiveInt),
  ).action(async (opts: import("./commands/batch.ts").BatchOptions) => {
    const { runWorkerCommand } = await import("./commands/batch.ts");
    process.exitCode = await runWorkerCommand(opts);
  });

  const mcp = program.command("mcp").description("manage MCP servers ([mcp_servers] in config, .mcp.json)");
  mcp
    .command("list")
    .description("list the configured MCP servers and whether they start")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const { runMcpList } = await import("./commands/mcp.ts");
      process.exitCode = await runMcpList({ out: process.stdout, json: opts.json === true });
    });
  mcp
    .command("add <name> <commandOrUrl> [args...]")
    .description("add a server: a command (stdio) or an http(s) URL; put -- before the server's own options")
    .option("--scope <scope>", "user (the user config, default) or project (.mcp.json)", "user")
    .option("-e, --env <KEY=VALUE...>", "environment for a stdio server")
    .option("-H, --header <Name: value...>", "HTTP header for a URL server")
    .option("--transport <transport>", "for a URL: streamable-http (default) or sse")
    .option("--timeout-ms <ms>", "start and request timeout, ms", positiveInt)
    .action(
      async (
        name: string,
        target: string,
        args: string[],
        opts: { scope?: string; env?: string[]; header?: string[]; transport?: string; timeoutMs?: number },
      ) => {
        const { runMcpAdd } = await import("./commands/mcp.ts");
        process.exitCode = await runMcpAdd(name, target, args, {
          out: process.stdout,
          ...(opts.scope ? { scope: opts.scope } : {}),
          ...(opts.env ? { serverEnv: opts.env } : {}),
          ...(opts.header ? { header: opts.header } : {}),
          ...(opts.transport ? { transport: opts.transport } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        });
      },
    );
  mcp
    .command("remove <name>")
    .description("remove a server from the user config (or --scope project: .mcp.json)")
    .option("--scope <scope>", "user or project", "user")
    .action(async (name: string, opts: { scope?: string }) => {
      const { runMcpRemove } = await import("./commands/mcp.ts");
      process.exitCode = await runMcpRemove(name, {
        out: process.stdout,
        ...(opts.scope ? { scope: opts.scope } : {}),
      });
    });
  mcp
    .command("test <name>")
    .description("start a server as owlet would and list what it offers")
    .action(async (name: string) => {
      const { runMcpTest } = await import("./commands/mcp.ts");
      process.exitCode = await runMcpTest(name, { out: process.stdout });
    });

  const plugin = program.command("plugin").description("manage plugins (Claude Code's plugin layout)");
  plugin
    .command("install <source>")
    .description("install a plugin from a folder or a git URL; its content hash is pinned")
    .action(async (source: string) => {
      const { runPluginInstall } = await import("./commands/plugin.ts");
      process.exitCode = await runPluginInstall(source, { out: process.stdout });
    });
  plugin
    .command("list")
    .description("list installed plugins and whether their files still match the pin")
    .action(async () => {
      const { runPluginList } = await import("./commands/plugin.ts");
      process.exitCode = await runPluginList({ out: process.stdout });
    });
  plugin
    .command("remove <name>")
    .description("remove an installed plugin")
    .action(async (name: string) => {
      const { runPluginRemove } = await import("./commands/plugin.ts");
      process.exitCode = await runPluginRemove(name, { out: process.stdout });
    });

  const router = program.command("router").description("inspect the model router");
  router
    .command("stats")
    .description("show what the router has learned: arm × task type")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const { runRouterStats } = await import("./commands/router-stats.ts");
      process.exitCode = await runRouterStats({ json: opts.json === true, out: process.stdout });
    });
  return program;
}

/**
 * The flags of a subcommand that builds an agent (`compact`, `init`): print mode's model, config and workspace
 * flags, read as PrintOptions through optsWithGlobals.
 */
function agentFlags(cmd: Command): Command {
  return cmd
    .option("--provider <name>", "provider (pins the arm, as for -p)")
    .option("--model <model>", "model name, or a .gguf path for the embedded provider")
    .option("--base-url <url>", "endpoint base URL for OpenAI-compatible providers")
    .option("--api-key <key>", "API key (default: the provider's usual environment variable)")
    .option("--context-window <tokens>", "context window of the model in tokens", positiveInt)
    .option("--max-turns <n>", "safety limit on rounds per turn (default 50)", positiveInt)
    .option("--two-stage", "force two-stage tool routing")
    .option("--no-two-stage", "disable two-stage tool routing")
    .option("--cwd <dir>", "workspace directory (default: the current directory)")
    .option("--config <file>", "an extra config file (TOML), above the user and project files")
    .option("--local-only", "use local models only")
    .option("--seed <n>", "seed for sampling and routing", nonNegativeInt);
}

/**
 * The interactive UI runs when a person is at a terminal (stdin and stdout are TTYs) and neither `-p` nor a
 * machine output format was asked for; `owlet "prompt"` then opens it with that first prompt. Otherwise print mode.
 */
function wantsInteractive(opts: PrintOptions): boolean {
  return (
    opts.print === undefined &&
    opts.outputFormat === "text" &&
    process.stdin.isTTY === true &&
    process.stdout.isTTY === true
  );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`owlet: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(
      `owlet: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.turnFailed;
  }
}

await main();
