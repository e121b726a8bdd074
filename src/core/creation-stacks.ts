// Building without creation stacks: cdktf captures a full stack trace (every frame, formatted)
// for each token and nested-block object it makes, ~0.1 ms apiece and most of the cost of a
// provider class's constructor. It shows them only when such a token fails to resolve.

/**
 * Runs `build` with V8's stack trace formatting off, so the creation stacks cdktf captures
 * inside are empty. Errors keep their stacks: V8 formats an error's stack when it is first
 * read, after `build` has returned or thrown and the formatter is back.
 */
export function withoutCreationStacks<T>(build: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => "";
  try {
    return build();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
