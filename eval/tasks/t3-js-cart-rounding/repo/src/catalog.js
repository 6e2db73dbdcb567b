const PRICES = { notebook: 4.35, pen: 1.15, backpack: 19.99, eraser: 0.5 };

/** Unit price in dollars of a catalog item; throws for unknown items. */
export function priceOf(name) {
  if (!(name in PRICES)) throw new Error(`unknown item: ${name}`);
  return PRICES[name];
}
