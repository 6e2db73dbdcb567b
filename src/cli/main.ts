#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { EXIT, UserError } from "./exit-codes.ts";
import { OUTPUT_FORMATS, type PrintOptions } from "./print-options.ts";
import { owletVersion } from "./version.ts";

/**
 * The owlet command line. Only commander and this file load at start-up; each command imports what it needs
 * when it runs, so `owlet --version` stays fast.
 */
function buildProgram(): Command {
  const program = new Command("owlet")
    // Before any .command(): subcommands inherit it, so their usage errors exit 2 too.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
    .description("A provider-agnostic coding agent for the terminal, built for small local models.")
    .version(owletVersion(), "-v, --version")
    .argument("[prompt...]", "the prompt (or use -p, or pipe it on stdin)")
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
    .option("--permission-mode <mode>", "default, accept_edits, bypass, deny, plan or auto (default auto)")
    .option("--sandbox <mode>", "bash sandbox: workspace-write, read-only or off (default workspace-write)")
    .option("--two-stage", "force two-stage tool routing (category first, then its tools)")
    .option("--no-two-stage", "disable two-stage tool routing")
    .option("--system <prompt>", "replace the system prompt")
    .option("--cwd <dir>", "workspace directory (default: the current directory)")
    .option("--config <file>", "an extra config file (TOML), above the user and project files")
    .option("--continue", "continue the most recent session of this project")
    .option("--resume <id>", "resume the session with this id")
    .option("--local-only", "use local models only (no cloud arms, no learning written to disk)")
    .option("--seed <n>", "seed for sampling and routing", nonNegativeInt)
    .option("--verbose", "show routing, rounds, prompt sizes and usage on stderr")
    .action(async (words: string[], opts: PrintOptions) => {
      // Overwrites the process's argv in /proc/<pid>/cmdline, so a command cannot read the --api-key value there.
      if (opts.apiKey !== undefined) process.title = "owlet";
      const { runPrintMode } = await import("./print-mode.ts");
      process.exitCode = await runPrintMode(words, opts);
    });

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

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
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
