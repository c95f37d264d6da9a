// Worker bootstrap: TypeScript through tsx (the CLI runs the same way), then the worker itself.
const { register } = await import("tsx/esm/api");
register();
await import("./worker.ts");
