# Stapelkaart: slim image that serves the dashboard on port 8501. Runtime dependencies only:
# pytest/playwright/hypothesis are in requirements-dev.txt and never enter the image.
# Stage 1: the map component's frontend, from the npm registry with the lockfile.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/components/deckmap/frontend
COPY components/deckmap/frontend/package.json components/deckmap/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY components/deckmap/frontend/build.mjs ./
COPY components/deckmap/frontend/src ./src
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STAPELKAART_CACHE_DIR=/var/cache/stapelkaart \
    HOST=0.0.0.0 \
    PORT=8501

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
 && useradd --create-home --uid 1000 stapelkaart \
 && mkdir -p /var/cache/stapelkaart && chown stapelkaart /var/cache/stapelkaart

COPY --chown=stapelkaart app.py serve.py ./
COPY --chown=stapelkaart .streamlit ./.streamlit
COPY --chown=stapelkaart core ./core
COPY --chown=stapelkaart render ./render
COPY --chown=stapelkaart data ./data
COPY --chown=stapelkaart indicators ./indicators
COPY --chown=stapelkaart geo ./geo
COPY --chown=stapelkaart pages ./pages
COPY --chown=stapelkaart components ./components
COPY --from=frontend --chown=stapelkaart /src/components/deckmap/frontend/dist ./components/deckmap/frontend/dist

USER stapelkaart
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT','8501'), timeout=4).status == 200 else 1)"

# Why HOST=0.0.0.0 here (and 127.0.0.1 in `make run` and .streamlit/config.toml): a process in a container
# that listens on 127.0.0.1 is unreachable even through a published port, because Docker forwards to the
# container's own network interface. Listening on all interfaces *inside* the container network namespace
# does not by itself expose the app: only the host side of `docker run -p` decides that. Publish to the
# loopback of the host and put a proxy in front (deploy/nginx.conf), e.g.
#     docker run -p 127.0.0.1:8501:8501 stapelkaart
# `-p 8501:8501` would publish on every host interface; do that only behind a firewall/proxy.
# HOST/PORT can be overridden (`docker run -e HOST=127.0.0.1 ...` for a sidecar proxy in the same pod).
# The shell form expands them; `exec` makes streamlit PID 1 so `docker stop` reaches it.
CMD exec streamlit run serve.py --server.address="$HOST" --server.port="$PORT" --server.headless=true --browser.gatherUsageStats=false
