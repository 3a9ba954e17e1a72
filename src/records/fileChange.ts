/** A file that differs from the base branch after the run. */
export interface FileChange {
  path: string;
  added: number;
  deleted: number;
  /** `A` added, `M` modified, `D` deleted, `R` renamed (path is the new name). */
  status: string;
}
