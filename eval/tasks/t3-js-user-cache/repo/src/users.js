import { Cache } from "./cache.js";

/**
 * Looks users up through `fetchUser(id)` (async), caching each result for `ttlMs`.
 * `now` is injectable for tests.
 */
export function createUserService(fetchUser, { ttlMs = 60_000, now = Date.now } = {}) {
  const cache = new Cache(ttlMs, now);
  return {
    async getUser(id) {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      const user = await fetchUser(id);
      cache.set(id, user);
      return user;
    },
  };
}
