import assert from "node:assert/strict";
import { test } from "node:test";
import { displayName } from "../src/display.js";
import { createUserService } from "../src/users.js";

function fakeApi() {
  const api = {
    calls: 0,
    async fetchUser(id) {
      api.calls += 1;
      return { id, first: "Ann", last: "Lee", email: "ann@example.com" };
    },
  };
  return api;
}

test("a second lookup within the ttl is served from the cache", async () => {
  const api = fakeApi();
  let time = 1000;
  const service = createUserService(api.fetchUser, { ttlMs: 500, now: () => time });
  await service.getUser(7);
  time += 100;
  const user = await service.getUser(7);
  assert.equal(api.calls, 1);
  assert.equal(displayName(user), "Ann Lee <ann@example.com>");
});

test("an expired entry is fetched again", async () => {
  const api = fakeApi();
  let time = 1000;
  const service = createUserService(api.fetchUser, { ttlMs: 500, now: () => time });
  await service.getUser(7);
  time += 600;
  await service.getUser(7);
  assert.equal(api.calls, 2);
});
