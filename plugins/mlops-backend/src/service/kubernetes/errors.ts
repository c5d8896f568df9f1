/** Whether an error is a Backstage error of that name (works across package copies). */
export function isErrorNamed(error: unknown, name: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === name
  );
}
