const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses "YYYY-MM-DD" into a Date at midnight UTC. */
export function parseDate(text) {
  const [year, month, day] = text.split("-").map(Number);
  return new Date(Date.UTC(year, month, day));
}

/** Formats a Date as "YYYY-MM-DD" (UTC). */
export function formatDate(date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(date, days) {
  return new Date(date.getTime() + days * DAY_MS);
}

/** True on Saturdays and Sundays (UTC). */
export function isWeekend(date) {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}
