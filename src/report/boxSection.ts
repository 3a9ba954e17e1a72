import type { RunReport } from '../records/report.js';
import { cell, codeSpan } from '../text/format.js';
import { inertInline } from '../text/inertMarkdown.js';

/** Hosts listed in the summary; a run that asked for more says how many were left out. */
const MAX_HOSTS = 50;

/** Where the agent's commands ran, what they could reach, and what they asked for. */
export function boxSection(report: RunReport): string {
  const box = report.box;
  if (!box) return '';
  const lines = ['### Where the agent ran', ''];
  if (box.isolation === 'user') {
    lines.push(`- In a box: user ${codeSpan(box.user ?? '?')}, its own PID namespace, write access to the workspace only.`);
    const left =
      box.left === 0
        ? 'none was left'
        : box.left === undefined || box.left < 0
          ? 'whether any was left could not be checked'
          : `**${box.left} could not be killed**`;
    lines.push(`- Processes the agent left running, killed: ${box.killed ?? 0}; after the box was emptied, ${left}.`);
    if (box.files) {
      const still = box.files.left === 0 ? '' : `; **${box.files.left} could not be removed**`;
      lines.push(`- Files the agent's user left outside the workspace (\`/tmp\`, \`/var/tmp\`, \`/dev/shm\`), removed: ${box.files.removed}${still}.`);
    }
  } else {
    lines.push("- As the runner's user (no box), with the allowlisted environment.");
  }
  const network =
    box.network === 'open' ? 'open (whatever the runner reaches)' : box.network === 'none' ? 'none (loopback only)' : 'allowlist (through the egress proxy)';
  lines.push(`- Network: ${network}${box.enforced ? '' : ' — **not enforced** without the box'}.`);
  if (box.notice) lines.push(`- ${inertInline(box.notice)}`);
  if (box.network === 'allowlist' && box.enforced) {
    if (box.egress.length === 0) lines.push('- No host was contacted.');
    else {
      const shown = box.egress.slice(0, MAX_HOSTS);
      lines.push(
        '',
        '| host | port | requests | |',
        '| --- | --: | --: | --- |',
        ...shown.map((entry) => `| ${cell(codeSpan(entry.host))} | ${entry.port} | ${entry.count} | ${entry.allowed ? 'allowed' : '⛔ refused'} |`),
      );
      if (box.egress.length > shown.length) lines.push('', `… and ${box.egress.length - shown.length} more hosts (the transcript lists them all).`);
      if (box.egress.some((entry) => !entry.allowed)) lines.push('', 'A refused host the work needs can be added to `allowed_hosts`.');
    }
  }
  return lines.join('\n');
}
