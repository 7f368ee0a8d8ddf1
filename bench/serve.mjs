// The benchmarks' server entry: the production server (scripts/serve.mjs, NODE_ENV=production) allowed to reach
// the Shopify and Stripe stand-ins on loopback. Every other production check still applies. Only the benchmark
// stack starts this file; `npm start` never does, and no environment variable can switch it on (0104).
globalThis.__benchmarkWithSimulatedUpstreams = true;
await import("../scripts/serve.mjs");
