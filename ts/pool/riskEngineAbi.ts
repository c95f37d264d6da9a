// The risk engine reads the SDK and the keeper make: `PerpPool.riskEngine()` and `IRiskEngine`'s views.
// Hand-written from contracts/interfaces/IRiskEngine.sol (SPEC-19 §2) until the generated ABIs carry them.
export const poolRiskEngineAbi = [
  {
    type: "function",
    name: "riskEngine",
    inputs: [],
    outputs: [{ name: "", type: "address", internalType: "contract IRiskEngine" }],
    stateMutability: "view",
  },
] as const;

export const riskEngineReadAbi = [
  {
    type: "function",
    name: "floorBps",
    inputs: [],
    outputs: [{ name: "", type: "uint256", internalType: "uint256" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "scenarios",
    inputs: [],
    outputs: [
      {
        name: "grid",
        type: "tuple[]",
        internalType: "struct IRiskEngine.Scenario[]",
        components: [
          { name: "weightPct", type: "uint8", internalType: "uint8" },
          { name: "moves", type: "int8[8]", internalType: "int8[8]" },
        ],
      },
    ],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "netRequirements",
    inputs: [
      { name: "maint", type: "int256[8]", internalType: "int256[8]" },
      { name: "initial", type: "int256[8]", internalType: "int256[8]" },
    ],
    outputs: [
      { name: "maintReq", type: "uint256", internalType: "uint256" },
      { name: "initialReq", type: "uint256", internalType: "uint256" },
    ],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "worstScenario",
    inputs: [{ name: "exposure", type: "int256[8]", internalType: "int256[8]" }],
    outputs: [
      { name: "requirement", type: "uint256", internalType: "uint256" },
      { name: "row", type: "uint256", internalType: "uint256" },
      { name: "floorBinds", type: "bool", internalType: "bool" },
    ],
    stateMutability: "view",
  },
] as const;
