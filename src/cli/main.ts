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
      if (wantsInteractive(opts)) {
        const { runInteractiveMode } = await import("./interactive.ts");
        // Leave at once: the UI is closed, and a kept-alive connection must not hold the terminal.
        process.exit(await runInteractiveMode(words, opts));
      }
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
