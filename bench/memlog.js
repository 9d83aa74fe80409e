// Preloaded into a worker process by bench/memory.ts (`node -r ./bench/memlog.js bin/rounds.js worker`):
// prints the main thread's memory once a second, so the bench can read the heap beside the RSS.
// The workflow thread's heap is not reachable from here on Node 20 (Worker.getHeapStatistics came in 22).
'use strict';
const mb = (n) => Math.round(n / 1048576);
setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`memlog: ${JSON.stringify({ rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external) })}\n`);
}, 1000).unref();
