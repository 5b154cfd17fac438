/**
 * npm run validate:verdict: measures the verdict on this machine. Without `--duet`, the history
 * verdict (validate-history.ts); with it, the duet verdict, head against base in one run
 * (validate-duet.ts). Each reads its own flags.
 */
if (process.argv.slice(2).includes('--duet')) await import('./validate-duet.js');
else await import('./validate-history.js');
