// Errors the CLI maps to exit codes: bad input is exit 2, everything else exit 1.
import { PerpError } from "../errors";

/** Bad command-line input or config: printed as one line, exit code 2. */
export class UsageError extends PerpError {
  override name = "UsageError";
}
