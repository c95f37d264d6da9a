export * from "./accountMath";
export * from "./fundingMath";
export * from "./liquidationMath";
export * from "./marginMath";
export * from "./marketMath";
export * from "./positionMath";
export { PANIC_ARITHMETIC, PANIC_DIVISION_BY_ZERO } from "./solidity";
export * from "./stressMath";
export * from "./vammMath";
