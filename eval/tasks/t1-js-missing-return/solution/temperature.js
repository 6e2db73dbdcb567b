/** Degrees Celsius to degrees Fahrenheit. */
export function celsiusToFahrenheit(celsius) {
  return (celsius * 9) / 5 + 32;
}

/** Degrees Fahrenheit to degrees Celsius. */
export function fahrenheitToCelsius(fahrenheit) {
  const celsius = ((fahrenheit - 32) * 5) / 9;
  return celsius;
}

/** A word for a temperature in degrees Celsius. */
export function describe(celsius) {
  if (celsius < 0) return "freezing";
  if (celsius < 15) return "cold";
  if (celsius < 25) return "mild";
  return "hot";
}
