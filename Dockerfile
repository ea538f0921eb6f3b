# One image for every role (municipality or KS aggregator); configuration by environment.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The Norwegian thesaurus search reads its synonyms from (search/thesaurus.ts); the lexicon comes with npm.
RUN apt-get update && apt-get install -y --no-install-recommends mythes-no && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# sharp (pictures) brings libvips prebuilt for linux-x64/arm64 glibc as optional
# npm packages (@img/sharp-*): no build tools or system libvips needed here.
# (Its postinstall builds the caches only where scripts/ is present: that is done below.)
RUN npm ci --omit=dev --no-audit --no-fund
COPY core ./core
COPY db ./db
COPY services ./services
COPY server ./server
COPY federation ./federation
COPY search ./search
COPY web ./web
COPY scripts ./scripts
# What every start would otherwise make again (core/cache-dir.ts): the lexicon's stem tables and an
# initialised PGlite database that new data directories are copied from (initdb costs ~550 MB).
RUN node --max-semi-space-size=8 --liftoff-only scripts/build-caches.ts
# Uploaded pictures and PDF reports (MEDIA_DIR); docker-compose.yml mounts a volume here, owned by node.
RUN mkdir -p /var/lib/kominn/media && chown node:node /var/lib/kominn/media
ENV MEDIA_DIR=/var/lib/kominn/media
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=8", "--liftoff-only", "server/main.ts"]
