import { spawn } from 'node:child_process';
import { AccountResult } from './result';

/**
 * Runs one account in a child process and returns its figures. The child loads Backstage's
 * TypeScript transform, then the simulation module, and sends the result back over IPC.
 */
export function runInChild(index: number): Promise<AccountResult> {
  const code = [
    `require(${JSON.stringify(require.resolve('@backstage/cli/config/nodeTransform.cjs'))});`,
    `require(${JSON.stringify(require.resolve('./simulation'))}).runAccount(${index}).then(`,
    `  r => process.send(r, () => process.exit(0)),`,
    `  e => { console.error(e); process.exit(1); });`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      cwd: process.cwd(),
    });
    let output = '';
    let result: AccountResult | undefined;
    child.stdout!.on('data', d => (output += d));
    child.stderr!.on('data', d => (output += d));
    child.on('message', m => (result = m as AccountResult));
    child.on('exit', code =>
      result
        ? resolve(result)
        : reject(
            new Error(
              `account ${index} exited ${code}:\n${output.slice(-4000)}`,
            ),
          ),
    );
  });
}
