/** True for something that looks like an e-mail address: one "@" with text on both sides. */
export function isEmail(text) {
  const parts = text.split("@");
  return parts.length === 2 && parts[0].length > 0 && parts[1].includes(".");
}

/**
 * True when the password has at least 8 characters, a digit and an upper-case letter.
 */
export function isStrongPassword(password) {
  if (password.length < 8) return false;
  if (!/[0-9]/.test(password)) return false;
  return /[A-Z]/.test(password);
}

/** True for a username of 3-16 letters, digits or underscores. */
export function isUsername(name) {
  return /^[A-Za-z0-9_]{3,16}$/.test(name);
}
