// The command-line tool's errors: a usage or credentials error (exit code 2) says what is wrong
// and how to fix it, in one message; anything else is a bug or an API failure.

/** Bad arguments, a missing file, missing credentials or module: the tool exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
