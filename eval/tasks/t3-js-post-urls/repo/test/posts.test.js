import assert from "node:assert/strict";
import { test } from "node:test";
import { createPost } from "../src/posts.js";

test("plain title", () => {
  assert.equal(createPost("Release notes", "").url, "/blog/release-notes/");
});

test("punctuation and accents", () => {
  assert.equal(createPost("Hello, World!", "").url, "/blog/hello-world/");
  assert.equal(createPost("  Café au lait?  ", "").slug, "cafe-au-lait");
});

test("excerpt", () => {
  const post = createPost("x", "a".repeat(50));
  assert.equal(post.excerpt.length, 40);
});
