import { Box, Text, useAnimation } from "ink";
import type { ReactNode } from "react";
import type { AgentProgress } from "../../agent/agent.ts";
import type { Phase } from "../controller.ts";
import { formatBytes } from "../render/format.ts";
import { useTheme } from "../theme.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** What the activity line says for a phase, given seconds in it and tokens/s while writing. */
export function activityText(
  phase: Phase,
  seconds: number,
  tokensPerSecond: number | undefined,
  queued: number,
): string {
  const s = `${Math.floor(seconds)} s`;
  const q = queued > 0 ? ` · ${queued} queued` : "";
  switch (phase) {
    case "setup":
      return `connecting to a model… ${s}`;
    case "waiting":
      return `choosing a model… ${s}${q}`;
    case "reading":
      return `reading the prompt… ${s}${q} · Esc to interrupt`;
    case "writing":
      return `writing${tokensPerSecond !== undefined ? ` · ${tokensPerSecond.toFixed(1)} tokens/s` : ""} · ${s}${q} · Esc to interrupt`;
    case "tools":
      return `running tools… ${s}${q} · Esc to interrupt`;
    case "shell":
      return `running… ${s} · Esc to interrupt`;
    case "summarising":
      return `summarising the conversation… ${s}${q} · Esc to interrupt`;
    default:
      return "";
  }
}

/**
 * The spinner line while something runs: elapsed seconds while the model reads the prompt (a CPU model can take a
 * minute), tokens/s while it writes (≈ characters/4 over the time since its first token).
 */
export function Activity({
  phase,
  since,
  firstTokenAt,
  chars,
  queued,
}: {
  phase: Phase;
  since: number;
  firstTokenAt: number | undefined;
  chars: number;
  queued: number;
}): ReactNode {
  const theme = useTheme();
  const { frame } = useAnimation({ interval: 100 });
  const now = Date.now();
  const writingFor = firstTokenAt !== undefined ? (now - firstTokenAt) / 1000 : 0;
  const rate = phase === "writing" && writingFor >= 0.5 ? chars / 4 / writingFor : undefined;
  return (
    <Text color={theme.accent} wrap="truncate-end">
      {`${FRAMES[frame % FRAMES.length]} `}
      <Text dimColor>{activityText(phase, (now - since) / 1000, rate, queued)}</Text>
    </Text>
  );
}

/** A progress bar for a model download (bytes) or load (fraction), `width` columns for the bar. */
export function ProgressBar({ progress, width }: { progress: AgentProgress; width: number }): ReactNode {
  const theme = useTheme();
  const frac = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const bar = Math.max(10, Math.min(40, width - 40));
  const filled = Math.round(frac * bar);
  const amount =
    progress.unit === "bytes"
      ? `${formatBytes(progress.done)}${progress.total ? ` / ${formatBytes(progress.total)}` : ""}`
      : "";
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text>{`${progress.label} `}</Text>
        <Text color={theme.ok}>{"█".repeat(filled)}</Text>
        <Text dimColor>{"░".repeat(bar - filled)}</Text>
        <Text>{` ${Math.floor(frac * 100)}% ${amount}`}</Text>
      </Text>
    </Box>
  );
}
