# One app image for web, worker and beat (target "app"), and an nginx image carrying
# the same release's static files and nginx templates (target "nginx").
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Hashed, pre-compressed static files; the key is a throwaway used only for this step.
RUN DJANGO_DEBUG=1 DJANGO_STATIC_MANIFEST=1 python manage.py collectstatic --noinput
# Nothing is written to local disk at run time: sessions and data live in
# PostgreSQL, the cache in Redis, so any number of replicas can run.
# The one exception: the worker's mirror export (docs/mirrors.md) on its volume,
# which takes this folder's owner when first made.
RUN mkdir -p /srv/exitwatch-mirror && chown nobody /srv/exitwatch-mirror
USER nobody
EXPOSE 8000
# Metrics of all gunicorn workers are added up through this directory (docs/operations.md).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
CMD ["gunicorn", "exitwatch.wsgi", "--config", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]

FROM nginx:1.27-alpine AS nginx
COPY --from=app /app/staticfiles /srv/static
COPY deploy/nginx /opt/exitwatch-nginx
CMD ["sh", "-c", "/opt/exitwatch-nginx/render /etc/nginx/exitwatch && exec nginx -c /etc/nginx/exitwatch/nginx.conf -g 'daemon off;'"]
