import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The longest flows (a browser through setup, sign-in and a published
    // project; a follower that was down) take 20-40 s on a quiet 2-core
    // machine and half again as long when it is busy: a minute failed one in CI.
    testTimeout: 150_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page or an instance does next (a dialog, an
    // error summary, an index that catches up): 1 s, vitest's default, is too
    // short for a busy CI machine, where one such wait failed. It only ever
    // delays a failure.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    // Two cores: PGlite and Chromium are CPU-hungry, so keep the file parallelism modest.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
