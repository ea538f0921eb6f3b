# One image for every role (municipality or KS aggregator); configuration by environment.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The Norwegian thesaurus search reads its synonyms from (search/thesaurus.ts); the lexicon comes with npm.
RUN apt-get update && apt-get install -y --no-install-recommends mythes-no && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY db ./db
COPY server ./server
COPY federation ./federation
COPY search ./search
COPY web ./web
COPY scripts ./scripts
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=8", "--liftoff-only", "server/main.ts"]
