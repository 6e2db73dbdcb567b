const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;

/** Seconds in a duration given as hours, minutes and seconds. */
export function toSeconds({ hours = 0, minutes = 0, seconds = 0 }) {
  return hours * SECONDS_PER_HOUR + minutes * SECONDS_PER_MINUTE + seconds;
}

/** Splits seconds into { hours, minutes, seconds }. */
export function fromSeconds(total) {
  const hours = Math.floor(total / SECONDS_PER_HOUR);
  const minutes = Math.floor((total % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  return { hours, minutes, seconds: total % SECONDS_PER_MINUTE };
}

/** Formats seconds as "h:mm:ss". */
export function formatDuration(total) {
  const { hours, minutes, seconds } = fromSeconds(total);
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}
