# The NWOW assistant as a container: `nwow serve` on port 3978, settings from the environment.
# Build: docker build -t nwow-assistant .   Run: docker run -p 3978:3978 --env-file prod.env nwow-assistant
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY dialogs dialogs
COPY nwow nwow
COPY faq faq
COPY app_manifest app_manifest
RUN pip install --no-cache-dir build && python -m build --wheel --outdir /wheels

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 nwow
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir "$(ls /wheels/*.whl)[postgres]" && rm -rf /wheels
USER nwow
ENV NWOW_DATA_DIR=/home/nwow/data \
    NWOW_LOG_FORMAT=json
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:3978/healthz', timeout=2).status != 200)"
CMD ["nwow", "serve", "--host", "0.0.0.0", "--port", "3978"]
