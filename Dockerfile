# One image for the worker, beat, Flower and the CLI. Everything installs from the package
# index at build time; nothing is downloaded at run time.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY worker ./worker
COPY tasks ./tasks
RUN pip install --no-cache-dir -e ".[deploy]"
ENV NEWSWORKER_DATA_DIR=/data
USER nobody
ENTRYPOINT ["newsworker"]
CMD ["run"]
