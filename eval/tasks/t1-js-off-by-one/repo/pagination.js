/** Number of pages needed to show `total` items, `perPage` per page. */
export function pageCount(total, perPage) {
  return Math.ceil(total / perPage);
}

/** The items on page `page` (1-based). */
export function pageItems(items, page, perPage) {
  const start = page * perPage;
  return items.slice(start, start + perPage);
}

/** True when there is a page after `page`. */
export function hasNextPage(total, page, perPage) {
  return page < pageCount(total, perPage);
}
