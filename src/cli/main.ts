// The entry point of the `privatelink-router` command (bin/privatelink-router.js): runs a
// command, prints its output, and sets the exit code: 0 done (or healthy), 1 a route is not healthy, 2 usage.
import { parseArgs, USAGE } from "./args";
import { UsageError } from "./errors";
import { routesCommand } from "./routes-command";

/** Where a run writes; the tests pass their own. */
export interface Io {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs the command line `argv`; resolves to the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.command === "help") {
      io.out(`${USAGE}\n`);
      return 0;
    }
    if (options.command === "routes") {
      io.out(routesCommand(options, io.cwd));
      return 0;
    }
    throw new UsageError(
      "status is not built yet in this version (README, \"Operating a router\"): use routes, and the AWS and Databricks consoles");
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`privatelink-router: ${e.message}\n`);
      return 2;
    }
    io.err(`privatelink-router: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

/** `node lib/cli/main.js ...`: the process's arguments, streams and exit code. */
export function main(): void {
  const io: Io = { cwd: process.cwd(), out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env };
  void run(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
