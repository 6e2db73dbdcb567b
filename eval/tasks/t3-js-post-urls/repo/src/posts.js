import { slugify } from "./slug.js";
import { postUrl } from "./urls.js";

/** A new post: { title, slug, url, excerpt } where the excerpt is the first 40 characters of the body. */
export function createPost(title, body) {
  const slug = slugify(title);
  const excerpt = body.length > 40 ? `${body.slice(0, 39)}…` : body;
  return { title, slug, url: postUrl(slug), excerpt };
}
