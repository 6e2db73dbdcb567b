/** True for text that is empty or only whitespace. */
export function isBlank(text) {
  return text.trim() === "";
}

/** True for something shaped like name@domain.tld. */
export function isEmail(text) {
  return /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(text);
}

/** True when min <= value <= max. */
export function inRange(value, min, max) {
  return value > min && value <= max;
}
