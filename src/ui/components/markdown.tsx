import { Box, Text } from "ink";
import { Lexer, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

import { type Theme, useTheme } from "../theme.ts";
import { CodeBlock } from "./code-block.tsx";

/**
 * Markdown as terminal text: headings bold, emphasis, inline code, links with their URL, lists (nested), block
 * quotes, rules, tables as aligned rows, and fenced code blocks highlighted for their language (see highlightCode).
 * Parsed with marked's lexer; unknown tokens fall back to their raw text.
 */
export function Markdown({ text }: { text: string }): ReactNode {
  const theme = useTheme();
  const tokens = Lexer.lex(text, { gfm: true });
  return <Box flexDirection="column">{blocks(tokens, theme, "b")}</Box>;
}

function blocks(tokens: Token[], theme: Theme, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  tokens.forEach((token, i) => {
    const node = block(token, theme, `${key}.${i}`);
    if (node !== null) out.push(node);
  });
  return out;
}

function block(token: Token, theme: Theme, key: string): ReactNode {
  switch (token.type) {
    case "space":
      return null;
    case "heading": {
      const t = token as Tokens.Heading;
      return (
        <Box key={key} marginTop={0}>
          <Text bold color={theme.accent} underline={t.depth === 1}>
            {inline(t.tokens, theme, key)}
          </Text>
        </Box>
      );
    }
    case "paragraph": {
      const t = token as Tokens.Paragraph;
      return (
        <Box key={key}>
          <Text>{inline(t.tokens, theme, key)}</Text>
        </Box>
      );
    }
    case "code": {
      const t = token as Tokens.Code;
      return <CodeBlock key={key} code={t.text} lang={(t.lang ?? "").split(/\s/)[0] ?? ""} />;
    }
    case "blockquote": {
      const t = token as Tokens.Blockquote;
      return (
        <Box
          key={key}
          borderStyle="single"
          borderLeft
          borderRight={false}
          borderTop={false}
          borderBottom={false}
          paddingLeft={1}
          flexDirection="column"
        >
          {blocks(t.tokens, theme, key)}
        </Box>
      );
    }
    case "list": {
      const t = token as Tokens.List;
      const start = typeof t.start === "number" ? t.start : 1;
      return (
        <Box key={key} flexDirection="column">
          {t.items.map((item, i) => (
            <Box key={`${key}.${i}`}>
              <Text color={theme.accent}>
                {t.ordered ? `${start + i}. ` : item.task ? (item.checked ? "☑ " : "☐ ") : "• "}
              </Text>
              <Box flexDirection="column" flexShrink={1}>
                {listItem(item, theme, `${key}.${i}`)}
              </Box>
            </Box>
          ))}
        </Box>
      );
    }
    case "hr":
      return (
        <Text key={key} dimColor>
          {"─".repeat(20)}
        </Text>
      );
    case "table": {
      const t = token as Tokens.Table;
      const rows = [t.header.map((c) => c.text), ...t.rows.map((r) => r.map((c) => c.text))];
      const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
      return (
        <Box key={key} flexDirection="column">
          {rows.map((r, i) => (
            <Text key={`${key}.${i}`} bold={i === 0}>
              {r.map((c, col) => c.padEnd(widths[col]!)).join(" │ ")}
            </Text>
          ))}
        </Box>
      );
    }
    case "html":
    case "text": {
      const t = token as Tokens.Text;
      return (
        <Box key={key}>
          <Text>{t.tokens ? inline(t.tokens, theme, key) : t.text}</Text>
        </Box>
      );
    }
    default:
      return (
        <Box key={key}>
          <Text>{(token as { raw?: string }).raw ?? ""}</Text>
        </Box>
      );
  }
}

/** A list item's blocks; a tight item's text tokens become one line. */
function listItem(item: Tokens.ListItem, theme: Theme, key: string): ReactNode[] {
  return item.tokens.flatMap((t, i): ReactNode[] => {
    if (t.type === "text") {
      const text = t as Tokens.Text;
      return [
        <Text key={`${key}.${i}`}>
          {text.tokens ? inline(text.tokens, theme, `${key}.${i}`) : text.text}
        </Text>,
      ];
    }
    const node = block(t, theme, `${key}.${i}`);
    return node === null ? [] : [node];
  });
}

function inline(tokens: Token[] | undefined, theme: Theme, key: string): ReactNode[] {
  if (!tokens) return [];
  return tokens.map((token, i) => {
    const k = `${key}.i${i}`;
    switch (token.type) {
      case "strong":
        return (
          <Text key={k} bold>
            {inline((token as Tokens.Strong).tokens, theme, k)}
          </Text>
        );
      case "em":
        return (
          <Text key={k} italic>
            {inline((token as Tokens.Em).tokens, theme, k)}
          </Text>
        );
      case "del":
        return (
          <Text key={k} strikethrough>
            {inline((token as Tokens.Del).tokens, theme, k)}
          </Text>
        );
      case "codespan":
        return (
          <Text key={k} color={theme.code} bold={!theme.color}>
            {unescapeText((token as Tokens.Codespan).text)}
          </Text>
        );
      case "link": {
        const t = token as Tokens.Link;
        const label = inline(t.tokens, theme, k);
        return (
          <Text key={k}>
            <Text underline color={theme.accent}>
              {label}
            </Text>
            {t.text !== t.href ? <Text dimColor>{` (${t.href})`}</Text> : null}
          </Text>
        );
      }
      case "br":
        return <Text key={k}>{"\n"}</Text>;
      case "text": {
        const t = token as Tokens.Text;
        return <Text key={k}>{t.tokens ? inline(t.tokens, theme, k) : unescapeText(t.text)}</Text>;
      }
      case "escape":
        return <Text key={k}>{(token as Tokens.Escape).text}</Text>;
      default:
        return <Text key={k}>{(token as { raw?: string }).raw ?? ""}</Text>;
    }
  });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
/** marked escapes `&<>"'` in text tokens; the terminal wants them back. */
function unescapeText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!);
}
