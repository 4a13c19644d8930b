/** Storage operations run one at a time, so a sweep of orphans never sees a save between write and switch. */
let queue: Promise<unknown> = Promise.resolve();

export function exclusive<T>(operation: () => Promise<T>): Promise<T> {
  const result = queue.then(operation, operation);
  queue = result.catch(() => undefined);
  return result;
}
