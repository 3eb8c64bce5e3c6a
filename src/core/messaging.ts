/**
 * The one message toolkit of every channel: host ↔ decoding worker (src/worker/messages.ts, which
 * joins src/worker/followMessages.ts), and host ↔ each webview: the capture editor
 * (src/extension/capture/webviewMessages.ts), the flow graph (src/extension/flow/messages.ts), Follow
 * TCP Stream (src/extension/follow/messages.ts) and the Graphs panel (src/extension/graphs/messages.ts).
 * Each end of a channel makes one MessageHandler; it
 *
 * - sends requests and hands back their replies: `request(type, body)` gives the message the next
 *   `id` and resolves with the reply that repeats it (or rejects: the channel's error message with
 *   that id, a timeout, `cancelAll`, `close`);
 * - dispatches every other message by `type` to the handler registered with `on(type, …)`; when
 *   the message is a request of the other end, what the handler returns is posted as its reply
 *   (with the request's `id`), and what it throws goes to `onError`;
 * - checks what arrives first when told how (`validate`: every message from a webview is data
 *   until checked).
 *
 * A channel is described by its two message unions (what this end sends, what it receives) and
 * one request → reply map of `type`s, covering requests in both directions (the flow channel has
 * one each way: `rows` → `rows`, `renderPng` → `png`). A message settles a request only when its
 * `id` is pending *and* its type is that request's reply type, so one end's request ids never
 * mistake the other end's requests (which carry ids of their own) for replies.
 *
 * Pure (no DOM, no Node): the webviews, the worker and the extension host all bundle it. Timers
 * come from the caller (`setTimer`), since the core has no setTimeout.
 */

/** Every message of every channel: a plain object with a readable string `type`. */
export interface Message {
  type: string;
}

/** A channel's requests: request `type` → the `type` of its reply. */
export type ReplyMap = { readonly [request: string]: string };

/** The member of a message union with this `type`. */
export type MessageOf<M extends Message, T> = Extract<M, { type: T }>;

/** A message without its `type` and `id` (what a request's caller or a reply's handler gives). */
export type BodyOf<M> = M extends unknown ? Omit<M, 'type' | 'id'> : never;

/** The requests this end sends: types of `Out` that the map lists and whose reply is one of `In`. */
export type RequestType<Out extends Message, In extends Message, R extends ReplyMap> = {
  [K in keyof R & Out['type']]: R[K] extends In['type'] ? K : never;
}[keyof R & Out['type']];

/** What a handler of an incoming `type` returns: the reply's body for a request of the other end, else nothing. */
export type HandlerResult<Out extends Message, R extends ReplyMap, K> = K extends keyof R
  ? R[K] extends Out['type']
    ? BodyOf<MessageOf<Out, R[K]>> | undefined
    : void
  : void;

export type Handler<In extends Message, Out extends Message, R extends ReplyMap, K extends In['type']> = (
  msg: MessageOf<In, K>,
) => HandlerResult<Out, R, K> | Promise<HandlerResult<Out, R, K>>;

/** Starts a timer; returns the function that stops it. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface MessageHandlerOptions<Out extends Message, In extends Message, R extends ReplyMap> {
  /** Sends a message to the other end (postMessage; a transfer list, when any, is the caller's business). */
  post(msg: Out): void;
  /** The channel's request → reply map (the same object at both ends). */
  replies: R;
  /** Checks a raw incoming message: the message when well formed, null to drop it. Absent: trusted. */
  validate?: (raw: unknown) => In | null;
  /** The type of the other end's "your request failed" message (`{ id, message }`): it rejects that request. */
  errorType?: In['type'];
  /** A handler threw or rejected (the message it was handling). Absent: ignored. */
  onError?: (error: unknown, msg: In) => void;
  /** A message that is no pending request's reply and has no handler. Absent: ignored. */
  onUnhandled?: (msg: In) => void;
  /** Needed for `timeoutMs`. */
  setTimer?: SetTimer;
}

export interface RequestOptions {
  /** Reject with a TimeoutError after this many ms without a reply. */
  timeoutMs?: number;
}

/** A request was given up: `cancelAll`, `close`, or no reply within its timeout. */
export class RequestCancelled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestCancelled';
  }
}
export class RequestTimeout extends RequestCancelled {
  constructor(type: string, ms: number) {
    super(`no reply to ${type} within ${ms} ms`);
    this.name = 'RequestTimeout';
  }
}

interface Pending {
  reply: string;
  resolve(m: Message): void;
  reject(e: Error): void;
  stopTimer?: () => void;
}

function isMessage(x: unknown): x is Message & Record<string, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

function idOf(x: unknown): number | undefined {
  const id = (x as { id?: unknown }).id;
  return typeof id === 'number' ? id : undefined;
}

export class MessageHandler<Out extends Message, In extends Message, R extends ReplyMap> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, (msg: In) => unknown>();
  private closed: string | undefined;

  constructor(private readonly options: MessageHandlerOptions<Out, In, R>) {}

  /** Handle incoming messages of this type (one handler per type; a later one replaces it). */
  on<K extends In['type']>(type: K, handler: Handler<In, Out, R, K>): this {
    this.handlers.set(type, handler as (msg: In) => unknown);
    return this;
  }

  /** Posts a message that expects no reply (an event, a notification, a reply sent by hand). */
  send(msg: Out): void {
    this.options.post(msg);
  }

  /** A fresh id for a message that carries one but is not awaited here. */
  newId(): number {
    return this.nextId++;
  }

  /** Sends request `type` with a new id; resolves with its reply. */
  request<K extends RequestType<Out, In, R>>(type: K, body: BodyOf<MessageOf<Out, K>>, opts: RequestOptions = {}): Promise<MessageOf<In, R[K]>> {
    if (this.closed !== undefined) return Promise.reject(new RequestCancelled(this.closed));
    const id = this.nextId++;
    return new Promise<MessageOf<In, R[K]>>((resolve, reject) => {
      const p: Pending = { reply: this.options.replies[type], resolve: resolve as (m: Message) => void, reject };
      if (opts.timeoutMs !== undefined) {
        const setTimer = this.options.setTimer;
        if (!setTimer) throw new Error('MessageHandler: a timeout needs setTimer');
        const ms = opts.timeoutMs;
        p.stopTimer = setTimer(() => {
          if (this.pending.get(id) !== p) return;
          this.pending.delete(id);
          reject(new RequestTimeout(type, ms));
        }, ms);
      }
      this.pending.set(id, p);
      try {
        // the body's own `type`/`id`, if a caller passed a whole message, give way to ours
        this.options.post({ ...(body as object), type, id } as unknown as Out);
      } catch (e) {
        // not sent (e.g. a value postMessage cannot clone): nothing will answer it
        if (this.pending.get(id) === p) this.pending.delete(id);
        p.stopTimer?.();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Requests waiting for their reply. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Rejects every pending request (their replies, if they come, are then dispatched like any message). */
  cancelAll(reason = 'cancelled'): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      p.stopTimer?.();
      p.reject(new RequestCancelled(reason));
    }
  }

  /** Cancels everything pending; later requests reject at once with `reason`. */
  close(reason: string): void {
    if (this.closed === undefined) this.closed = reason;
    this.cancelAll(reason);
  }

  /**
   * Takes one incoming message: validated (when the channel validates), then either the reply (or
   * error) of a pending request, or dispatched to its handler. Returns once the handler has run and
   * its reply, if any, is posted; never rejects.
   */
  async receive(raw: unknown): Promise<void> {
    let msg: In | null;
    if (this.options.validate) msg = this.options.validate(raw);
    else msg = isMessage(raw) ? (raw as In) : null;
    if (!msg) return;
    const id = idOf(msg);
    if (id !== undefined) {
      const p = this.pending.get(id);
      if (p && (msg.type === p.reply || msg.type === this.options.errorType)) {
        this.pending.delete(id);
        p.stopTimer?.();
        if (msg.type === p.reply) p.resolve(msg);
        else p.reject(new Error(String((msg as { message?: unknown }).message ?? 'request failed')));
        return;
      }
    }
    const handler = this.handlers.get(msg.type);
    if (!handler) {
      this.options.onUnhandled?.(msg);
      return;
    }
    try {
      const result = await handler(msg);
      const replyType = Object.hasOwn(this.options.replies, msg.type) ? (this.options.replies as ReplyMap)[msg.type] : undefined;
      if (result !== undefined && replyType !== undefined && id !== undefined) this.options.post({ ...(result as object), type: replyType, id } as unknown as Out);
    } catch (e) {
      this.options.onError?.(e, msg);
    }
  }
}
