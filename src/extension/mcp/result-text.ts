/** MCP content blocks → the text a tool result carries. */

/** One content block of a tools/call or prompts/get result (the parts owlet reads). */
interface ContentBlock {
  type: string;
  text?: string;
  mimeType?: string;
  data?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string; blob?: string };
}

/**
 * The text of a tools/call result: text blocks as they are, an embedded text resource's text, images, audio and
 * binary resources as a one-line placeholder (`[image image/png, 1234 bytes]`: owlet sends the model text),
 * resource links as `[resource link: <uri>]`, joined by blank lines; with no content, the structuredContent as
 * JSON. Never throws.
 */
export function callResultText(result: { content?: unknown; structuredContent?: unknown }): string {
  const blocks = Array.isArray(result.content) ? (result.content as ContentBlock[]) : [];
  const parts = blocks.map(blockText).filter((t) => t !== "");
  if (parts.length === 0 && result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent, null, 2);
  return parts.join("\n\n");
}

/** The text of one content block (see callResultText). */
export function blockText(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text ?? "";
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType ?? ""}, ${bytesOfBase64(block.data)} bytes]`;
    case "resource": {
      const r = block.resource ?? {};
      if (typeof r.text === "string") return r.text;
      return `[resource ${r.uri ?? ""} ${r.mimeType ?? ""}, ${bytesOfBase64(r.blob)} bytes]`;
    }
    case "resource_link":
      return `[resource link: ${block.uri ?? ""}${block.name ? ` (${block.name})` : ""}]`;
    default:
      return `[${block.type} content]`;
  }
}

function bytesOfBase64(data: string | undefined): number {
  if (!data) return 0;
  return Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);
}
