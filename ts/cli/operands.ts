// Commander reads "-1.5" as an unknown flag; a short size (`perp open ETH -1.5`) is an operand. From the first
// negative number that is not the value of a flag on, every operand moves behind a `--` at the end, in order, so
// the operands keep their order (`perp trade ETH -10 BTC 0.33` pairs ETH with -10 and BTC with 0.33) and every
// real flag is still checked.

/** Flags that take no value: a negative number after one of them is an operand. */
const BOOLEAN_FLAGS = new Set(["--json", "--no-seed", "--keep-alive", "--help", "-h", "--all", "--quiet"]);
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;
const FLAG = /^--?[a-z]/i;

export function withNegativeOperands(argv: readonly string[]): string[] {
  const dashes = argv.indexOf("--");
  const head = dashes < 0 ? argv : argv.slice(0, dashes);
  const tail = dashes < 0 ? [] : argv.slice(dashes + 1);
  const kept: string[] = [];
  const moved: string[] = [];
  head.forEach((arg, i) => {
    const prev = head[i - 1];
    const isFlagValue = prev !== undefined && FLAG.test(prev) && !prev.includes("=") && !BOOLEAN_FLAGS.has(prev);
    const isOperand = !FLAG.test(arg) && !isFlagValue;
    if (isOperand && (moved.length > 0 || NEGATIVE_NUMBER.test(arg))) moved.push(arg);
    else kept.push(arg);
  });
  if (moved.length === 0 && dashes < 0) return [...argv];
  return [...kept, "--", ...moved, ...tail];
}
