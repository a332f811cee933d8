export const HELP = `meltcheck — certifies a Cashu wallet's melt when its proofs live in MongoDB

Usage:
  meltcheck certify [options]     run every check against a wallet adapter; writes a report
  meltcheck replay <report.json> [--failure ID] [--cluster K] [--uri U]
                                  run a reported failure again (exactly on the simulator); exit 1 if it reproduces
  meltcheck merge-reports DIR… [--out DIR] [--summary FILE]
                                  merge the report.json of every --shard of a run into one verdict and report
  meltcheck init [--level repository|service] [--lang ts|js] [--out FILE] [--force]
                                  write a commented adapter skeleton for this project (TS/JS, ESM/CJS detected)
  meltcheck sim [--port P] [--members 1|3] [--user NAME:PASSWORD]...
                                  run the replica-set simulator until Ctrl-C; prints its connection string
                                  (with --user, clients must authenticate: SCRAM-SHA-256 or SCRAM-SHA-1)
  meltcheck clean --uri U [--allow-remote]
                                  drop the databases earlier meltcheck runs left behind (only those it marked)
  meltcheck mint [--port P] [--input-fee-ppk N] [--seed S]
                                  run the test mint (real BDHKE, fake Lightning) until Ctrl-C; prints its URL
  meltcheck --help | --version

certify options:
  --adapter <name|path>   reference (default), mutant:<name>, or a path to an adapter module (.ts/.js)
  --cluster <kind>        auto (default) | sim | memory | docker | uri
                          auto uses mongodb-memory-server when a mongod is at hand, otherwise the simulator
  --uri <uri>             replica set for --cluster uri (or MELTCHECK_MONGODB_URI)
  --allow-remote          allow a non-loopback --uri (meltcheck writes test data there)
  --reuse-db              allow databases that already hold collections
  --seed <n>              seed for every generated choice (default: random, printed)
  --runs <n>              runs per property (default: 200 with --profile quick, 2000 with --profile full)
  --profile <quick|full>  how hard to look (default quick)
  --require-real          refuse the simulator: what a wallet's CI uses to certify against real MongoDB
  --check <name>          run only the named check (repeatable)
  --out <dir>             report directory (default: reports/<run id>/)
  --members <1|3>         replica set members for sim/memory/docker (default 1; 3 for a repository wallet with --cluster sim --profile full)
  --allow-disruptive      allow topology faults (primary stepdown) on a --cluster uri server meltcheck did not
                          start; without it they are skipped there
  --op-timeout <s>        deadline of one call into the wallet (default 30): a late call is recorded as an
                          unknown outcome and its check ends 'error'
  --check-timeout <s>     deadline of one check (default 600; service-property: 3 per story, at least 600)
  --mint <kind>           the service level's mint: test (default) | nutshell (started by meltcheck, FakeWallet;
                          install with \`npm run setup:nutshell\`) | url:<URL> (a running mint; loopback unless
                          --allow-remote; its stories are skipped: its Lightning and books are not meltcheck's)
  --shard <i/n>           run the i-th of n shares of the checks and property runs (a CI matrix); merge the
                          shards' reports with merge-reports
  --summary <file>        append a short markdown summary (e.g. "$GITHUB_STEP_SUMMARY")

Check statuses: pass · fail (an invariant was violated) · skip (cannot apply here, with the reason) ·
  error (the adapter or the harness broke: timeout, exit, a throw outside a melt) ·
  not-exercised (it ran but did not do its job: no melt won, no fault reached the wallet, no crash landed).

Exit codes: 0 every applicable check passed and was exercised · 1 a violation was found · 2 usage, environment
or adapter-load error (setup throwing included) before any check ran · 3 inconclusive: no violation found, but a
check errored or was not exercised (or meltcheck itself broke).
Every report names its backend; a simulator run is never a real-MongoDB certification.`;
