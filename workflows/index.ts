// Everything the worker's workflow bundle contains.
export { letter } from './letter';
export { mailbox } from './mailbox';
