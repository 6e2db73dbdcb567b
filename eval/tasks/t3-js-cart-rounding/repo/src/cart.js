import { priceOf } from "./catalog.js";
import { formatCents, percentOf, toCents } from "./money.js";

/** A shopping cart; amounts are kept in cents. */
export class Cart {
  constructor() {
    this.lines = [];
  }

  /** Adds `quantity` of a catalog item. */
  add(name, quantity = 1) {
    this.lines.push({ name, unitCents: toCents(priceOf(name)), quantity });
  }

  subtotalCents() {
    return this.lines.reduce((sum, line) => sum + line.unitCents * line.quantity, 0);
  }

  /** Subtotal minus a percentage discount. */
  totalCents(discountPercent = 0) {
    const subtotal = this.subtotalCents();
    return subtotal - percentOf(subtotal, discountPercent);
  }

  summary(discountPercent = 0) {
    const count = this.lines.reduce((sum, line) => sum + line.quantity, 0);
    return `${count} items, total ${formatCents(this.totalCents(discountPercent))}`;
  }
}
