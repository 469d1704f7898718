// Reads docs/install.md, the install section of the root README, and applies it to an app made
// by @backstage/create-app, so that the documented lines are the lines verify-install checks.
//
// A code block applies when the line before it ends with a path in backticks and a colon
// ("in `packages/backend/src/index.ts`:"):
//   - diff: hunks separated by "@@" lines; each hunk's context and "-" lines are found in the file
//     (whitespace between tokens aside, exactly once) and replaced by its context and "+" lines;
//   - yaml: merged into the file (maps key by key, lists appended).
// A `sh` block lists `yarn --cwd <workspace> add <package>...` commands.
import fs from 'node:fs';
import path from 'node:path';

export function parseInstallDoc(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (!open) {
      if (lines[i].trim()) previous = lines[i];
      continue;
    }
    const body = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    const target = /`([^`]+)`:\s*$/.exec(previous)?.[1];
    blocks.push({ lang: open[1], target, body });
    previous = '';
  }
  const installs = [];
  const edits = [];
  for (const block of blocks) {
    if (block.lang === 'sh') {
      for (const line of block.body) {
        const m = /^yarn --cwd (\S+) add ((?:\S+ ?)+)$/.exec(line.trim());
        if (!m)
          throw new Error(`docs/install.md: not an install line: ${line}`);
        installs.push({ workspace: m[1], packages: m[2].trim().split(' ') });
      }
    } else if (block.target && ['diff', 'yaml'].includes(block.lang)) {
      edits.push(block);
    }
  }
  return { installs, edits, blocks };
}

/** Lines a user copies: install commands, "+"/"-" lines of the diffs, config lines. */
export function countLines({ installs, edits }) {
  let added = 0;
  let removed = 0;
  let config = 0;
  for (const edit of edits) {
    for (const line of edit.body) {
      if (edit.lang === 'yaml' && line.trim()) config++;
      else if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { commands: installs.length, added, removed, config };
}

const escape = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function applyDiff(text, body, where) {
  const hunks = [[]];
  for (const line of body) {
    if (line === '@@') hunks.push([]);
    else hunks[hunks.length - 1].push(line);
  }
  for (const hunk of hunks) {
    const before = hunk.filter(l => !l.startsWith('+')).map(l => l.slice(1));
    const after = hunk.filter(l => !l.startsWith('-')).map(l => l.slice(1));
    const tokens = before.join('\n').trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) {
      throw new Error(`${where}: a hunk without context or removed lines`);
    }
    const pattern = new RegExp(tokens.map(escape).join('\\s*'), 'g');
    const matches = [...text.matchAll(pattern)];
    if (matches.length !== 1) {
      throw new Error(
        `${where}: ${matches.length} places match the hunk\n${hunk.join('\n')}`,
      );
    }
    const m = matches[0];
    const replacement = after.join('\n').trim();
    text =
      text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length);
  }
  return text;
}

function merge(into, from) {
  if (Array.isArray(into) && Array.isArray(from)) return [...into, ...from];
  if (
    into &&
    from &&
    typeof into === 'object' &&
    typeof from === 'object' &&
    !Array.isArray(into) &&
    !Array.isArray(from)
  ) {
    const out = { ...into };
    for (const [key, value] of Object.entries(from)) {
      out[key] = key in out ? merge(out[key], value) : value;
    }
    return out;
  }
  return from;
}

/** Applies every diff and yaml block to the app in appDir; yaml is the `yaml` package. */
export function applyEdits(appDir, edits, yaml) {
  for (const edit of edits) {
    const file = path.join(appDir, edit.target);
    const where = `docs/install.md (${edit.target})`;
    if (!fs.existsSync(file)) throw new Error(`${where}: the app has no file`);
    const text = fs.readFileSync(file, 'utf8');
    if (edit.lang === 'diff') {
      fs.writeFileSync(file, applyDiff(text, edit.body, where));
    } else {
      const merged = merge(yaml.parse(text), yaml.parse(edit.body.join('\n')));
      fs.writeFileSync(file, yaml.stringify(merged));
    }
  }
}
