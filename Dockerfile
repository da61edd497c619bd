# Argus production image: one image, three roles (web, scorer, notifier) chosen by the command.
# Build: docker build -t argus .      Run: see compose.yaml and docs/deployment.md.

# --- build: full dependencies (better-sqlite3 compiles here), Prisma clients, Next.js production build
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# postinstall (Prisma generate) needs the schemas and the generator script.
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs scripts/schema-engine-stub.sh ./scripts/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: no compiler, non-root, only production dependencies
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    ARGUS_DATA_DIR=/data
COPY --from=build --chown=node:node /app /app
# The data directory is private to the runtime user (a named volume takes its mode from here).
RUN install -d -m 0700 -o node -g node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# For the web role; worker containers have no HTTP port and disable it (compose.yaml).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"
# Default role: the supervisor (migrations, web, and the workers named by ARGUS_WORKERS, default all).
# Workers alone: `node --import tsx workers/main.ts scorer` (or notifier).
CMD ["node", "--import", "tsx", "scripts/start.ts"]
