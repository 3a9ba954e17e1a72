import { readFile } from 'node:fs/promises';

/** The event payload the runner wrote; a run without one (local, demo) has none. */
export async function readPayload(eventPath: string | undefined): Promise<unknown> {
  if (!eventPath) return undefined;
  let text: string;
  try {
    text = await readFile(eventPath, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the event payload at GITHUB_EVENT_PATH=${eventPath}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the event payload at GITHUB_EVENT_PATH=${eventPath} is not valid JSON`);
  }
}
