// Modules that only some commands need, loaded when such a command runs (the round-folder parser,
// the worker, the web server, the demo's test server): `rounds status` started in 0.75 s when
// everything loaded eagerly. require, not import(): tsx runs import() as ESM, which wants file
// extensions (`rounds publish` failed with "Cannot find module").
/* eslint-disable @typescript-eslint/no-require-imports */
export const roundFolder = (): typeof import('../round-folder') => require('../round-folder');
export const checkOutput = (): typeof import('../check-output') => require('../check-output');
export const exportCsv = (): typeof import('../export') => require('../export');
export const service = (): typeof import('../serve') => require('../serve');
export const demoRunner = (): typeof import('../demo') => require('../demo');
export const searchAttributes = (): typeof import('../../worker/search-attributes') => require('../../worker/search-attributes');
export const setup = (): typeof import('../setup') => require('../setup');
export const publisher = (): typeof import('../publish') => require('../publish');
export const inboxCommands = (): typeof import('../inbox') => require('../inbox');
export const rounds = (): typeof import('../round-actions') => require('../round-actions');
export const register = (): typeof import('../register-query') => require('../register-query');
export const stats = (): typeof import('../../domain/stats') => require('../../domain/stats');
export const cliProgress = (): typeof import('cli-progress') => require('cli-progress');
/* eslint-enable @typescript-eslint/no-require-imports */
