// A local server speaking the OpenAI protocol (`POST /v1/chat/completions`, `POST /v1/embeddings`)
// on 127.0.0.1 for tests: chat replies are scripted per test (SQL, errors with status and headers,
// hangs, dropped connections) and every request is recorded so tests can read the prompts sent.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LocalEmbedder } from '@rt-lakehouse/kernel-helpers';

export type ScriptedReply =
  /** A completion whose message is `content`. */
  | { content: string; delayMs?: number; model?: string }
  /** A completion holding `sql` in a ```sql fence and an Explanation line. */
  | { sql: string; explanation?: string; delayMs?: number }
  /** An HTTP error with the OpenAI error body. */
  | { status: number; message?: string; headers?: Record<string, string>; delayMs?: number }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true }
  /** Drops the connection without an answer. */
  | { drop: true };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ChatCompletionBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
}

export interface FakeOpenAiServer {
  /** The base URL to configure (`OPENAI_BASE_URL`), ending in `/v1`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The bodies of the chat completion requests received, in order. */
  chatRequests(): ChatCompletionBody[];
  /** Queues replies for the next chat completion requests, in order. */
  reply(...replies: ScriptedReply[]): void;
  /** The reply when the queue is empty (default: a 500 saying nothing was scripted). */
  setDefault(reply: ScriptedReply | ((body: ChatCompletionBody) => ScriptedReply)): void;
  /** Forgets recorded requests, queued replies and the default. */
  reset(): void;
  close(): Promise<void>;
}

const NOTHING_SCRIPTED: ScriptedReply = { status: 500, message: 'the fake server has no scripted reply' };

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  let queue: ScriptedReply[] = [];
  let fallback: ScriptedReply | ((body: ChatCompletionBody) => ScriptedReply) = NOTHING_SCRIPTED;
  const sockets = new Set<Socket>();
  const hanging = new Set<http.ServerResponse>();
  let counter = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(res, body);
    if (req.method !== 'POST' || path !== '/v1/chat/completions')
      return send(res, 404, {
        error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' },
      });
    const chat = body as ChatCompletionBody;
    const scripted = queue.shift() ?? (typeof fallback === 'function' ? fallback(chat) : fallback);
    if ('hang' in scripted) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if ('drop' in scripted) {
      req.socket.destroy();
      return;
    }
    if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
    if ('status' in scripted)
      return send(
        res,
        scripted.status,
        {
          error: {
            message: scripted.message ?? `scripted ${scripted.status}`,
            type: 'server_error',
            code: null,
          },
        },
        scripted.headers,
      );
    const content =
      'sql' in scripted
        ? `Here is the query.\n\n\`\`\`sql\n${scripted.sql}\n\`\`\`\n\nExplanation: ${scripted.explanation ?? 'the scripted query.'}`
        : scripted.content;
    counter++;
    send(res, 200, {
      id: `chatcmpl-fake-${counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: ('model' in scripted && scripted.model) || chat?.model || 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatCompletionBody),
    reply: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      fallback = NOTHING_SCRIPTED;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Embeddings from the library's local embedder, so similar texts get similar vectors. */
function embeddings(res: http.ServerResponse, body: unknown): void {
  const { input, dimensions, model } = (body ?? {}) as {
    input?: string | string[];
    dimensions?: number;
    model?: string;
  };
  const texts = Array.isArray(input) ? input : typeof input === 'string' ? [input] : [];
  const embedder = new LocalEmbedder({ dimension: dimensions ?? 64 });
  send(res, 200, {
    object: 'list',
    model: model ?? 'fake-embedding',
    data: texts.map((t, index) => ({ object: 'embedding', index, embedding: embedder.embedOne(t) })),
    usage: { prompt_tokens: texts.length, total_tokens: texts.length },
  });
}
