/** Letter grade for a score from 0 to 100: 90 and above is an A, 80 a B, 70 a C, 60 a D. */
export function letterGrade(score) {
  if (score > 90) return "A";
  if (score >= 80) return "B";
  if (score >= 70) return "C";
  if (score >= 60) return "D";
  return "F";
}

/** True when the score is a pass (60 or more). */
export function passed(score) {
  return letterGrade(score) !== "F";
}

/** Counts how many scores got each letter: { A: 1, B: 0, ... }. */
export function distribution(scores) {
  const counts = { A: 0, B: 0, C: 0, D: 0, F: 0 };
  for (const score of scores) counts[letterGrade(score)] += 1;
  return counts;
}
