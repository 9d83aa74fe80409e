// Turns a letter file into what the round planner needs from it, using the letter parser.
import type { LetterInference } from '../domain/round';

export function inferFromLetterFile(file: string, _bytes: Buffer): LetterInference {
  // Filled in by the letter parser (domain/letters) integration.
  return { file, issues: [] };
}
