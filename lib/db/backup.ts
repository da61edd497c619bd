// Online SQLite backup: `VACUUM INTO` reads one consistent snapshot through WAL while the server and
// workers keep writing, and writes a compact, self-contained database file (no -wal/-shm needed).
// The copy holds everything the database does (prompts, password hashes, encrypted channel secrets), so
// it is created private (0600) before SQLite writes into it: `VACUUM INTO` would create it with the
// default mode (0644 under the usual umask), and it accepts an existing empty file.
import { closeSync, openSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { AppError } from "../errors";

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: string;
}

export function backupSqlite(sourceFile: string, targetFile: string): BackupResult {
  createPrivateFile(targetFile);
  try {
    const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
    try {
      source.pragma("busy_timeout = 10000");
      source.prepare("VACUUM INTO ?").run(targetFile);
    } finally {
      source.close();
    }
  } catch (error) {
    // Only the empty file created above: no half-written copy is left behind to be mistaken for a backup.
    rmSync(targetFile, { force: true });
    throw error;
  }
  const copy = new Database(targetFile, { readonly: true });
  try {
    const integrity = String(copy.pragma("integrity_check", { simple: true }));
    const bytes = Number(copy.pragma("page_count", { simple: true })) * Number(copy.pragma("page_size", { simple: true }));
    if (integrity !== "ok") throw new AppError("internal", `The backup failed its integrity check: ${integrity}`);
    return { file: targetFile, bytes, integrity };
  } finally {
    copy.close();
  }
}

/** Creates `file` empty with mode 0600, refusing (and never touching) a file that already exists. */
function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    if (code === "EEXIST") throw new AppError("conflict", `${file} already exists; choose a new file name`);
    throw new AppError("bad_request", `Cannot create ${file} (${code}); choose a writable location`);
  }
}
