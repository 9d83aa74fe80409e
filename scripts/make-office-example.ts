// Writes examples/vru-2020-office: the seed round as an office would hold it, its letters in
// Word and PDF (made from examples/vru-2020/letters the same way the tests make theirs).
//   node -r tsx/cjs scripts/make-office-example.ts
import fs from 'node:fs';
import path from 'node:path';
import { seedDocx, seedPdf } from '../test/support/office-letters';

const ROOT = path.join(__dirname, '..');
const FROM = path.join(ROOT, 'examples', 'vru-2020');
const TO = path.join(ROOT, 'examples', 'vru-2020-office');
const FORMATS: Record<string, 'docx' | 'pdf'> = {
  'avon-and-somerset': 'pdf',
  kent: 'docx',
  london: 'pdf',
  nottinghamshire: 'docx',
  'west-midlands': 'pdf',
};

async function main() {
  fs.rmSync(path.join(TO, 'letters'), { recursive: true, force: true });
  fs.mkdirSync(path.join(TO, 'letters'), { recursive: true });
  const yaml = fs.readFileSync(path.join(FROM, 'round.yaml'), 'utf8')
    .replace(/^id: vru-2020$/m, 'id: vru-2020-office')
    .replace(/^title: (.*)$/m, 'title: $1 - Word and PDF letters')
    .replace(/^# The round the product/m, '# Made by scripts/make-office-example.ts: the seed round with its letters as Word and PDF files.\n# The round the product');
  fs.writeFileSync(path.join(TO, 'round.yaml'), yaml);
  fs.copyFileSync(path.join(FROM, 'recipients.csv'), path.join(TO, 'recipients.csv'));
  for (const [id, format] of Object.entries(FORMATS)) {
    const bytes = format === 'docx' ? await seedDocx(id) : await seedPdf(id);
    fs.writeFileSync(path.join(TO, 'letters', `${id}.${format}`), bytes);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
