/**
 * `owlet acp`: owlet as an Agent Client Protocol agent over stdio (newline-delimited JSON-RPC), with
 * `@agentclientprotocol/sdk`'s agent app, so Zed, JetBrains' ACP support and other ACP clients can use it.
 * Methods: initialize, session/new, session/load (owlet's stored sessions, replayed as updates),
 * session/prompt (streamed session/update notifications), session/cancel, session/set_mode (owlet's permission
 * modes); owlet calls the client's session/request_permission for asks and fs/read_text_file /
 * fs/write_text_file when the client offers them.
 */
import { Readable, Writable } from "node:stream";
import type { ClientCapabilities, SessionMode } from "@agentclientprotocol/sdk";
import { agent, ndJsonStream, PROTOCOL_VERSION, RequestError } from "@agentclientprotocol/sdk";
import type { SessionChoice } from "../agent/sessions.ts";
import type { FlagOverrides } from "../config/load.ts";
import { PERMISSION_MODES } from "../policy/modes.ts";
import { AcpSession } from "./session.ts";
import { replayUpdates } from "./updates.ts";

/** What `owlet acp` serves with. */
export interface AcpServerOptions {
  /** The protocol's input (the client writes here) and output (stdout). */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Config flags for every session (--provider, --model, …). */
  flags: Partial<FlagOverrides>;
  configFile?: string;
  /** Notices for the user (stderr). */
  notify: (message: string) => void;
  /** owlet's version (initialize's agentInfo). */
  version: string;
}

/** What each permission mode means, for the client's mode picker. */
const MODE_NAMES: Record<string, string> = {
  auto: "Auto: read-only tools run, others ask",
  default: "Default: every call asks",
  accept_edits: "Accept edits: file edits run, others ask",
  plan: "Plan: read-only tools only",
  deny: "Deny: only allow rules run",
  bypass: "Bypass: everything runs (sandboxed)",
};

function modes(current: string): { currentModeId: string; availableModes: SessionMode[] } {
  return {
    currentModeId: current,
    availableModes: PERMISSION_MODES.map((id) => ({ id, name: MODE_NAMES[id] ?? id })),
  };
}

/** An error response the client shows: the message of a setup error (session, config, credentials). */
function asRequestError(err: unknown): RequestError {
  if (err instanceof RequestError) return err;
  return RequestError.internalError(undefined, err instanceof Error ? err.message : String(err));
}

/**
 * Serves ACP until the client closes the connection (end of input). Resolves then; every session's agent is
 * closed (the router's learning saved).
 */
export async function serveAcp(opts: AcpServerOptions): Promise<void> {
  const sessions = new Map<string, AcpSession>();
  let capabilities: ClientCapabilities = {};
  const open = async (
    cwd: string,
    choice: SessionChoice,
    client: Parameters<typeof AcpSession.open>[2]["client"],
  ): Promise<AcpSession> => {
    try {
      const s = await AcpSession.open(cwd, choice, {
        flags: opts.flags,
        ...(opts.configFile ? { configFile: opts.configFile } : {}),
        env: opts.env,
        notify: opts.notify,
        client,
        capabilities,
      });
      sessions.set(s.id, s);
      return s;
    } catch (err) {
      throw asRequestError(err);
    }
  };
  const session = (id: string): AcpSession => {
    const s = sessions.get(id);
    if (!s) throw RequestError.sessionNotFound(id);
    return s;
  };

  const app = agent({ name: "owlet" })
    .onRequest("initialize", ({ params }) => {
      capabilities = params.clientCapabilities ?? {};
      return {
        protocolVersion: PROTOCOL_VERSION,
        agentCapabilities: {
          loadSession: true,
          promptCapabilities: { image: false, audio: false, embeddedContext: true },
        },
        agentInfo: { name: "owlet", title: "owlet", version: opts.version },
        authMethods: [],
      };
    })
    .onRequest("session/new", async ({ params, client }) => {
      const s = await open(params.cwd, { kind: "new" }, client);
      return { sessionId: s.id, modes: modes(s.agent.policy.mode) };
    })
    .onRequest("session/load", async ({ params, client }) => {
      const s =
        sessions.get(params.sessionId) ??
        (await open(params.cwd, { kind: "resume", id: params.sessionId }, client));
      for (const update of replayUpdates(s.agent.engine.history, s.cwd)) s.send(update);
      await s.sendNow({ sessionUpdate: "current_mode_update", currentModeId: s.agent.policy.mode });
      return { modes: modes(s.agent.policy.mode) };
    })
    .onRequest("session/prompt", async ({ params }) => {
      try {
        return await session(params.sessionId).prompt(params.prompt);
      } catch (err) {
        throw asRequestError(err);
      }
    })
    .onRequest("session/set_mode", ({ params }) => {
      const s = session(params.sessionId);
      if (!(PERMISSION_MODES as readonly string[]).includes(params.modeId))
        throw RequestError.invalidParams(
          undefined,
          `unknown mode "${params.modeId}"; use ${PERMISSION_MODES.join(", ")}`,
        );
      s.setMode(params.modeId);
      return {};
    })
    .onNotification("session/cancel", ({ params }) => {
      sessions.get(params.sessionId)?.cancel();
    });

  const stream = ndJsonStream(
    Writable.toWeb(opts.output as Writable) as WritableStream<Uint8Array>,
    Readable.toWeb(opts.input as Readable) as ReadableStream<Uint8Array>,
  );
  const connection = app.connect(stream);
  await connection.closed;
  for (const s of sessions.values()) {
    s.cancel();
    await s.agent.close();
  }
}
