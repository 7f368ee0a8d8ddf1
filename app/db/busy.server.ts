// SQLite answers SQLITE_BUSY (or BUSY_SNAPSHOT in WAL mode) when another connection holds the write lock or
// committed under a read snapshot; the catalog writes on its own connection, so app transactions can meet it.
// Such a transaction did nothing and can be re-run.

export function isSqliteBusy(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /SQLITE_BUSY|database is locked/i.test(message);
}

/** Runs `work` again (bounded, with a short growing pause) while SQLite reports itself busy. */
export async function retryWhileBusy<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isSqliteBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}
