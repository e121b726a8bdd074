// ValidationError, the one error the library throws for bad input, with the construct path.
import { IConstruct } from "constructs";

/**
 * The error every construct of this library throws for bad input.
 *
 * Its message starts with the construct path, then names the property, the value it got
 * and the fix, e.g.
 * `App/Stack/Router: basePort + 60 targets exceeds 65535 (got basePort 65500); lower basePort`.
 * It is thrown by the call that receives the bad input (a constructor, `addTarget`,
 * `addRouter`), before any resource is made.
 *
 * jsii cannot model a subclass of `Error`, so other languages see a plain error with the
 * same message.
 *
 * @jsii ignore
 */
export class ValidationError extends Error {
  /** The construct path the error is about. */
  public readonly constructPath: string;

  constructor(message: string, scope: IConstruct) {
    super(`${scope.node.path}: ${message}`);
    Object.setPrototypeOf(this, ValidationError.prototype);
    this.name = "ValidationError";
    this.constructPath = scope.node.path;
  }
}
