/**
 * The command-line scripts of the package (seed/, bench/, template/), run with Backstage's
 * on-the-fly transpiler from the repository root:
 * `node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/...ts ARGS`.
 * Each has its logic in typed functions and a small `main` at the bottom, run only when the
 * file is the entry point.
 */

/**
 * Runs a script's `main`: an error ends the process with status 1, reported by `report` (by
 * default its stack on stderr, as Node reports an unhandled error).
 */
export function runMain(
  main: () => Promise<void>,
  report: (error: unknown) => void = error => console.error(error),
): void {
  main().catch(error => {
    report(error);
    process.exit(1);
  });
}

/** The parsed options with those `names` present, or an error naming the missing ones. */
export function requireOptions<
  T extends Record<string, unknown>,
  K extends keyof T & string,
>(values: T, names: K[]): T & { [P in K]-?: NonNullable<T[P]> } {
  const missing = names.filter(name => values[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `missing option(s): ${missing.map(name => `--${name}`).join(', ')}`,
    );
  }
  return values as T & { [P in K]-?: NonNullable<T[P]> };
}
