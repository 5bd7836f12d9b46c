// Range-test fixtures shared by the core tests and the webview fixture generator.

import type { RangeTestRuntime } from '../server/src/core/views';

/** The user's Python with CPU torch 1.13.1, as the runner reports it on these machines. */
export function cpuTorchRuntime(interpreterSource = 'setting'): RangeTestRuntime {
  return {
    python: '3.11.2',
    torch: '1.13.1',
    device: 'cpu',
    deviceName: 'cpu',
    interpreter: '/usr/bin/python3',
    interpreterSource,
  };
}
