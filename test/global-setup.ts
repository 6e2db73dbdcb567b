import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Builds dist/ once before the suite so the CLI tests run the real executable (bin/owlet → dist/cli/main.js)
 * from the current sources, exactly as a user would after `npm install`. A failed build is reported here and
 * leaves no dist/ behind (noEmitOnError), so the CLI tests fail with "not built" rather than run stale code;
 * the other tests still run.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  try {
    execFileSync("sh", ["scripts/prepare.sh"], { cwd: root, stdio: "pipe" });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(
      `global-setup: build failed; CLI tests will fail\n${out.stdout ?? ""}${out.stderr ?? ""}\n`,
    );
  }
}
