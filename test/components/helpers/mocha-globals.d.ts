// The mocha globals @web/test-runner provides in the browser; typed here so `tsc` checks the
// component tests without pulling in @types/mocha.
type MochaDone = (error?: unknown) => void;
type MochaCallback = (this: MochaContext, done: MochaDone) => void | Promise<unknown>;
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
  currentTest?: { title: string; err?: unknown };
}
interface MochaSuiteFunction {
  (title: string, fn: (this: MochaContext) => void): void;
  only(title: string, fn: (this: MochaContext) => void): void;
  skip(title: string, fn: (this: MochaContext) => void): void;
}
interface MochaTestFunction {
  (title: string, fn?: MochaCallback): void;
  only(title: string, fn?: MochaCallback): void;
  skip(title: string, fn?: MochaCallback): void;
}
declare const describe: MochaSuiteFunction;
declare const it: MochaTestFunction;
declare function before(fn: MochaCallback): void;
declare function after(fn: MochaCallback): void;
declare function beforeEach(fn: MochaCallback): void;
declare function afterEach(fn: MochaCallback): void;
