// How much one terraform command costs: CPU seconds of terraform and every provider process it
// starts (from the kernel's rusage of the reaped process tree, via /usr/bin/time), and the peak
// of their summed resident memory (sampled over the process tree every 100 ms: the aws provider
// alone holds ~0.5 GB of schema, so the largest single process would hide the difference).
import { spawn } from "child_process";
import * as fs from "fs";

/** What one command cost. */
export interface Cost {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly peakMemoryMb: number;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const PAGE = 4096;

/** Every process whose parent chain reaches `root`, with `root`. */
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), in parentheses: state, ppid, ...
      const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(after[1]));
    } catch {
      // The process ended between readdir and read.
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}

/** A process's command name (`terraform`, `terraform-provi` for a provider, `node` for the stand-in dns), if it still runs. */
function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

function residentBytes(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
    } catch {
      // Ended.
    }
  }
  return sum;
}

/** Runs `terraform <args>` in `cwd` with `env` and measures it. */
export function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Cost> {
  return new Promise((resolve, reject) => {
    const timeFile = `${cwd}/.time-${process.pid}-${Date.now()}`;
    const started = Date.now();
    const child =
      spawn("/usr/bin/time", ["-o", timeFile, "-f", "%U %S", "terraform", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let peak = 0;
    // Who held the memory at the summed peak, printed with the progress: where a difference lives.
    let atPeak = "";
    const sample = (): void => {
      if (!child.pid) return;
      const pids = tree(child.pid);
      const sizes = pids.map((p) => residentBytes([p]));
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total <= peak) return;
      peak = total;
      const held = pids.slice(1).map((p, i) => `${commandOf(p)} ${(sizes[i + 1] / 1024 / 1024).toFixed(0)}`);
      atPeak = `at ${((Date.now() - started) / 1000).toFixed(1)} s: ${held.join(", ")} MB`;
    };
    const timer = setInterval(sample, 100);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      process.stderr.write(`  summed peak ${atPeak}\n`);
      const [user, sys] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
      fs.rmSync(timeFile, { force: true });
      resolve({
        cpuSeconds: user + sys,
        wallSeconds: (Date.now() - started) / 1000,
        peakMemoryMb: peak / 1024 / 1024,
        status: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}
