# Stapelkaart: slim image that serves the dashboard on port 8501.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STAPELKAART_CACHE_DIR=/var/cache/stapelkaart

WORKDIR /app
COPY requirements.txt .
# Playwright/pytest are test-only; installing them here only costs image size, not a browser download.
RUN pip install --no-cache-dir -r requirements.txt \
 && useradd --create-home --uid 1000 stapelkaart \
 && mkdir -p /var/cache/stapelkaart && chown stapelkaart /var/cache/stapelkaart

COPY --chown=stapelkaart app.py ./
COPY --chown=stapelkaart .streamlit ./.streamlit
COPY --chown=stapelkaart data ./data
COPY --chown=stapelkaart indicators ./indicators
COPY --chown=stapelkaart geo ./geo
COPY --chown=stapelkaart pages ./pages

USER stapelkaart
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"

# Inside a container the app must listen on all interfaces; outside Docker `make run` binds to 127.0.0.1.
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--browser.gatherUsageStats=false"]
