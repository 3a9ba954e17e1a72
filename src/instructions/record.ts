import type { InstructionsRecord } from '../records/report.js';
import type { RepositoryInstructions } from './loadInstructions.js';
import type { NestedInstructions } from './nested.js';

/** What the report lists: the root files, the nested ones the session was given, the workflow's, and the notes. */
export function instructionsRecord(instructions: RepositoryInstructions, nested: NestedInstructions): InstructionsRecord {
  const files = [
    ...instructions.root.map((file) => ({ path: file.path, nested: false, cut: file.cut })),
    ...nested.delivered.map((file) => ({ path: file.path, nested: true, cut: file.cut })),
  ];
  const given = new Set(files.map((file) => file.path));
  // A cut nested file the session never reached did not matter: its note goes with it.
  const notes = instructions.notes.filter(
    (note) => !instructions.nested.some((file) => file.cut && !given.has(file.path) && note.startsWith(`${file.path} was cut`)),
  );
  return {
    base: instructions.base ? { branch: instructions.base.branch, commit: instructions.base.commit } : undefined,
    files,
    workflow: instructions.workflow ? { cut: instructions.workflow.cut } : undefined,
    notes,
  };
}
