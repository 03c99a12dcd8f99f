# Production image: the API (and, with another command, the worker). Postgres and Meilisearch run
# elsewhere (see docker-compose.yml); the embedded PostgreSQL is for development only.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY exchange ./exchange
COPY domain ./domain
COPY api ./api
COPY payments ./payments
COPY migrations ./migrations
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --upgrade pip && /opt/venv/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    EXCHANGE_ENV=production \
    EXCHANGE_HOST=0.0.0.0 \
    EXCHANGE_PORT=8000
RUN groupadd --system exchange && useradd --system --gid exchange --home-dir /app --shell /usr/sbin/nologin exchange
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER exchange
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health').status == 200 else 1)"
CMD ["exchange", "serve", "--no-worker", "--workers", "2"]
