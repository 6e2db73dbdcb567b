/** Commands that run other commands (`env`, `sudo`, `xargs`, `bash -c`, …), for permission rules (see wrappedCommands). */

/** How a wrapper command reads its own arguments before the command it runs. */
interface WrapperSpec {
  /** Options that take a value (`-u user`, or attached: `-uuser`, `--user=user`). */
  valueOptions?: readonly string[];
  /** `NAME=value` words may come between the options and the command (env, sudo). */
  assignments?: boolean;
  /** Plain arguments before the command (timeout's duration). */
  positionals?: number;
  /** Options whose value is a shell script (env's `-S`). */
  scriptOptions?: readonly string[];
}

/** Commands that run the rest of their arguments as a command. */
const WRAPPERS: Record<string, WrapperSpec> = {
  env: {
    valueOptions: ["-u", "--unset", "-C", "--chdir"],
    assignments: true,
    scriptOptions: ["-S", "--split-string"],
  },
  command: {},
  builtin: {},
  exec: { valueOptions: ["-a"] },
  nohup: {},
  setsid: {},
  time: { valueOptions: ["-f", "--format", "-o", "--output"] },
  sudo: {
    valueOptions: [
      ..."-u -g -h -p -C -D -r -t -U -T -R".split(" "),
      ..."--user --group --host --prompt --close-from --chdir --role --type --other-user --command-timeout --chroot".split(
        " ",
      ),
    ],
    assignments: true,
  },
  doas: { valueOptions: ["-u", "-C"] },
  xargs: {
    valueOptions: [
      ..."-a -d -E -I -L -n -P -s".split(" "),
      ..."--arg-file --delimiter --max-args --max-procs --max-chars --max-lines --process-slot-var".split(
        " ",
      ),
    ],
  },
  nice: { valueOptions: ["-n", "--adjustment"] },
  ionice: { valueOptions: ["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"] },
  timeout: { valueOptions: ["-s", "--signal", "-k", "--kill-after"], positionals: 1 },
  stdbuf: { valueOptions: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  busybox: {},
  toybox: {},
  unbuffer: {},
  flock: {
    valueOptions: ["-w", "--timeout", "-E", "--conflict-exit-code"],
    positionals: 1,
    scriptOptions: ["-c", "--command"],
  },
  chrt: { positionals: 1 },
  strace: { valueOptions: ["-o", "-e", "-p", "-s", "-u", "-E", "-P", "-a", "-b", "-I", "-O", "-S", "-X"] },
  ltrace: { valueOptions: ["-o", "-e", "-p", "-s", "-u", "-n", "-a", "-l", "-A", "-D", "-F"] },
  script: {
    valueOptions: ["-E", "--echo", "-I", "-O", "-B", "-T", "-m"],
    scriptOptions: ["-c", "--command"],
  },
  su: { valueOptions: ["-g", "-G", "-s", "--shell"], scriptOptions: ["-c", "--command"] },
  runuser: {
    valueOptions: ["-u", "-g", "-G", "-s", "--shell", "--user", "--group"],
    scriptOptions: ["-c", "--command"],
  },
  setpriv: {
    valueOptions: [
      "--reuid",
      "--regid",
      "--groups",
      "--inh-caps",
      "--ambient-caps",
      "--bounding-set",
      "--securebits",
      "--pdeathsig",
      "--selinux-label",
      "--apparmor-profile",
    ],
  },
  unshare: {
    valueOptions: [
      "--propagation",
      "--setgroups",
      "-S",
      "--setuid",
      "-G",
      "--setgid",
      "-R",
      "--root",
      "-w",
      "--wd",
    ],
  },
  chroot: { valueOptions: ["--userspec", "--groups"], positionals: 1 },
};

/** `watch`'s options that take a value. */
const WATCH: WrapperSpec = {
  valueOptions: ["-n", "--interval", "-d", "-q", "--equexit", "-s", "--shotsdir"],
};

/** Shells whose `-c` argument is a script. */
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash"]);
/** Shell options that take a value (`-o pipefail`, `--rcfile f`). */
const SHELL_VALUE_OPTIONS = new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]);

/**
 * The commands `words` (a simple command's words, command name first) runs through wrappers, outermost first:
 * `env [-i] [VAR=x] cmd`, `command`, `builtin`, `exec [-a name]`, `nohup`, `setsid`, `time`, `sudo [opts] [--]`,
 * `doas`, `xargs [opts]`, `nice [-n N]`, `ionice`, `timeout [opts] DURATION`, `stdbuf`, `busybox`/`toybox`
 * applets, `unbuffer`, `flock FILE`, `chrt PRIO`, `strace`, `ltrace`, `setpriv`, `unshare`,
 * `chroot DIR`, and `find … -exec cmd … ;` (also `-execdir`, `-ok`, `-okdir`); `watch`, and the `-c` of `su`,
 * `runuser`, `script` and `flock`, run scripts. Command names are matched by basename (`/usr/bin/env`). `scripts` are the
 * shell scripts such wrappers run: the `-c` argument of `sh`/`bash`/`zsh`/… (`-lc`, `-ec` included), `eval`'s
 * joined arguments and `env -S`'s string; split them with {@link splitBashCommand}.
 * `sudo rm x` gives `{ commands: [["rm", "x"]], scripts: [] }`; a command that wraps nothing gives empty lists.
 */
export function wrappedCommands(words: readonly string[]): { commands: string[][]; scripts: string[] } {
  const commands: string[][] = [];
  const scripts: string[] = [];
  let current = [...words];
  for (let layer = 0; layer < 32 && current.length > 0; layer++) {
    const name = commandName(current[0]!);
    let inner: string[] | undefined;
    if (name === "eval") {
      if (current.length > 1) scripts.push(current.slice(1).join(" "));
    } else if (SHELLS.has(name)) {
      const script = shellScript(current);
      if (script !== undefined) scripts.push(script);
    } else if (name === "find") {
      for (const executed of findExecCommands(current)) {
        const inner = wrappedCommands(executed);
        commands.push(executed, ...inner.commands);
        scripts.push(...inner.scripts);
      }
    } else if (name === "watch") {
      // watch hands its arguments, joined, to `sh -c`
      const rest = unwrap(current, WATCH, scripts);
      if (rest) scripts.push(rest.join(" "));
    } else if (Object.hasOwn(WRAPPERS, name)) {
      inner = unwrap(current, WRAPPERS[name]!, scripts);
    }
    if (inner === undefined || inner.length === 0) break;
    commands.push(inner);
    current = inner;
  }
  return { commands, scripts };
}

/** The basename of a command word: `/bin/rm` and `./rm` are `rm`. */
export function commandName(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/** The words after a wrapper's options, assignments and positionals (the wrapped command), or undefined. */
function unwrap(words: string[], spec: WrapperSpec, scripts: string[]): string[] | undefined {
  const values = new Set(spec.valueOptions);
  const scriptOptions = new Set(spec.scriptOptions);
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") {
      i++;
      break;
    }
    if (!word.startsWith("-") || word === "-") break;
    if (word.startsWith("--")) {
      const [option, attached] = splitOnce(word, "=");
      if (scriptOptions.has(option)) scripts.push(attached ?? words[++i] ?? "");
      else if (attached === undefined && values.has(option)) i++;
      continue;
    }
    // a cluster of short options: the first one that takes a value ends it (`-uroot`, or `-u root`)
    for (let j = 1; j < word.length; j++) {
      const option = `-${word[j]}`;
      if (!values.has(option) && !scriptOptions.has(option)) continue;
      const value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
      if (scriptOptions.has(option)) scripts.push(value ?? "");
      break;
    }
  }
  if (spec.assignments) while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  i += spec.positionals ?? 0;
  // `flock FILE -c 'cmd'`: a script option may also follow the positionals
  if (scriptOptions.has(words[i] ?? "")) {
    scripts.push(words[i + 1] ?? "");
    return undefined;
  }
  return i < words.length ? words.slice(i) : undefined;
}

/** The `-c` script of a shell invocation (`bash -lc 'x'`, `sh -e -c x`), or undefined when it runs none. */
function shellScript(words: string[]): string | undefined {
  let command = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--" || word === "-") return command ? words[i + 1] : undefined;
    if (SHELL_VALUE_OPTIONS.has(word)) i++;
    else if (/^[-+][A-Za-z]/.test(word) && !word.startsWith("--")) command ||= word.slice(1).includes("c");
    else if (!word.startsWith("--")) return command ? word : undefined;
  }
  return undefined;
}

/** The commands of `find`'s `-exec`, `-execdir`, `-ok` and `-okdir` actions (up to `;` or `+`). */
function findExecCommands(words: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 1; i < words.length; i++) {
    if (!/^-(?:exec|execdir|ok|okdir)$/.test(words[i]!)) continue;
    let end = i + 1;
    while (end < words.length && words[end] !== ";" && words[end] !== "+") end++;
    if (end > i + 1) out.push(words.slice(i + 1, end));
    i = end;
  }
  return out;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
