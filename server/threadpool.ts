import { THREADPOOL_SIZE } from './auth/hashing-limits.js';

/**
 * Sizes libuv's thread pool on purpose (see THREADPOOL_SIZE) unless the operator chose one.
 * libuv reads the variable once, when the pool first starts, so this module is main.ts's first
 * import: ES modules run in import order, before anything else can queue work on the pool.
 */
process.env.UV_THREADPOOL_SIZE ??= String(THREADPOOL_SIZE);
