// A counting TCP relay in front of PostgreSQL, for `bench/scale.ts`: the app instances connect through it, and it
// counts the round trips they make — every simple Query ('Q') and every Sync ('S', the end of one extended-protocol
// exchange: Parse/Bind/Execute) the clients send. Bytes pass through untouched.
import net from "node:net";

export interface RoundTripRelay {
  /** A DATABASE_URL equal to `target` but pointing at the relay. */
  url: string;
  roundTrips(): number;
  close(): Promise<void>;
}

export async function startRoundTripRelay(target: string): Promise<RoundTripRelay> {
  const upstream = new URL(target);
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const db = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(db);
    let buffered: Buffer = Buffer.alloc(0);
    let started = false; // the first message (StartupMessage / SSLRequest) has no type byte
    client.on("data", (chunk: Buffer) => {
      db.write(chunk);
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (buffered.length < 8) break;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) break;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code !== 80877103) started = true; // 80877103: SSLRequest, answered with one byte, then the startup
          continue;
        }
        if (buffered.length < 5) break;
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) break;
        const type = String.fromCharCode(buffered[0]);
        if (type === "Q" || type === "S") count++;
        buffered = buffered.subarray(1 + length);
      }
    });
    db.on("data", (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      db.destroy();
      sockets.delete(client);
      sockets.delete(db);
    };
    client.on("close", end).on("error", end);
    db.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const relayed = new URL(target);
  relayed.hostname = "127.0.0.1";
  relayed.port = String((server.address() as net.AddressInfo).port);
  return {
    url: relayed.toString(),
    roundTrips: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
