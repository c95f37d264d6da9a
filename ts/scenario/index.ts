// ts/scenario: the `npm start` market run (crash, black swan, calm) as a library.
export { CRASHES, CROWD } from "./book";
export { reportOf, type ScenarioReport, stringifyReport } from "./report";
export { runScenario } from "./runScenario";
export { formatScenarioSummary } from "./summary";
export * from "./types";
