// Servers started by verify-install: each in its own process group (a `backstage-cli package
// start` leaves its child running when only the parent is killed), logged to a file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export function portTaken(port) {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export const logTail = server =>
  fs.readFileSync(server.log, 'utf8').trim().split('\n').slice(-30).join('\n');

export class Servers {
  constructor(logDir, env) {
    this.logDir = logDir;
    this.env = env;
    this.running = [];
  }

  start(name, command, args, options) {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(command, args, {
      ...options,
      env: { ...this.env, ...options.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const server = { name, child, log, exited: false };
    child.on('exit', () => (server.exited = true));
    this.running.push(server);
    return server;
  }

  /** SIGTERM to each process group, SIGKILL after 5 s. */
  async stop() {
    for (const server of this.running.splice(0)) {
      try {
        process.kill(-server.child.pid, 'SIGTERM');
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline) {
          await sleep(200);
          process.kill(-server.child.pid, 0);
        }
        process.kill(-server.child.pid, 'SIGKILL');
      } catch {
        // The group is gone.
      }
    }
  }
}

/** Polls probe() every second until it answers { ok: true, value }; fails when server exits. */
export async function waitFor(what, server, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (server?.exited) {
      throw new Error(`${server.name} exited:\n${logTail(server)}`);
    }
    try {
      last = await probe();
      if (last?.ok) return last.value;
    } catch (error) {
      last = { reason: String(error) };
    }
    await sleep(1000);
  }
  const tail = server ? `\n${server.name} log:\n${logTail(server)}` : '';
  throw new Error(
    `${what}: not within ${timeoutMs / 1000} s (${last?.reason ?? 'no answer'})${tail}`,
  );
}
