// Layer rules of DESIGN.md (docs/adr/0002-layers.md): each folder may import
// only the layers below it. `npm run lint:layers` checks them; npm test runs it.
const layers = {
  core: [],
  db: ["core"],
  services: ["core", "db"],
  search: ["core", "db"],
  federation: ["core", "db", "services"],
  web: ["core"],
};
const ours = ["core", "db", "services", "search", "federation", "web", "server", "scripts", "bench", "tests"];

module.exports = {
  forbidden: [
    ...Object.entries(layers).map(([layer, allowed]) => ({
      name: `${layer}-imports-only-${allowed.length ? allowed.join("-") : "itself"}`,
      comment: `${layer}/ may import ${allowed.length ? allowed.map((a) => `${a}/`).join(", ") : "nothing of ours"} (docs/adr/0002-layers.md)`,
      severity: "error",
      from: { path: `^${layer}/` },
      to: { path: `^(${ours.filter((o) => o !== layer && !allowed.includes(o)).join("|")})/` },
    })),
    {
      name: "no-circular",
      comment: "A circle of imports hides which module depends on which",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: `^(${ours.join("|")})/`,
    tsPreCompilationDeps: true,
    // TypeScript 7 has no compiler API dependency-cruiser can use yet; swc parses our .ts files.
    parser: "swc",
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
