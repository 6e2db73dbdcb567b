// Vitest setup file for the jest specs of the polyglot exercises (loaded by run-spec.ts, never copied into a
// run dir). Vitest's globals already provide describe/test/it/expect/beforeEach; jest's skipped variants run
// here as ordinary tests, because an eval task is solved only when every test passes.
globalThis.xtest = globalThis.test;
globalThis.xit = globalThis.it;
globalThis.xdescribe = globalThis.describe;
