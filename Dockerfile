# Production image: the API (and, with another command, the worker). PostgreSQL and Meilisearch run elsewhere
# (see docker-compose.yml); the embedded PostgreSQL is for development only and is not installed here.
# tests/deploy/test_image_equivalent.py builds the same thing without a Docker engine, following this file.

# The web app (web/): built by Node here; the final image carries only web/dist (no Node at run time). Its
# build type-checks against the checked-in schema.graphql, which web/tsconfig.json reads as ../schema.graphql.
FROM node:20-slim AS web
WORKDIR /opt/web
COPY schema.graphql /opt/schema.graphql
COPY web/ ./
RUN npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, from the hashed locks only, so that this layer is rebuilt only when a lock changes.
COPY requirements/build.lock requirements/prod.lock requirements/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-hashes --no-deps -r requirements/build.lock -r requirements/prod.lock
# Then the source tree (.dockerignore leaves out tests, bench, venvs, data, caches); pyproject.toml's package
# list decides what is installed.
COPY . .
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    EXCHANGE_ENV=production \
    EXCHANGE_HOST=0.0.0.0 \
    EXCHANGE_PORT=8000 \
    EXCHANGE_WEB_DIR=/opt/web/dist \
    EXCHANGE_METRICS_DIR=/tmp/exchange-metrics
RUN groupadd --system exchange && useradd --system --gid exchange --home-dir /app --shell /usr/sbin/nologin exchange
COPY --from=build /opt/venv /opt/venv
COPY --from=web /opt/web/dist /opt/web/dist
WORKDIR /app
USER exchange
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD python -c "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"EXCHANGE_PORT\", \"8000\")}/health').status == 200 else 1)"
# SIGTERM (docker stop) shuts it down gracefully: requests finish, then the process exits 0.
CMD ["exchange", "serve", "--no-worker", "--workers", "2"]
