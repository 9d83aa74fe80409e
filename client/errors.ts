// Failures in words. Two kinds, two exit codes (domain/errors.ts: UserError 1, a clear
// message, no stack trace; SystemError 2, e.g. Temporal unreachable). Temporal's own errors
// are put in words here (temporalFailure, describeError), with their cause: the CLI's
// top-level handler uses them, so no known Temporal failure is ever "unexpected".
import { isGrpcServiceError, QueryNotRegisteredError, QueryRejectedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { NamespaceNotFoundError, TemporalFailure, WorkflowNotFoundError } from '@temporalio/common';

// The error classes themselves live in domain/errors.ts (one module for every kind); the
// client's code imports the two kinds from here or there alike.
export { AlreadyAppliedUserError, NotFoundError, RoundsError, SystemError, UserError } from '../domain/errors';

/** gRPC status codes that we name (from @grpc/grpc-js's `status`). */
const GRPC = { CANCELLED: 1, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16 };

/** The error and its causes, outermost first (`err.cause` chains; at most 10, no cycles). */
export function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 10 && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * What went wrong, with every cause: 'Failed to start Workflow: no mapping defined for search
 * attribute RoundId'. A gRPC error contributes its `details` (the server's own words) rather
 * than its message ('3 INVALID_ARGUMENT: ...'); a message that repeats the next one is said once.
 */
export function describeError(err: unknown, fallback = String(err)): string {
  const parts: string[] = [];
  for (const e of causeChain(err)) {
    const text = messageOf(e);
    if (!text) continue;
    const last = parts[parts.length - 1];
    if (last !== undefined && last.includes(text)) continue;
    if (last !== undefined && text.includes(last)) parts[parts.length - 1] = text;
    else parts.push(text);
  }
  return parts.join(': ') || fallback;
}

/** One link's own words: a gRPC error's details, an error's (or error-like object's) message, a thrown primitive. */
function messageOf(e: unknown): string {
  if (isGrpcServiceError(e) && e.details) return e.details.trim();
  if (typeof e === 'object' && e !== null) {
    const message = (e as { message?: unknown }).message;
    return typeof message === 'string' ? message.trim() : '';
  }
  return String(e).trim();
}

/** The first gRPC status code in the error's cause chain, if any. */
export function grpcCode(err: unknown): number | undefined {
  for (const e of causeChain(err)) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** Where the CLI or dashboard was talking to, for messages. */
export interface TemporalTarget {
  address?: string;
  namespace?: string;
}

/**
 * A Temporal failure in words: which failure, with its cause, and whether it is the person's
 * to fix (exit 1: a wrong namespace, a letter that does not exist) or the system's (exit 2).
 * Undefined for anything that is not a Temporal error.
 */
export function temporalFailure(err: unknown, target: TemporalTarget = {}): { message: string; exitCode: 1 | 2 } | undefined {
  const at = target.address ? `Temporal at ${target.address}` : 'Temporal';
  const cause = describeError(err);
  const code = grpcCode(err);
  const chain = causeChain(err);
  const has = (cls: abstract new (...args: never[]) => unknown) => chain.some((e) => e instanceof cls);
  if (has(NamespaceNotFoundError)) {
    const ns = (chain.find((e) => e instanceof NamespaceNotFoundError) as NamespaceNotFoundError).namespace;
    return {
      message: `namespace '${ns ?? target.namespace}' not found on ${at} (give --namespace or set TEMPORAL_NAMESPACE; \`temporal operator namespace list\` lists them)`,
      exitCode: 1,
    };
  }
  if (has(WorkflowNotFoundError)) return { message: `not found on ${at}: ${cause}`, exitCode: 1 };
  if (code === GRPC.UNAVAILABLE || /ECONNREFUSED|Connection refused/i.test(cause)) {
    return { message: `cannot reach ${at} (namespace ${target.namespace ?? 'default'}): ${cause}. Start it with \`npm start\`, or set TEMPORAL_ADDRESS.`, exitCode: 2 };
  }
  if (code === GRPC.DEADLINE_EXCEEDED || has(WorkflowUpdateRPCTimeoutOrCancelledError)) {
    return { message: `${at} did not answer in time (is a worker running? \`npm start\` or \`rounds worker\`): ${cause}`, exitCode: 2 };
  }
  if (has(QueryRejectedError) || has(QueryNotRegisteredError)) return { message: `the letter's status query failed: ${cause}`, exitCode: 2 };
  if (code === GRPC.PERMISSION_DENIED || code === GRPC.UNAUTHENTICATED) {
    return { message: `${at} refused (check TEMPORAL_API_KEY / TLS settings and this identity's permissions): ${cause}`, exitCode: 2 };
  }
  if (code === GRPC.RESOURCE_EXHAUSTED) return { message: `${at} is overloaded or a limit was reached: ${cause}`, exitCode: 2 };
  if (code !== undefined || has(TemporalFailure) || chain.some((e) => e instanceof Error && /^(ServiceError|Workflow\w*Error)$/.test(e.name))) {
    return { message: `${at}: ${cause}`, exitCode: 2 };
  }
  return undefined;
}
