import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedLoopbackOrigin } from "../../../test/support/fake-local-servers.ts";
import {
  assertHostReachable,
  DEFAULT_MODEL_NAME,
  listCachedModels,
  ModelHostUnreachableError,
  modelDirs,
  modelsDir,
  pullModel,
  RECOMMENDED_MODELS,
  UnknownModelError,
} from "./models.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "owlet-models-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noNetwork: typeof fetch = async () => {
  throw new Error("network must not be used");
};

describe("catalogue", () => {
  it("has a 1.5B default and a 0.5B option with hf: URIs ending in their file names", () => {
    expect(RECOMMENDED_MODELS.map((m) => m.name)).toEqual(
      expect.arrayContaining(["qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct"]),
    );
    expect(DEFAULT_MODEL_NAME).toBe("qwen2.5-coder-1.5b-instruct");
    for (const m of RECOMMENDED_MODELS) {
      expect(m.uri.startsWith("hf:")).toBe(true);
      expect(m.uri.endsWith(`/${m.fileName}`)).toBe(true);
      expect(m.approxSizeBytes).toBeGreaterThan(100_000_000);
    }
  });
});

describe("modelsDir", () => {
  it("uses XDG_CACHE_HOME when set, else ~/.cache", () => {
    expect(modelsDir({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/owlet/models");
    expect(modelsDir({})).toBe(join(homedir(), ".cache", "owlet", "models"));
    expect(modelsDir({ XDG_CACHE_HOME: "" })).toBe(join(homedir(), ".cache", "owlet", "models"));
  });
});

describe("listCachedModels", () => {
  it("lists .gguf files with sizes, naming catalogue files by their short name", async () => {
    await writeFile(join(dir, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"), Buffer.alloc(123));
    await writeFile(join(dir, "custom.gguf"), Buffer.alloc(7));
    await writeFile(join(dir, "partial.gguf.ipull"), Buffer.alloc(9));
    const list = await listCachedModels(dir);
    expect(list).toEqual([
      {
        name: "qwen2.5-coder-0.5b-instruct",
        path: join(dir, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"),
        sizeBytes: 123,
      },
      { name: "custom", path: join(dir, "custom.gguf"), sizeBytes: 7 },
    ]);
  });
  it("lists several directories: recommended models first in catalogue order, a name once", async () => {
    const other = join(dir, "test-models");
    await mkdir(other);
    await writeFile(join(dir, "a-custom.gguf"), Buffer.alloc(1));
    await writeFile(join(other, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"), Buffer.alloc(2));
    await writeFile(join(other, "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"), Buffer.alloc(3));
    await writeFile(join(other, "a-custom.gguf"), Buffer.alloc(4));
    const list = await listCachedModels([dir, other]);
    expect(list.map((m) => [m.name, m.sizeBytes])).toEqual([
      ["qwen2.5-coder-1.5b-instruct", 3],
      ["qwen2.5-coder-0.5b-instruct", 2],
      ["a-custom", 1],
    ]);
  });
  it("by default lists the pull cache and the test-model cache", () => {
    expect(modelDirs({ XDG_CACHE_HOME: "/x" })).toEqual(["/x/owlet/models", "/x/owlet/test-models"]);
  });
  it("returns [] for a missing directory", async () => {
    expect(await listCachedModels(join(dir, "nope"))).toEqual([]);
  });
});

describe("pullModel", () => {
  it("rejects an unknown name, listing the valid ones", async () => {
    const err = await pullModel("gpt-9", { dir, fetch: noNetwork }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownModelError);
    expect((err as UnknownModelError).validNames).toEqual(RECOMMENDED_MODELS.map((m) => m.name));
    for (const m of RECOMMENDED_MODELS) expect((err as Error).message).toContain(m.name);
  });

  it("returns the cached path without touching the network", async () => {
    const file = join(dir, "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
    await writeFile(file, Buffer.alloc(10));
    expect(await pullModel(undefined, { dir, fetch: noNetwork })).toBe(file);
  });

  it("fails at once with a clear message when the host is unreachable", async () => {
    const closed = await closedLoopbackOrigin();
    const t0 = Date.now();
    const err = await pullModel("qwen2.5-coder-0.5b-instruct", {
      dir,
      endpoint: `${closed}/`,
      pypi: false,
    }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err).toBeInstanceOf(ModelHostUnreachableError);
    const msg = (err as Error).message;
    expect(msg).toContain(closed);
    expect(msg).toMatch(/internet/i);
    expect(msg).toContain("--model");
    expect(await listCachedModels(dir)).toEqual([]);
  });
});

describe("assertHostReachable", () => {
  it("times out within the given limit on a host that never answers", async () => {
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const t0 = Date.now();
    const err = await assertHostReachable("http://10.255.255.1/", 150, hanging).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ModelHostUnreachableError);
    expect((err as Error).message).toContain("no answer within 150 ms");
  });

  it("accepts any HTTP answer as reachable", async () => {
    const answers: typeof fetch = async () => new Response(null, { status: 404 });
    await expect(assertHostReachable("http://example.invalid/", 100, answers)).resolves.toBeUndefined();
  });
});
