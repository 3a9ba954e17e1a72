import type { Octokit } from '../github/octokit.js';
import type { Task } from '../records/task.js';
import { errorMessage } from '../text/errorMessage.js';
import { changedFiles, renderChangedFiles } from './changedFiles.js';
import { fetchImages } from './fetchImages.js';
import { imageLinks } from './imageLinks.js';

/** What the request brings beyond its text; a part that cannot be had is a notice for the summary. */
export interface RequestExtras {
  context: string[];
  images: NonNullable<Task['images']>;
  notices: string[];
}

type GitHub = { octokit: Octokit; owner: string; repo: string };

/**
 * The pull request's changed files, started while the permission check runs
 * (a GET, used only once the check allows the run). Never rejects.
 */
export function startChangedFiles(github: GitHub, task: Task): Promise<{ context?: string; notice?: string }> {
  if (task.source.kind !== 'pull') return Promise.resolve({});
  const { number } = task.source;
  return changedFiles({ ...github, number }).then(
    (list) => ({ context: renderChangedFiles(number, list) }),
    (error: unknown) => ({ notice: `the changed files of pull request #${number} could not be listed for the agent: ${errorMessage(error)}` }),
  );
}

/**
 * The images attached to the text that asked, fetched only once the run is
 * allowed (they are downloads chosen by whoever wrote the text), while the
 * other context is still on its way.
 */
export async function requestExtras(opts: {
  body: string;
  serverUrl: string;
  token: string;
  files: Promise<{ context?: string; notice?: string }>;
}): Promise<RequestExtras> {
  const links = imageLinks(opts.body);
  const [fetched, files] = await Promise.all([
    links.length > 0 ? fetchImages({ links, serverUrl: opts.serverUrl, token: opts.token }) : { images: [], notices: [] },
    opts.files,
  ]);
  return {
    context: files.context ? [files.context] : [],
    images: fetched.images,
    notices: [...fetched.notices, ...(files.notice ? [files.notice] : [])],
  };
}
