// The webview end of a panel's connection to the extension host, shared by every panel's `main.ts`: VS Code's
// webview API, the root element, host messages dispatched by type, the `ready` handshake and debounced state saving.

import type { ExportFormat, ExportMessage, ReadyMessage } from '../protocol';

/** The part of the object `acquireVsCodeApi()` returns that the panels use. */
interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

/** How a panel view asks for a file to be saved; the host shows the save dialog. */
export type ExportFile = (
  format: ExportFormat,
  suggestedName: string,
  encoding: 'base64' | 'utf8',
  content: string,
) => void;

/** One handler per message type the host sends; the compiler lists a type that has none. */
export type HostMessageHandlers<Message extends { readonly type: string }> = {
  readonly [Type in Message['type']]: (message: Extract<Message, { readonly type: Type }>) => void;
};

/** A panel's typed connection: what it posts to the host and what it keeps in `vscode.setState`. */
export interface PanelHost<Outgoing extends { readonly type: string }, State> {
  /** The element the view is built in. */
  readonly root: HTMLElement;
  readonly post: (message: Outgoing) => void;
  /** The export callback every view takes, as an `export` message. */
  readonly exportFile: ExportFile;
  /** What `vscode.setState` last kept (unchecked: the panel validates it). */
  readonly savedState: () => unknown;
  readonly saveState: (state: State) => void;
  /**
   * Dispatches each host message that passes `isMessage` to its handler, then says `ready` (the host replies with
   * the whole state); `afterEach` runs after every handled message.
   */
  readonly listen: <Message extends { readonly type: string }>(
    isMessage: (data: unknown) => data is Message,
    handlers: HostMessageHandlers<Message>,
    afterEach?: () => void,
  ) => void;
}

/**
 * Saving state serializes the whole view, so a burst of changes (zoom and pan steps, scrubbing, playback) is saved
 * once, this long after its last change.
 */
const stateSaveDelayMs = 250;

/** `save` debounced for saving state (see `stateSaveDelayMs`). */
export function debouncedStateSave(save: () => void): () => void {
  return debounced(save, stateSaveDelayMs);
}

/**
 * Sets `window[name]` to the view's debug handle, once at start-up, for tests and the webview developer tools; the
 * panel itself never reads it.
 */
export function exposeDebugHandle(name: string, handle: object): void {
  (window as unknown as Record<string, unknown>)[name] = handle;
}

/** Connects to the host; call once per page (`acquireVsCodeApi` may be called only once). */
export function connectToHost<Outgoing extends { readonly type: string }, State>(): PanelHost<
  Outgoing | ReadyMessage | ExportMessage,
  State
> {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const post = (message: Outgoing | ReadyMessage | ExportMessage): void => vscode.postMessage(message);
  return {
    root,
    post,
    exportFile: (format, suggestedName, encoding, content) =>
      post({ type: 'export', format, suggestedName, encoding, content }),
    savedState: () => vscode.getState(),
    saveState: (state) => vscode.setState(state),
    listen: (isMessage, handlers, afterEach) => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (!isMessage(event.data)) return;
        const handler = handlers[event.data.type as keyof typeof handlers] as (message: unknown) => void;
        handler(event.data);
        afterEach?.();
      });
      post({ type: 'ready' });
    },
  };
}

/** `action` run once `delayMs` after the last of a burst of calls. */
function debounced(action: () => void, delayMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      action();
    }, delayMs);
  };
}
