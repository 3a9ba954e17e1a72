import { nestedDeliveryText, nestedHeader } from './systemText.js';
import type { NestedInstructionFile } from './loadInstructions.js';

/**
 * Nested AGENTS.md files, each delivered once per session: the first time a
 * path-taking tool call works under its directory, its text rides on that
 * call's result — never in the cached prefix, which stays byte-identical.
 */
export class NestedInstructions {
  private readonly given = new Set<string>();

  constructor(
    private readonly files: NestedInstructionFile[],
    private readonly branch: string,
  ) {}

  /** The texts for a workspace-relative path not delivered yet, outer directories first; they count as delivered from here on. */
  forPath(relativePath: string): string[] {
    const path = relativePath.replace(/^\.\/+/, '').replace(/\/+$/, '');
    const due = this.files.filter((file) => !this.given.has(file.path) && (path === file.dir || path.startsWith(`${file.dir}/`)));
    for (const file of due) this.given.add(file.path);
    return due.map((file) => nestedDeliveryText(file, this.branch));
  }

  /** A resumed session's conversation already carries what earlier runs delivered: not again. */
  restore(conversation: unknown): void {
    const text = JSON.stringify(conversation);
    for (const file of this.files) {
      if (text.includes(JSON.stringify(nestedHeader(file, this.branch)).slice(1, -1))) this.given.add(file.path);
    }
  }

  /** The files delivered in this session, in the order they were. */
  get delivered(): NestedInstructionFile[] {
    return [...this.given].flatMap((path) => this.files.filter((file) => file.path === path));
  }
}
