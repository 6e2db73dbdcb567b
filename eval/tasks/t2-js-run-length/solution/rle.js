export function encode(text) {
  return text.replace(/(.)\1+/g, (run, char) => `${run.length}${char}`);
}

export function decode(text) {
  return text.replace(/(\d+)(.)/g, (_, count, char) => char.repeat(Number(count)));
}
