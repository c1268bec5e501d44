import { defineConfig } from 'vitest/config';

// The global setup (DynamoDB Local) runs in this process: the same notice is off here too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Logs of passing tests are not printed; a failing test shows the logs it produced. `silent` works on the
    // global console only: POWERTOOLS_DEV makes the Powertools logger write through it (pretty-printed JSON).
    silent: 'passed-only',
    // The SDK's "Node 22 from 2027" notice is known (shared toolchain notes; Lambda runs nodejs22.x): not repeated
    // once per test worker.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_DEV: 'true', TZ: 'UTC', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
