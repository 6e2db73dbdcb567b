import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { StatusInfo } from "../controller.ts";
import { formatTokens, formatUsd } from "../render/format.ts";
import { useTheme } from "../theme.ts";

/**
 * The status line, always under the prompt: the permission mode (first, so it survives a narrow terminal), arm
 * and model, context used (tokens and % of the window), the session's tokens and cost, two-stage on/off.
 * Items that do not fit the width are cut from the end.
 */
export function StatusLine({ status, width }: { status: StatusInfo; width: number }): ReactNode {
  const theme = useTheme();
  const mode = status.mode ?? "…";
  const ctx =
    status.contextTokens !== undefined
      ? `ctx ${formatTokens(status.contextTokens)}${status.contextWindow ? `/${formatTokens(status.contextWindow)} (${Math.round((100 * status.contextTokens) / status.contextWindow)}%)` : ""}`
      : status.contextWindow
        ? `ctx 0/${formatTokens(status.contextWindow)}`
        : undefined;
  const tokens = status.usage.inputTokens + status.usage.outputTokens;
  const parts = [
    status.model ? `${status.arm ?? status.model}` : "connecting…",
    ctx,
    `${formatTokens(tokens)} tok${status.costUsd !== undefined ? ` ${formatUsd(status.costUsd)}` : ""}`,
    status.twoStage === undefined ? undefined : `two-stage ${status.twoStage ? "on" : "off"}`,
  ].filter((p): p is string => p !== undefined);
  const modeText = `⏵ ${mode}`;
  let rest = "";
  for (const p of parts) {
    const next = rest ? `${rest} · ${p}` : p;
    if (modeText.length + 3 + next.length > width) break;
    rest = next;
  }
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text color={theme.mode(mode)} bold inverse={!theme.color}>
          {modeText}
        </Text>
        <Text dimColor>{rest ? ` · ${rest}` : ""}</Text>
        <Text dimColor>{width >= 100 ? "  (shift+tab: mode)" : ""}</Text>
      </Text>
    </Box>
  );
}
