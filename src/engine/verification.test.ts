import { describe, expect, it } from "vitest";
import { VerificationTracker } from "./verification.ts";

describe("VerificationTracker", () => {
  it("reminds once to run something after a change, and once to fix a failed run", () => {
    const v = new VerificationTracker();
    expect(v.reminder()).toBeUndefined();
    v.changedFile("math.js");
    expect(v.reminder()).toMatch(/have not run anything/);
    expect(v.reminder()).toBeUndefined();
    v.ran("node --test", false);
    expect(v.failure()).toMatch(/node --test/);
    v.changedFile("math.js");
    v.ran("node --test", false);
    expect(v.reminder()).toMatch(/failed: `node --test`/);
    v.ran("node --test", true);
    expect(v.failure()).toBeUndefined();
    expect(v.reminder()).toBeUndefined();
  });

  it("a run before any change does not count as a check; a successful one may have changed files", () => {
    const v = new VerificationTracker();
    v.ran("node --test", false);
    expect(v.failure()).toBeUndefined();
    expect(v.mayHaveChanged()).toBe(false);
    expect(v.noChangeReminder()).toMatch(/not changed any file/);
    expect(v.noChangeReminder()).toBeUndefined();
    v.ran("sed -i s/a/b/ x", true);
    expect(v.mayHaveChanged()).toBe(true);
  });
});
