# The registry in a container: the same commands as the README's `make run`, on PostgreSQL or SQLite.
# Not built on the development machines (no Docker engine there); kept to the README's commands.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry/ registry/
RUN python -m venv /venv && /venv/bin/pip install --upgrade pip && /venv/bin/pip install '.[pdf]' \
    && /venv/bin/python -m registry.i18n.compile

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 registry
# The package runs from /app (next to templates/, policies/ and migrations/, which it finds
# relative to itself), with its dependencies from the venv.
ENV PATH=/venv/bin:$PATH PYTHONPATH=/app REGISTRY_DATA_DIR=/data PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=build /venv /venv
# Catalogues compiled in the build stage come with the package.
COPY --from=build /app/registry/ registry/
COPY templates/ templates/
COPY policies/ policies/
COPY migrations/ migrations/
RUN mkdir -p /data && chown registry:registry /data
USER registry
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["sh", "-c", "registry migrate && registry demo --if-empty && registry serve --host 0.0.0.0 --port 8000 --workers ${REGISTRY_WORKERS:-2} --proxy-headers"]
