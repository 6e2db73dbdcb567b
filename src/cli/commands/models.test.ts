import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedLoopbackOrigin } from "../../../test/support/fake-local-servers.ts";
import { RECOMMENDED_MODELS } from "../../provider/local/models.ts";
import { formatBytes, renderProgressBar, runModelsList, runModelsPull } from "./models.ts";

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "owlet-cli-models-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("renderProgressBar", () => {
  it("fills in proportion to progress", () => {
    expect(renderProgressBar({ downloadedBytes: 0, totalBytes: 100 }, 10)).toBe(
      "[----------]   0%  0 B / 100 B",
    );
    expect(renderProgressBar({ downloadedBytes: 50, totalBytes: 100 }, 10)).toBe(
      "[#####-----]  50%  50 B / 100 B",
    );
    expect(renderProgressBar({ downloadedBytes: 2_000_000_000, totalBytes: 2_000_000_000 }, 4)).toBe(
      "[####] 100%  2.0 GB / 2.0 GB",
    );
  });
  it("shows only the downloaded size while the total is unknown", () => {
    expect(renderProgressBar({ downloadedBytes: 5_000_000, totalBytes: 0 }, 3)).toBe("[   ]  5 MB");
  });
  it("formats bytes in SI units", () => {
    expect(formatBytes(491_000_000)).toBe("491 MB");
    expect(formatBytes(1_120_000_000)).toBe("1.1 GB");
  });
});

describe("runModelsList", () => {
  it("lists cached files and the pullable catalogue, marking the cached and default ones", async () => {
    await writeFile(join(dir, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"), Buffer.alloc(2048));
    const out = sink();
    expect(await runModelsList(out.stream, { dir })).toBe(0);
    const text = out.text();
    expect(text).toContain(join(dir, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"));
    expect(text).toMatch(/qwen2\.5-coder-0\.5b-instruct {2}~491 MB {2}\(cached\)/);
    expect(text).toMatch(/qwen2\.5-coder-1\.5b-instruct {2}~1\.1 GB {2}\(default\)/);
  });
});

describe("runModelsPull", () => {
  it("exits 2 for an unknown name and lists the valid ones", async () => {
    const out = sink();
    const err = sink();
    const code = await runModelsPull("no-such-model", { out: out.stream, err: err.stream, pull: { dir } });
    expect(code).toBe(2);
    for (const m of RECOMMENDED_MODELS) expect(err.text()).toContain(m.name);
    expect(out.text()).toBe("");
  });

  it("exits 1 at once when the download host is unreachable", async () => {
    const closed = await closedLoopbackOrigin();
    const out = sink();
    const err = sink();
    const t0 = Date.now();
    const code = await runModelsPull(undefined, {
      out: out.stream,
      err: err.stream,
      pull: { dir, endpoint: `${closed}/`, pypi: false },
    });
    expect(code).toBe(2);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err.text()).toContain("Cannot reach");
    expect(err.text()).toContain("--model");
  });

  it("draws a \\r progress bar on stderr and prints the path on stdout", async () => {
    const out = sink();
    const err = sink();
    const code = await runModelsPull("qwen2.5-coder-0.5b-instruct", {
      out: out.stream,
      err: err.stream,
      pullFn: async (_name, opts) => {
        opts?.onProgress?.({ downloadedBytes: 0, totalBytes: 100 });
        opts?.onProgress?.({ downloadedBytes: 60, totalBytes: 100 });
        opts?.onProgress?.({ downloadedBytes: 100, totalBytes: 100 });
        return "/cache/q.gguf";
      },
    });
    expect(code).toBe(0);
    expect(out.text()).toBe("/cache/q.gguf\n");
    const e = err.text();
    expect(e.split("\r").filter(Boolean)).toHaveLength(3);
    expect(e).toContain("100%");
    expect(e.endsWith("\n")).toBe(true);
  });

  it("exits 1 with advice when the download fails midway", async () => {
    const err = sink();
    const code = await runModelsPull(undefined, {
      out: sink().stream,
      err: err.stream,
      pullFn: async () => {
        throw new Error("socket hang up");
      },
    });
    expect(code).toBe(1);
    expect(err.text()).toContain("socket hang up");
    expect(err.text()).toContain("--model");
  });
});
