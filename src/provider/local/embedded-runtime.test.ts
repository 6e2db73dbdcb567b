import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGgufFile } from "./embedded-runtime.ts";

describe("checkGgufFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "owlet-gguf-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts a file starting with the GGUF magic and returns its absolute path", async () => {
    const path = join(dir, "ok.gguf");
    await writeFile(path, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(16)]));
    await expect(checkGgufFile(path)).resolves.toBe(path);
  });

  it("rejects a missing file, a directory, a short file and another format with the path and the fix", async () => {
    await expect(checkGgufFile(join(dir, "missing.gguf"))).rejects.toThrow(
      /embedded model not found: .*missing\.gguf.*owlet models pull.*--model/,
    );
    await expect(checkGgufFile(dir)).rejects.toThrow(/is not a file|is a directory/);
    const short = join(dir, "short.gguf");
    await writeFile(short, "GG");
    await expect(checkGgufFile(short)).rejects.toThrow(/short\.gguf is not a GGUF model file/);
    const lfs = join(dir, "lfs.gguf");
    await writeFile(lfs, "version https://git-lfs.github.com/spec/v1\n");
    await expect(checkGgufFile(lfs)).rejects.toThrow(/not a GGUF model file.*Git LFS pointer/);
  });
});
