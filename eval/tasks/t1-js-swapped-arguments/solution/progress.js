/** `part` as a percentage of `whole`, rounded to a whole number. */
export function percent(part, whole) {
  if (whole === 0) return 0;
  return Math.round((part / whole) * 100);
}

/** Progress of a job with `done` of `total` steps finished, in percent. */
export function progress(done, total) {
  return percent(done, total);
}

/** A text progress bar of `width` cells, e.g. "[##--] 50%". */
export function progressBar(done, total, width = 10) {
  const value = progress(done, total);
  const filled = Math.round((value / 100) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${value}%`;
}
