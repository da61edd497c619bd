// Online SQLite backup: `VACUUM INTO` reads one consistent snapshot through WAL while the server and
// workers keep writing, and writes a compact, self-contained database file (no -wal/-shm needed).
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { AppError } from "../http/errors";

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: string;
}

export function backupSqlite(sourceFile: string, targetFile: string): BackupResult {
  if (existsSync(targetFile)) throw new AppError("conflict", `${targetFile} already exists; choose a new file name`);
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 10000");
    source.prepare("VACUUM INTO ?").run(targetFile);
  } finally {
    source.close();
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
