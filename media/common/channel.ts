/**
 * A webview's end of its channel to the host (src/core/messaging.ts): posts through the VS Code
 * API handle, takes every `message` event of the window, and times requests with the window's
 * timers. Modules register their handlers with `on(type, …)`.
 */
import { MessageHandler, type Message, type ReplyMap } from '../../src/core/messaging';
import { vscodeApi } from './vscode';

/**
 * `replies` repeats the protocol file's request → reply map (a webview may import only types from
 * host code); typing it as the protocol's map type makes the compiler check the copy.
 */
export function webviewChannel<Out extends Message, In extends Message, R extends ReplyMap>(replies: R): MessageHandler<Out, In, R> {
  const channel = new MessageHandler<Out, In, R>({
    post: (msg) => vscodeApi.postMessage(msg),
    replies,
    setTimer: (fn, ms) => {
      const t = window.setTimeout(fn, ms);
      return () => window.clearTimeout(t);
    },
  });
  window.addEventListener('message', (ev: MessageEvent) => void channel.receive(ev.data));
  return channel;
}
