import { describe, expect, it } from "vitest";
import { noPatchTrip, PATCH_INSTRUCTION, patchInstruction } from "./fix-loop.ts";

describe("fix loop messages", () => {
  it("the patch instruction names at most two suspect functions and their files", () => {
    expect(patchInstruction(new Map())).toBe(PATCH_INSTRUCTION);
    const named = patchInstruction(new Map([["pageItems", "pagination.js"]]));
    expect(named).toContain("pageItems() in pagination.js");
    expect(named.endsWith(PATCH_INSTRUCTION)).toBe(true);
    const many = new Map(["a", "b", "c", "d"].map((n) => [n, "x.js"]));
    expect(patchInstruction(many)).not.toContain("c()");
  });

  it("asks differently on each attempt: suspects, the whole file, the plain ask, then round again", () => {
    const suspects = new Map([["pageItems", "pagination.js"]]);
    const asks = [0, 1, 2, 3].map((a) => patchInstruction(suspects, a, ["pagination.js"]));
    expect(asks[0]).toContain("pageItems()");
    expect(asks[1]).toContain("whole fixed pagination.js");
    expect(asks[2]).toBe(PATCH_INSTRUCTION);
    expect(asks[3]).toBe(asks[0]);
  });

  it("a reply without an edit gets a no_patch trip whose correction says why", () => {
    const unchanged = noPatchTrip("unchanged", ["stats.js"]);
    expect(unchanged.detector).toBe("no_patch");
    expect(unchanged.injection).toContain("stats.js");
    expect(
      new Set(
        ["no_code", "not_placed", "unchanged", "cut"].map((r) => noPatchTrip(r as "no_code", []).injection),
      ).size,
    ).toBe(4);
  });
});
