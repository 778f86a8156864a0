# Production image: gunicorn + whitenoise; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# The quarterly reports' PDF (WeasyPrint): Pango with its FreeType backend, HarfBuzz's subsetter and a font. The same
# packages as scripts/ensure-system-libs, which `make test` and `make run` use.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost SITE_URL=http://localhost python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 huizen && chown -R huizen /app
USER huizen
EXPOSE 8000
# The access log never holds the token of a private calendar address (huizen/log.py).
CMD ["gunicorn", "huizen.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--logger-class", "huizen.log.RedactingGunicornLogger"]
