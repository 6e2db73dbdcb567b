import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseQueueUrl } from "../../src/batch/queue.ts";
import { readTasks } from "../../src/batch/tasks.ts";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "owlet-tasks-")), "tasks.jsonl");
  writeFileSync(path, text);
  return path;
}

describe("the tasks file", () => {
  it("reads one task per line, skipping blank lines and comments", () => {
    const f = file(
      '# two tasks\n{"id":"a","repo":".","prompt":"p"}\n\n{"id":"b","repo":"x","prompt":"q","check":"npm test","model":"m"}\n',
    );
    expect(readTasks(f)).toEqual([
      { id: "a", repo: ".", prompt: "p" },
      { id: "b", repo: "x", prompt: "q", check: "npm test", model: "m" },
    ]);
  });

  it("names the file, line and field of a bad task", () => {
    expect(() => readTasks(file('{"id":"a","repo":"."}\n'))).toThrow(/tasks\.jsonl:1: prompt: .*required/);
    expect(() => readTasks(file('{"id":"a","repo":".","prompt":"p","extra":1}\n'))).toThrow(/:1: .*extra/);
    expect(() => readTasks(file("not json\n"))).toThrow(/:1: not a JSON object/);
    expect(() =>
      readTasks(file('{"id":"a","repo":".","prompt":"p"}\n{"id":"a","repo":".","prompt":"p"}\n')),
    ).toThrow(/:2: id "a" was already used on line 1/);
    expect(() => readTasks(file('{"id":"a b","repo":".","prompt":"p"}\n'))).toThrow(
      /id: an id without spaces/,
    );
    expect(() => readTasks(file("\n"))).toThrow(/no tasks/);
  });

  it("parses queue URLs and refuses others with the expected form", () => {
    expect(parseQueueUrl("redis://10.1.2.3:6380/4")).toEqual({ host: "10.1.2.3", port: 6380, db: 4 });
    expect(parseQueueUrl("redis://h")).toEqual({ host: "h", port: 6379, db: 0 });
    expect(() => parseQueueUrl("http://h:6379")).toThrow(/only redis:\/\//);
    expect(() => parseQueueUrl("redis://h/x")).toThrow(/database must be a number/);
  });
});
