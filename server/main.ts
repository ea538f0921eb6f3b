import { ConfigError, loadConfig } from "../core/config.ts";

const { prepareProcess } = await import("./fast-imports.ts");
prepareProcess();

const { startInstance } = await import("./instance.ts");
const { getLocalMunicipality } = await import("../db/municipalities.ts");

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const instance = await startInstance(config);
const municipality = await getLocalMunicipality(instance.ctx.db);
instance.ctx.logger.info(
  `KOMINN kjører på ${config.origin} (${config.databaseUrl ? "PostgreSQL" : `PGlite i ${config.dataDir}`})`,
);
if (!municipality) instance.ctx.logger.info(`Første oppstart: gå til ${config.origin}/oppsett for å sette opp kommunen.`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    instance.ctx.logger.info("Avslutter …");
    await instance.close();
    process.exit(0);
  });
}
