// "One at a time per key" as a port: the catalog runs re-reads of one product through it, so two webhooks for
// the product cannot store their reads out of order. In memory here (one process); across instances,
// leaseSerializer (lease.server.ts) adds a lease per key (docs/decisions/0137).

/** Runs work for one key at a time. */
export type Serializer = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** One key at a time within this process (chained promises). */
export function memorySerializer(): Serializer {
  const queues = new Map<string, Promise<unknown>>();
  return async (key, work) => {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    queues.set(key, run);
    try {
      return await run;
    } finally {
      if (queues.get(key) === run) queues.delete(key);
    }
  };
}
