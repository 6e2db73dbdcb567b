import { addDays, formatDate, isWeekend, parseDate } from "./dates.js";

/** The date `count` business days after `start` ("YYYY-MM-DD"), skipping weekends. */
export function addBusinessDays(start, count) {
  let date = parseDate(start);
  let left = count;
  while (left > 0) {
    date = addDays(date, 1);
    if (!isWeekend(date)) left -= 1;
  }
  return formatDate(date);
}

/** An invoice is due 10 business days after it is issued. */
export function dueDate(issued) {
  return addBusinessDays(issued, 10);
}
