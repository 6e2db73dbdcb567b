/**
 * Search memo for one scan of one text, so that text full of openers that never close (`<bash>`
 * repeated, a model stuck printing `[TOOL]`) costs linear time instead of one search to the end per
 * opener. Two facts are kept: a needle absent from position p on is absent from every later position;
 * and a bracket scan of bare text (outside any call marker) that ran from p to the end unclosed means
 * any later bare candidate lies inside that unclosed value (the old parser treated it as text too).
 */
export class ScanMemo {
  private readonly absentFrom = new Map<string, number>();
  private readonly unclosedFrom = new Map<string, number>();

  /** `text.indexOf(needle, from)`, remembering where `needle` is known to be absent. */
  indexOf(text: string, needle: string, from: number): number {
    const absent = this.absentFrom.get(needle);
    if (absent !== undefined && from >= absent) return -1;
    const at = text.indexOf(needle, from);
    if (at < 0) this.absentFrom.set(needle, absent === undefined ? from : Math.min(absent, from));
    return at;
  }

  /**
   * `search()` (which looks for `key` from `from` and returns an index or -1), skipped when `key` is
   * known to be absent from `from` on.
   */
  find(key: string, from: number, search: () => number): number {
    const absent = this.absentFrom.get(key);
    if (absent !== undefined && from >= absent) return -1;
    const at = search();
    if (at < 0) this.absentFrom.set(key, absent === undefined ? from : Math.min(absent, from));
    return at;
  }

  /** True when a bare bracket scan of `kind` already ran unclosed to the end from before `from`. */
  insideUnclosed(kind: string, from: number): boolean {
    const p = this.unclosedFrom.get(kind);
    return p !== undefined && from > p;
  }

  /** Records a bare bracket scan of `kind` from `from` that reached the end unclosed. */
  markUnclosed(kind: string, from: number): void {
    const p = this.unclosedFrom.get(kind);
    if (p === undefined || from < p) this.unclosedFrom.set(kind, from);
  }
}
