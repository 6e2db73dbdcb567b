/**
 * What permission rules see of a bash command line: one subject per simple command found by the grammar
 * (analyseBash: nested constructs included), with the texts deny and allow patterns are matched against, and
 * the reasons an allow rule cannot vouch for the line (then the call asks instead).
 */
import { analyseBash, type ShellCommand } from "../tool/shell/analyse.ts";
import { writesToFile } from "../tool/shell/bash-words.ts";
import { commandName, wrappedCommands } from "./bash-wrappers.ts";

/** One simple command of a bash command line, and the texts deny and allow rule patterns are matched against. */
export interface BashSubject {
  /** The command as written (shown in a denial's reason). */
  text: string;
  deny: string[];
  /** Empty when only an allow rule without a pattern covers it. */
  allow: string[];
  /** Set when it writes a file through a redirection: then only patterns that contain `>` cover it. */
  writes: boolean;
  /** When the command name is a glob (`/bin/r?`): its words, so a deny rule's command word can be tried against it. */
  globWords?: string[];
}

/** The subjects of a command line, why allow rules cannot vouch for it, or why it was not analysed at all. */
export interface BashSubjects {
  subjects: BashSubject[];
  unresolved: string[];
  refused?: string;
}

/** How deep `bash -c "bash -c '…'"` scripts (and here-strings fed to shells) are followed. */
const MAX_SCRIPT_DEPTH = 8;

/** Programs that run code they read: a script operand, `-c`/`-e` code, or else their standard input. */
const INTERPRETER =
  /^(?:sh|bash|dash|zsh|ksh|mksh|ash|yash|fish|csh|tcsh|busybox|python[0-9.]*|pypy[0-9.]*|perl|ruby|node|nodejs|deno|bun|php|lua|luajit|tclsh|wish|Rscript|pwsh|osascript|source|\.)$/;
const SHELL = /^(?:sh|bash|dash|zsh|ksh|mksh|ash|yash)$/;
/** Options that give an interpreter its code inline (so it does not read standard input): shells, then the rest. */
const SHELL_CODE_OPTION = /^-[a-zA-Z]*c[a-zA-Z]*$/;
const CODE_OPTION = /^(?:-[a-zA-Z]*[cemEpr][a-zA-Z]*|--eval|--print|--command|--exec)(?:=.*)?$/;
/** Shell options that take a value (`-o pipefail`, `--rcfile f`). */
const SHELL_VALUE_OPTION = new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]);
/** Operands naming standard input as the script. */
const STDIN_SCRIPT = new Set(["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/**
 * Options that name a program, script or command to run, whatever command takes them (`npm --script-shell`,
 * `git --upload-pack`, `rsync --rsh`, `tar --to-command`, …); with one, a rule written for the command cannot
 * know what runs.
 */
const PROGRAM_OPTION =
  /^--(?:script-shell|shell|rsh|upload-pack|receive-pack|exec|exec-path|to-command|use-compress-program|checkpoint-action|info-script|new-volume-script|editor|sequence-editor|pager|ssh|ssh-command|config-env|interpreter|node-options|require|import|loader|preload)(?:=|$)/;

/** Per command (by basename): short options that name a program or set configuration that can. */
const PROGRAM_OPTIONS_BY_COMMAND: Record<string, RegExp> = {
  git: /^-c/, // -c core.sshCommand=…, core.pager, alias.*
  rsync: /^-[a-zA-Z]*e/,
  ssh: /^-[a-zA-Z]*o|^ProxyCommand|^LocalCommand/i,
  scp: /^-[a-zA-Z]*[oS]/,
  sftp: /^-[a-zA-Z]*[oS]/,
  tar: /^-[a-zA-Z]*[IF]$/,
  find: /^-(?:exec|execdir|ok|okdir)$/,
  zip: /^-[a-zA-Z]*TT|^--unzip-command/,
  npm: /^--?(?:script-shell|shell|node-options)/,
  make: /^(?:SHELL|\.SHELLFLAGS|MAKESHELL|MAKEFLAGS)=|^--eval|^-[a-zA-Z]*E$/,
  npx: /^--?(?:script-shell|shell|call|c)$/,
  yarn: /^--?(?:script-shell|shell)/,
  pnpm: /^--?(?:script-shell|shell)/,
};

/**
 * The subjects of `command` (see the module comment). Deny forms: the command as written, its words as bash reads
 * them (quotes removed, braces expanded, `$IFS` split), the same with the command name by basename (`/bin/rm` →
 * `rm`) at every layer of wrappers (`env`, `sudo`, `xargs`, `find -exec`, `coproc`, … see wrappedCommands), also
 * followed by a space (xargs appends its input). Scripts run through `bash -c`, `eval`, `env -S` and literal
 * here-strings or here-documents fed to a shell add their own subjects. Allow form: the command as written only.
 *
 * Unresolved (an allow rule cannot vouch): the grammar's reasons (a parse error, a command name computed at run
 * time), a glob as command name, `eval`/`-c` of a dynamic string, input piped or redirected into an interpreter
 * (`… | sh`, `base64 -d | bash`, `bash <<< "$x"`), an interpreter script that is a substitution (`bash <(curl …)`),
 * and options that name a program to run (`--script-shell`, `git -c`, `find -exec`, …).
 */
export function bashSubjects(command: string, depth = 0): BashSubjects {
  const analysis = analyseBash(command);
  if (analysis.refused) return { subjects: [], unresolved: [], refused: analysis.refused };
  const unresolved = new Set(analysis.unresolved);
  const subjects: BashSubject[] = [];
  for (const cmd of analysis.commands) {
    subjects.push(subjectOf(cmd));
    if (cmd.globName) unresolved.add(`the command name \`${cmd.words[0]}\` is a glob`);
    const { commands, scripts } = wrappedCommands(cmd.words);
    const runs = [cmd.words, ...commands].filter((words) => words.length > 0);
    const followed: string[] = [...scripts];
    if (scripts.length > 0 && cmd.dynamic.some(Boolean)) {
      unresolved.add(`\`${commandName(runs.at(-1)![0]!)}\` runs a script computed at run time`);
    }
    for (const words of runs) {
      const reason = programOption(words);
      if (reason) unresolved.add(reason);
      const name = commandName(words[0]!);
      if (!INTERPRETER.test(name)) continue;
      const script = scriptOperand(words);
      if (script === "stdin" && (cmd.pipedInput || readsInput(cmd))) {
        unresolved.add(`input is piped into the interpreter \`${name}\``);
        if (SHELL.test(name)) followed.push(...cmd.inputTexts);
      } else if (script === "dynamic") {
        unresolved.add(`\`${name}\` runs a script computed at run time`);
      }
    }
    if (depth < MAX_SCRIPT_DEPTH) {
      for (const script of followed) {
        const inner = bashSubjects(script, depth + 1);
        subjects.push(...inner.subjects);
        for (const reason of inner.unresolved) unresolved.add(reason);
        if (inner.refused) unresolved.add(`a script it runs was not analysed: ${inner.refused}`);
      }
    } else if (followed.length > 0) {
      unresolved.add("scripts are nested too deeply to analyse");
    }
  }
  if (subjects.length === 0 && depth === 0 && command.trim() !== "") {
    subjects.push({ text: command, deny: [command], allow: [command], writes: false });
  }
  return { subjects, unresolved: [...unresolved] };
}

function subjectOf(cmd: ShellCommand): BashSubject {
  const { commands } = wrappedCommands(cmd.words);
  const runs = [cmd.words, ...commands].filter((words) => words.length > 0);
  const deny = unique([
    cmd.text,
    [...cmd.assignments, ...cmd.words].join(" "),
    cmd.words.join(" "),
    ...runs.flatMap((words) => {
      const form = [commandName(words[0]!), ...words.slice(1)].join(" ");
      return [form, `${form} `];
    }),
  ]).filter((form) => form !== "");
  const subject: BashSubject = { text: cmd.text, deny, allow: [cmd.text], writes: writesToFile(cmd) };
  if (cmd.globName) subject.globWords = cmd.words;
  return subject;
}

/** Whether the command's standard input is redirected (`<`, here-documents, here-strings, `<&`). */
function readsInput(cmd: ShellCommand): boolean {
  return cmd.redirects.some(
    ({ op, fd }) => op.startsWith("<") && op !== "<>" && (fd === undefined || fd === "0"),
  );
}

/** How an interpreter invocation gets its code: inline or a file (`given`), standard input, or a run-time value. */
function scriptOperand(words: readonly string[]): "given" | "stdin" | "dynamic" {
  const shell = SHELL.test(commandName(words[0]!));
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (shell && SHELL_VALUE_OPTION.has(word)) {
      i++;
      continue;
    }
    if (word === "--") {
      const next = words[i + 1];
      return next === undefined || STDIN_SCRIPT.has(next) ? "stdin" : classify(next);
    }
    if (word === "-s") return "stdin";
    if ((shell ? SHELL_CODE_OPTION : CODE_OPTION).test(word)) {
      // a shell's -c script is analysed in turn; other interpreters' code is opaque, so it must at least be literal
      const code = word.includes("=") ? word.slice(word.indexOf("=") + 1) : words[i + 1];
      return !shell && code !== undefined && DYNAMIC_TEXT.test(code) ? "dynamic" : "given";
    }
    if (word.startsWith("-") && word !== "-") continue;
    return STDIN_SCRIPT.has(word) ? "stdin" : classify(word);
  }
  return "stdin";
}

/** Text that still holds an expansion or substitution as written (`$x`, `${x}`, `$(…)`, backticks). */
const DYNAMIC_TEXT = /\$[({A-Za-z_@*#?0-9]|`/;

function classify(operand: string): "given" | "dynamic" {
  return /^[<>]\(/.test(operand) || DYNAMIC_TEXT.test(operand) ? "dynamic" : "given";
}

/** Why `words` names a program through an option (see PROGRAM_OPTION), or undefined. */
function programOption(words: readonly string[]): string | undefined {
  const name = commandName(words[0]!);
  const perCommand = Object.hasOwn(PROGRAM_OPTIONS_BY_COMMAND, name)
    ? PROGRAM_OPTIONS_BY_COMMAND[name]
    : undefined;
  for (const word of words.slice(1)) {
    if (PROGRAM_OPTION.test(word) || perCommand?.test(word)) {
      return `\`${name} ${word.split("=")[0]}\` names a program to run`;
    }
  }
  return undefined;
}

function unique(forms: string[]): string[] {
  return [...new Set(forms)];
}
