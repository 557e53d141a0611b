/** The `vigil` command line: parses arguments and calls the modules. Exit codes: 0 ok, 1 failed, 2 usage. */
import { Command, CommanderError, Option } from 'commander';
import { logLevels } from '../log/index.ts';
import { version } from '../version.ts';
import { checkConfigCommand, checkRulesCommand } from './check.ts';
import { UsageError } from './errors.ts';
import { type GatewayFlags, gatewayCommand } from './gateway.ts';
import { type QueryFlags, queryCommand } from './query.ts';
import { collectorCommand, type StartFlags, startCommand } from './start.ts';
import { tokenCreate, tokenList, tokenRevoke } from './token.ts';
import { tsdbAnalyze, tsdbImportOpenMetrics, tsdbList } from './tsdb.ts';
import { userAdd, userList, userPasswd } from './user.ts';

function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'data directory').default('./data');
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('vigil')
    .description('Monitoring and security for Docker hosts: metrics, PromQL, alerting, a WAF gateway, in one process.')
    .version(version, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "vigil help" for the list of commands and flags)')
    .configureHelp({ sortSubcommands: false });

  program
    .command('start')
    .description('run the all-in-one server (embedded defaults when no --config is given)')
    .option('--config <file>', 'configuration file (vigil.yml, prometheus.yml or alertmanager.yml)')
    .option('--alertmanager-config <file>', 'an alertmanager.yml for routing and receivers (with a prometheus.yml)')
    .addOption(dataDirOption())
    .option('--listen <host:port>', 'address of the UI and APIs (overrides server.listen)')
    .addOption(new Option('--log-level <level>', 'least severe log level to write').choices(logLevels))
    .action(async (flags: StartFlags) => setExit(await startCommand(flags)));

  program
    .command('collector')
    .description(
      'run the collector alone: cAdvisor-compatible /metrics and the live-stats API (default 127.0.0.1:8080)',
    )
    .option('--config <file>', 'configuration file (its server and collector sections apply)')
    .addOption(dataDirOption())
    .option('--listen <host:port>', 'address of /metrics and the APIs (default 127.0.0.1:8080)')
    .addOption(new Option('--log-level <level>', 'least severe log level to write').choices(logLevels))
    .action(async (flags: StartFlags) => setExit(await collectorCommand(flags)));

  program
    .command('gateway')
    .description('run the security gateway alone: TLS reverse proxy for the sites of --config (default :8443, :8080)')
    .requiredOption('--config <file>', 'configuration file with a gateway section')
    .addOption(dataDirOption())
    .addOption(new Option('--log-level <level>', 'least severe log level to write').choices(logLevels))
    .action(async (flags: GatewayFlags) => setExit(await gatewayCommand(flags)));

  program
    .command('query')
    .description('evaluate a PromQL expression on a running vigil and print the result as a table')
    .argument('<expr>', 'the PromQL expression')
    .option('--time <time>', 'evaluation time: RFC 3339, Unix seconds, now or now-<duration> (default: now)')
    .option('--range <start end step...>', 'a range query: START END (as --time) and STEP (like 15s or 60)')
    .option('--url <url>', 'the server (default: from --config server.listen, else http://127.0.0.1:9090)')
    .option('--config <file>', 'configuration file to read server.listen and TLS from')
    .option('--token <token>', 'API token (default: $VIGIL_TOKEN)')
    .action(async (expr: string, flags: QueryFlags) => setExit(await queryCommand(expr, flags)));

  const check = program.command('check').description('check files without starting anything');
  check
    .command('config')
    .description('check a configuration file; exits 1 and prints every problem when it is invalid')
    .argument('<file>', 'configuration file')
    .action((file: string) => setExit(checkConfigCommand(file)));
  check
    .command('rules')
    .description('check rule files (as promtool check rules); exits 1 and prints every problem when one is invalid')
    .argument('<files...>', 'rule files')
    .action((files: string[]) => setExit(checkRulesCommand(files)));

  const token = program.command('token').description('manage API tokens (for Grafana and scripts)');
  token
    .command('create')
    .description('create an API token and print it (shown only once)')
    .argument('<name>', 'a name for the token, unique among active tokens')
    .option('--user <name>', 'user the token acts as', 'admin')
    .option('--expires-in <duration>', 'lifetime, like 30d or 12h (default: no expiry)')
    .addOption(dataDirOption())
    .action(async (name: string, flags: { user: string; expiresIn?: string; dataDir: string }) =>
      setExit(await tokenCreate(name, flags)),
    );
  token
    .command('list')
    .description('list active API tokens')
    .addOption(dataDirOption())
    .action((flags: { dataDir: string }) => setExit(tokenList(flags)));
  token
    .command('revoke')
    .description('revoke an API token by name or id')
    .argument('<name-or-id>', 'the token')
    .addOption(dataDirOption())
    .action((nameOrId: string, flags: { dataDir: string }) => setExit(tokenRevoke(nameOrId, flags)));

  const tsdb = program.command('tsdb').description('work with the time-series database on disk');
  const tsdbImport = tsdb.command('import').description('backfill blocks from a file');
  tsdbImport
    .command('openmetrics')
    .description(
      'write 2h blocks from OpenMetrics text with timestamps (as promtool tsdb create-blocks-from openmetrics)',
    )
    .argument('<file>', 'OpenMetrics text, every sample with a timestamp, ending in # EOF')
    .addOption(dataDirOption())
    .action(async (file: string, flags: { dataDir: string }) => setExit(await tsdbImportOpenMetrics(file, flags)));
  tsdb
    .command('list')
    .description('list the blocks: ULID, time range, samples, chunks, series, size')
    .addOption(dataDirOption())
    .action(async (flags: { dataDir: string }) => setExit(await tsdbList(flags)));
  tsdb
    .command('analyze')
    .description('show the cardinality of a block (the newest by default), as promtool tsdb analyze')
    .option('--block <ulid>', 'the block to analyze')
    .option('--limit <n>', 'how many entries per list', '20')
    .addOption(dataDirOption())
    .action(async (flags: { dataDir: string; block?: string; limit: string }) => setExit(await tsdbAnalyze(flags)));

  const user = program.command('user').description('manage users of the UI and APIs');
  user
    .command('add')
    .description('add a user; the password is read from stdin')
    .argument('<name>', 'user name')
    .addOption(new Option('--role <role>', 'what the user may do').choices(['admin', 'viewer']).default('viewer'))
    .addOption(dataDirOption())
    .action(async (name: string, flags: { role: 'admin' | 'viewer'; dataDir: string }) =>
      setExit(await userAdd(name, flags)),
    );
  user
    .command('passwd')
    .description("set a user's password (read from stdin) and end their sessions")
    .argument('<name>', 'user name')
    .addOption(dataDirOption())
    .action(async (name: string, flags: { dataDir: string }) => setExit(await userPasswd(name, flags)));
  user
    .command('list')
    .description('list users')
    .addOption(dataDirOption())
    .action((flags: { dataDir: string }) => setExit(userList(flags)));

  const every = (c: Command): Command[] => [c, ...c.commands.flatMap(every)];
  for (const cmd of every(program)) {
    cmd.exitOverride();
    cmd.allowExcessArguments(false);
  }
  return program;
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0;
      // A group without a subcommand (`vigil check`) prints its help and exits 1 in commander; it is a usage error.
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`vigil: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return code;
}
