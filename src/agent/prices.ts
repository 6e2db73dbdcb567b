/** What a request costs: prices of arms from `[[arms]]` rows or the models.dev catalogue, looked up once at setup. */
import type { OwletConfig } from "../config/schema.ts";
import type { ArmHandle } from "../engine/routing.ts";
import type { Usage } from "../message/types.ts";
import { lookupModel } from "../provider/model-catalog.ts";

/** Prices of one arm, USD per 1M tokens. */
export interface ArmPrice {
  input: number;
  output: number;
}

/**
 * The prices of the arms the agent may use, by arm id: `[[arms]]` rows' `price_input`/`price_output` first, else
 * (cloud arms only) the models.dev catalogue's (model-catalog.ts); local arms cost nothing. `handles` are the arms
 * known at setup (the primary one at least); arms met later are priced from config alone.
 */
export async function armPrices(
  config: OwletConfig,
  handles: readonly ArmHandle[],
): Promise<Map<string, ArmPrice>> {
  const prices = new Map<string, ArmPrice>();
  for (const row of config.arms ?? []) {
    if (row.price_input !== undefined || row.price_output !== undefined) {
      prices.set(row.id, { input: row.price_input ?? 0, output: row.price_output ?? 0 });
    }
  }
  const cloudRows = (config.arms ?? []).filter((r) => !prices.has(r.id));
  await Promise.all([
    ...handles
      .filter((h) => !prices.has(h.id))
      .map(async (h) => {
        if (h.local) return prices.set(h.id, { input: 0, output: 0 });
        const found = await lookupModel(h.provider.name, h.model);
        if (found?.inputUsdPerMTok !== undefined || found?.outputUsdPerMTok !== undefined) {
          prices.set(h.id, { input: found.inputUsdPerMTok ?? 0, output: found.outputUsdPerMTok ?? 0 });
        }
      }),
    ...cloudRows.map(async (r) => {
      const found = await lookupModel(r.provider, r.model, r.base_url);
      if (found?.inputUsdPerMTok !== undefined || found?.outputUsdPerMTok !== undefined) {
        prices.set(r.id, { input: found.inputUsdPerMTok ?? 0, output: found.outputUsdPerMTok ?? 0 });
      }
    }),
  ]);
  return prices;
}

/** USD of one request's usage at `price` (prompt and completion tokens; cache counts are not priced apart). */
export function usageCost(usage: Usage, price: ArmPrice): number {
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
