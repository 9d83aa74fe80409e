// Looking inside a .docx (a zip file) before anything unpacks it: how many parts, how big
// each is once unpacked, and whether the sizes it declares are true. A zip bomb (a small
// file that unpacks to gigabytes) is refused here, before mammoth's unzip library (which
// has no limit) sees it. Every part is inflated once with a cap of its declared size, so a
// part that lies about its size is caught too.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
}

export type ZipInspection =
  | { ok: true; entries: ZipEntry[]; read: (name: string) => Uint8Array | undefined }
  | { ok: false; reason: string };

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

export function inspectZip(bytes: Uint8Array, limits: { entries: number; unpackedBytes: number }): ZipInspection {
  // End of central directory: 22 bytes, then a comment of up to 65535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'not a zip file (a .docx is one): is it a .doc or another file renamed?' };
  const count = u16(bytes, eocd + 10);
  const cdOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return { ok: false, reason: 'a zip64 archive, which a letter never needs' };
  if (count > limits.entries) return { ok: false, reason: `${count} parts inside; a letter has a few dozen (at most ${limits.entries} are read)` };
  const entries: (ZipEntry & { method: number; compressed: number; local: number })[] = [];
  let at = cdOffset;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) return { ok: false, reason: 'its table of contents is damaged' };
    const method = u16(bytes, at + 10);
    const compressed = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const commentLen = u16(bytes, at + 32);
    const local = u32(bytes, at + 42);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    total += size;
    if (total > limits.unpackedBytes) {
      return { ok: false, reason: `it unpacks to more than ${Math.round(limits.unpackedBytes / 1024 / 1024)} MB (a zip bomb?); a letter unpacks to a few hundred KB` };
    }
    entries.push({ name, size, method, compressed, local });
    at += 46 + nameLen + extraLen + commentLen;
  }
  const unpacked = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (e.local + 30 > bytes.length || u32(bytes, e.local) !== 0x04034b50) return { ok: false, reason: `part ${e.name} is damaged` };
    const start = e.local + 30 + u16(bytes, e.local + 26) + u16(bytes, e.local + 28);
    const data = bytes.subarray(start, start + e.compressed);
    let out: Uint8Array;
    if (e.method === 0) {
      out = data;
    } else if (e.method === 8) {
      try {
        // One byte over the declared size is enough to know it lied.
        out = inflateRawSync(data, { maxOutputLength: e.size + 1 });
      } catch (err) {
        const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
        return { ok: false, reason: tooBig ? `part ${e.name} unpacks to more than it declares (a zip bomb?)` : `part ${e.name} cannot be unpacked (${(err as Error).message})` };
      }
    } else {
      return { ok: false, reason: `part ${e.name} is packed with method ${e.method}, which Word does not use` };
    }
    if (out.length !== e.size) return { ok: false, reason: `part ${e.name} unpacks to ${out.length} bytes, not the ${e.size} it declares (damaged, or a zip bomb?)` };
    if (/\.(?:rels|xml)$/i.test(e.name) && !/^word\/media\//i.test(e.name)) unpacked.set(e.name, out);
  }
  return { ok: true, entries: entries.map(({ name, size }) => ({ name, size })), read: (name) => unpacked.get(name) };
}
