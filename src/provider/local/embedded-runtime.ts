import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";

/** The four bytes every GGUF file starts with ("GGUF", as in the GGUF spec of ggml). */
const GGUF_MAGIC = "GGUF";

/** What to tell a user whose model cannot be used. */
const MODEL_HINT =
  "Run `owlet models pull` to download a recommended model, or pass --model /path/file.gguf.";

let llamaPromise: Promise<Llama> | undefined;
const models = new Map<string, Promise<LlamaModel>>();

/**
 * The process-wide llama.cpp binding: `getLlama({ build: "never", gpu: false })`, i.e. the prebuilt CPU binary
 * of `@node-llama-cpp/<platform>` only; nothing is compiled or downloaded. llama.cpp logs are kept at `error`.
 * Throws an Error saying to reinstall when no usable prebuilt binary exists (node-llama-cpp's NoBinaryFoundError).
 */
export function sharedLlama(): Promise<Llama> {
  llamaPromise ??= getLlama({
    build: "never",
    gpu: false,
    logLevel: LlamaLogLevel.error,
    progressLogs: false,
  }).catch((err: unknown) => {
    llamaPromise = undefined;
    throw new Error(
      `the embedded runtime cannot start: no usable prebuilt llama.cpp binary for ${process.platform}-${process.arch} ` +
        `(${errorText(err)}). Reinstall owlet (npm install) so @node-llama-cpp/${process.platform}-${process.arch} is present, ` +
        "or use another provider (--provider).",
    );
  });
  return llamaPromise;
}

/**
 * Checks that `modelPath` is a readable file starting with the GGUF magic bytes, before llama.cpp sees it (a bad
 * file can crash the native loader). Resolves to the absolute path. Throws an Error naming the path, what is
 * wrong (missing, unreadable, a directory, not GGUF) and what to do.
 */
export async function checkGgufFile(modelPath: string): Promise<string> {
  const path = resolve(modelPath);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`embedded model ${path} is not a file. ${MODEL_HINT}`);
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    if (bytesRead < 4 || buf.toString("latin1") !== GGUF_MAGIC) {
      throw new Error(
        `embedded model ${path} is not a GGUF model file (it does not start with the GGUF magic bytes; ` +
          `it may be truncated, a Git LFS pointer or another format). ${MODEL_HINT}`,
      );
    }
    return path;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`embedded model not found: ${path}. ${MODEL_HINT}`);
    if (code === "EACCES" || code === "EPERM")
      throw new Error(
        `embedded model ${path} is not readable (permission denied). Fix its permissions or ${MODEL_HINT}`,
      );
    if (code === "EISDIR")
      throw new Error(`embedded model ${path} is a directory, not a .gguf file. ${MODEL_HINT}`);
    throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * The loaded model for `modelPath`, shared by every provider in the process (one load per absolute path).
 * Checks the file first (see checkGgufFile). Throws an Error naming the path when llama.cpp cannot load it
 * (unsupported architecture, truncated file, not enough memory); a failed load is not cached.
 */
export function sharedModel(modelPath: string): Promise<LlamaModel> {
  const key = resolve(modelPath);
  let model = models.get(key);
  if (!model) {
    model = (async () => {
      const path = await checkGgufFile(key);
      const llama = await sharedLlama();
      try {
        return await llama.loadModel({ modelPath: path });
      } catch (err) {
        throw new Error(
          `cannot load the GGUF model ${path}: ${errorText(err)}. The file may be truncated or use an architecture ` +
            `this llama.cpp build does not support. ${MODEL_HINT}`,
        );
      }
    })();
    model.catch(() => models.delete(key));
    models.set(key, model);
  }
  return model;
}

/**
 * Default evaluation threads: the machine's physical cores as node-llama-cpp counts them (`cpuMathCores`),
 * at most the usable ones, at least 1 (issue 8: one thread on a 2-core machine halved generation speed).
 * llama.cpp's workers spin-wait, so on a machine where another busy process holds a core fewer threads can be
 * faster: `[provider.embedded] threads` (or `OWLET_THREADS`) overrides this.
 */
export function defaultThreads(llama: Llama): number {
  return Math.max(1, Math.min(llama.cpuMathCores, availableParallelism()));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
