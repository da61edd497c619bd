// A tiny tmpfs for disk-full and read-only tests (needs root and permission to mount; tests skip otherwise).
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(os.tmpdir(), "argus-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Tmpfs {
  dir: string;
  /** Writes a file until the file system is full; returns its path. */
  fill(): string;
  unmount(): void;
}

export function mountTmpfs(sizeMb: number, readOnly = false): Tmpfs {
  const dir = mkdtempSync(path.join(os.tmpdir(), "argus-tmpfs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m${readOnly ? ",ro" : ""}`, "tmpfs", dir]);
  return {
    dir,
    fill() {
      const file = path.join(dir, "filler");
      const fd = openSync(file, "w");
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
      return file;
    },
    unmount() {
      try {
        execFileSync("umount", ["-l", dir], { stdio: "ignore" });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const removeFile = (file: string) => unlinkSync(file);
