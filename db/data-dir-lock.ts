import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export class DataDirBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's database: a second process opening the same
 * directory would corrupt it. A pid file makes the second one stop with a
 * clear message instead.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "kominn.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8"));
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataDirBusyError(
          `Databasen i ${dataDir} er i bruk av en annen prosess (pid ${pid}). ` +
            "Stopp serveren først, eller bruk PostgreSQL (DATABASE_URL) for å kjøre flere prosesser.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirBusyError(`Kunne ikke låse ${dataDir}`);
}
