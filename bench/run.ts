import { buildFunction, printBundleSize } from './bundle-size.js';
import { benchColdStart } from './cold-start.js';
import { benchDbTokenSigning } from './db-token-signing.js';
import { benchStsCallRate } from './sts-call-rate.js';
import { benchTokenVerification } from './token-verification.js';
import { benchWarmHandler } from './warm-handler.js';

// `npm run bench`: every section in one run, so every ratio compares
// figures taken on the same machine at the same time. Times are medians;
// nothing here is asserted, and the test command never runs it.
const quick = process.argv.includes('--quick');
const sample = quick
  ? { iterations: 300, warmup: 50 }
  : { iterations: 3000, warmup: 500 };

process.stdout.write(`aurora-aad benchmarks, Node ${process.version}, ` +
  `${process.arch}, ${new Date().toISOString()}\n`);
await benchWarmHandler(sample);
await benchTokenVerification(sample);
await benchDbTokenSigning(sample);
const built = await buildFunction('credentials');
printBundleSize(built, 250 * 1024);
await benchColdStart(built, quick ? 5 : 20);
benchStsCallRate();
