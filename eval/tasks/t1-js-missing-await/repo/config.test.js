import assert from "node:assert/strict";
import { test } from "node:test";
import { loadAll, loadConfig, withDefaults } from "./config.js";

const files = {
  "a.json": '{"port": 3000}',
  "b.json": '{"debug": true, "host": "example.com"}',
};
const fakeRead = async (path) => files[path];

test("withDefaults", () => {
  assert.deepEqual(withDefaults({ port: 1 }), { port: 1, host: "localhost", debug: false });
});

test("loadConfig parses the file and adds defaults", async () => {
  assert.deepEqual(await loadConfig("a.json", fakeRead), { port: 3000, host: "localhost", debug: false });
});

test("loadAll", async () => {
  const [a, b] = await loadAll(["a.json", "b.json"], fakeRead);
  assert.equal(a.port, 3000);
  assert.equal(b.host, "example.com");
  assert.equal(b.debug, true);
});
