/**
 * Waits for `work`, but no longer than `ms`: a shutdown or a move to another
 * node does not hang on what is slow. `onTimeout` says what was left waiting.
 */
export async function atMost(work: Promise<unknown>, ms: number, onTimeout?: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout?.();
      resolve();
    }, ms);
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}
