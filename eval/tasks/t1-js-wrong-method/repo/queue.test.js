import assert from "node:assert/strict";
import { test } from "node:test";
import { TaskQueue } from "./queue.js";

test("tasks come out in the order they went in", () => {
  const queue = new TaskQueue();
  queue.enqueue("build");
  queue.enqueue("test");
  queue.enqueue("deploy");
  assert.equal(queue.dequeue(), "build");
  assert.equal(queue.dequeue(), "test");
  assert.equal(queue.size, 1);
});

test("urgent tasks go first", () => {
  const queue = new TaskQueue();
  queue.enqueue("lint");
  queue.enqueueUrgent("hotfix");
  assert.equal(queue.dequeue(), "hotfix");
  assert.equal(queue.dequeue(), "lint");
});

test("dequeue on an empty queue", () => {
  assert.equal(new TaskQueue().dequeue(), undefined);
});
