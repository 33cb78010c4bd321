# One image for the ingest API and Dagster (webserver and daemon); docker-compose.yml picks the command.
FROM node:20-slim AS dashboard
WORKDIR /dashboard
COPY ingest_api/dashboard/package.json ingest_api/dashboard/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DAGSTER_HOME=/opt/dagster/home
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY eventhouse eventhouse
COPY warehouse warehouse
COPY ingest_api ingest_api
COPY --from=dashboard /dashboard/node_modules ingest_api/dashboard/node_modules
COPY orchestration orchestration
COPY schemas schemas
COPY dbt_project dbt_project
COPY workspace.yaml dagster.yaml ./
RUN pip install --no-cache-dir uv \
    && uv pip install --system --no-cache -r requirements.lock -e . \
    && mkdir -p "$DAGSTER_HOME" && cp dagster.yaml "$DAGSTER_HOME/dagster.yaml" \
    && dagster-dbt project prepare-and-package --file orchestration/dbt_project.py
EXPOSE 8000 3000
CMD ["eventhouse", "api", "--host", "0.0.0.0", "--port", "8000"]
