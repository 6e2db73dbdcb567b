import { MESSAGES } from "./messages.js";
import { inRange, isBlank, isEmail } from "./rules.js";

export const MIN_AGE = 13;
export const MAX_AGE = 120;

/** Validates a signup form { name, email, age }; returns a list of error messages (empty when valid). */
export function validateSignup(form) {
  const errors = [];
  if (isBlank(form.name ?? "")) errors.push(MESSAGES.name);
  if (!isEmail(form.email ?? "")) errors.push(MESSAGES.email);
  if (!inRange(Number(form.age), MIN_AGE, MAX_AGE)) errors.push(MESSAGES.age);
  return errors;
}
