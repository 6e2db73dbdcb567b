export const BASE_PATH = "/blog";

/** The path of a post page. */
export function postUrl(slug) {
  return `${BASE_PATH}/${slug}/`;
}
