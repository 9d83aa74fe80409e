// File uploads on the dashboard (a document received by post or by hand, a redacted copy, an
// email to file). Only the routes an area registers inside `uploadRoutes` accept
// multipart/form-data: @fastify/multipart is registered in that encapsulated scope alone, so any
// other route answers a multipart body with 415. The CSRF check (server.ts) runs before a byte of
// the body is read: an upload form carries its token in its action's query (`uploadAction`).
// Files are read into memory up to MAX_UPLOAD_BYTES, the document store's limit; a larger one is
// refused with a 413 page that says the limit, and nothing is changed.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import path from 'node:path';
import type { DocumentStore } from '../../activities/document-store';
import { mediaTypeOf } from '../publish';
import type { StoredFile } from '../../domain/types';
import { UserError } from '../errors';
import { sendError, type Body, type Web } from './context';
import type { PageContext } from './layout';

/** The largest file the dashboard takes: the document store's limit (as for an email, client/inbox.ts). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_UPLOAD_TEXT = `${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;

/** Registers routes that take uploads: `await uploadRoutes(app, (up) => { up.post(...) })`. */
export async function uploadRoutes(app: FastifyInstance, routes: (up: FastifyInstance) => void): Promise<void> {
  await app.register(async (up) => {
    await up.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 10_000, parts: 25 } });
    routes(up);
  });
}

/** An upload form's action: the path with the page's CSRF token in the query (checked before the body is read). */
export function uploadAction(ctx: PageContext, action: string): string {
  return `${action}?_csrf=${encodeURIComponent(ctx.csrf)}`;
}

export interface Upload {
  fields: Body;
  file?: { name: string; bytes: Buffer };
}

/** The form's fields and its one file (absent when none was chosen). Throws UploadTooLarge over the limit. */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  const fields: Body = {};
  let file: Upload['file'];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.filename && bytes.length > 0) file = { name: cleanName(part.filename), bytes };
      } else if (typeof part.value === 'string') {
        const old = fields[part.fieldname];
        fields[part.fieldname] = old === undefined ? part.value : [...(Array.isArray(old) ? old : [old]), part.value];
      }
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') throw new UploadTooLarge();
    throw err;
  }
  return { fields, file };
}

export class UploadTooLarge extends Error {
  constructor() {
    super(`The file is larger than ${MAX_UPLOAD_TEXT}, the most the document store takes. Nothing was changed.`);
  }
}

/** The 413 page for a file over the limit. */
export function sendTooLarge(web: Web, req: FastifyRequest, reply: FastifyReply) {
  return sendError(web, req, reply, 413, 'File too large', new UploadTooLarge().message);
}

/** The uploaded file in the document store, as a letter refers to it. */
export async function storeUpload(store: DocumentStore, file: Upload['file'], what: string): Promise<StoredFile> {
  if (!file) throw new UserError(`${what}: choose a file (it must not be empty)`);
  const ref = await store.put(file.bytes);
  return { ...ref, name: file.name, mediaType: mediaTypeOf(file.name) };
}

/** A browser's file name without any folder, and without characters a published name should not have. */
function cleanName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  return base.replace(/[^\w .,()-]/g, '_').slice(0, 150) || 'upload';
}
